# lib-peer.sh: starting, stopping and watching peer-listen nodes in t6xxx tests
# shellcheck disable=SC2034

# node_init DIR CHAIN: a data directory holding a copy of CHAIN
node_init() {
	mkdir -p "$1" && cp "$2" "$1/chain.blk"
}

# node_start DIR [OPTIONS...]: start peer-listen on DIR, wait for its port
node_start() {
	node_dir_=$1
	shift
	rm -f "$node_dir_/port"
	{ peer-listen -p 0 --port-file "$node_dir_/port" "$@" "$node_dir_" 2>>"$node_dir_/log" & } &&
	echo $! >"$node_dir_/pid" &&
	test_wait_for_file "$node_dir_/port" 20
}

# node_addr DIR: 127.0.0.1:PORT of the node in DIR
node_addr() {
	echo "127.0.0.1:$(cat "$1/port")"
}

node_gone_() {
	! kill -0 "$1" 2>/dev/null || grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat" 2>/dev/null
}

# node_stop DIR [SIGNAL]: stop the node and wait until it has exited
node_stop() {
	test -f "$1/pid" || return 0
	node_pid_=$(cat "$1/pid")
	kill "-${2:-TERM}" "$node_pid_" 2>/dev/null
	rm -f "$1/pid"
	test_wait_until 20 "node_gone_ $node_pid_" &&
	test_grep ! "Sanitizer\|runtime error" "$1/log"
}

# node_height DIR: lines in its chain file, minus one
node_height() {
	echo $(($(wc -l <"$1/chain.blk") - 1))
}

# node_wait_height DIR N [SECONDS]
node_wait_height() {
	test_wait_until "${3:-20}" "test \$(node_height $1) -ge $2"
}

# node_tip DIR: the hash of its last block
node_tip() {
	tail -n 1 "$1/chain.blk" | sed 's/^block height=[0-9]* hash=\([0-9a-f]*\) .*/\1/'
}
