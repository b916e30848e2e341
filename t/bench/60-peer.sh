#!/bin/sh
# 60-peer.sh: a block across a line of ten nodes; syncing 10,000 blocks beside verify
set -u
B=${BU_BUILD:?set BU_BUILD}
PATH=$B/bin:$B/t:$PATH
BLOCKUTILS_NOW=${BLOCKUTILS_NOW:-1700000000}
export PATH BLOCKUTILS_NOW
W=$(mktemp -d "${TMPDIR:-/tmp}/bench-peer.XXXXXX")
PIDS=
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT INT TERM
cd "$W" || exit 3

ns() { date +%s%N; }

start() {
	d=$1; shift
	peer-listen -q -p 0 --port-file "$d/port" "$@" "$d" 2>"$d/log" &
	PIDS="$PIDS $!"
	until test -s "$d/port"; do sleep 0.01; done
}

lines() { wc -l <"$1/chain.blk"; }

# wait_lines DIR N: until DIR's chain file has N lines (30 s at most)
wait_lines() {
	end=$(($(date +%s) + 30))
	while test "$(lines "$1")" -lt "$2"; do
		test "$(date +%s)" -lt "$end" || { echo "60-peer: timed out" >&2; exit 1; }
	done
}

test-mkchain 10000 >long.blk
test-mkchain 1 >base.blk
test-mkchain -c base.blk 20 >next.blk

# 1. a line of ten nodes
i=0
while test $i -lt 10; do
	mkdir n$i && cp base.blk n$i/chain.blk
	if test $i = 0; then start n0; else start n$i --connect "127.0.0.1:$(cat n$((i - 1))/port)"; fi
	i=$((i + 1))
done
until grep -q . n9/peers 2>/dev/null && test "$(wc -l <n9/peers)" -ge 1; do sleep 0.01; done
sleep 0.3
k=0
: >times
while test $k -lt 20; do
	sed -n "$((k + 1))p" next.blk >one
	t0=$(ns)
	peer-send -q "127.0.0.1:$(cat n0/port)" <one
	wait_lines n9 $((k + 3))
	t1=$(ns)
	echo $(((t1 - t0) / 1000)) >>times
	k=$((k + 1))
done
sort -n times >sorted
med=$(sed -n 10p sorted)
max=$(tail -n 1 sorted)
printf '60-peer: block across 10 nodes: median %d.%03d ms, max %d.%03d ms (20 blocks, incl. peer-send)\n' \
	$((med / 1000)) $((med % 1000)) $((max / 1000)) $((max % 1000))

# 2. syncing 10,000 blocks, and verify on the same chain
mkdir src dst && cp long.blk src/chain.blk && head -n 1 long.blk >dst/chain.blk
start src
t0=$(ns)
start dst --connect "127.0.0.1:$(cat src/port)"
wait_lines dst 10001
t1=$(ns)
cmp -s long.blk dst/chain.blk || { echo "60-peer: synced chain differs" >&2; exit 1; }
t2=$(ns)
verify -q long.blk
t3=$(ns)
sync_us=$(((t1 - t0) / 1000))
ver_us=$(((t3 - t2) / 1000))
printf '60-peer: sync 10000 blocks: %d ms, %d blocks/s; verify: %d ms, %d blocks/s\n' \
	$((sync_us / 1000)) $((10000 * 1000000 / (sync_us + 1))) \
	$((ver_us / 1000)) $((10000 * 1000000 / (ver_us + 1)))
