#!/bin/sh
# 65-peer-flood.sh: a block across a line of five nodes, quiet and under a flood of 8 connections
set -u
B=${BU_BUILD:?set BU_BUILD}
PATH=$B/bin:$B/t:$PATH
BLOCKUTILS_NOW=${BLOCKUTILS_NOW:-1700000000}
export PATH BLOCKUTILS_NOW
W=$(mktemp -d "${TMPDIR:-/tmp}/bench-flood.XXXXXX")
PIDS=
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT INT TERM
cd "$W" || exit 3

start() {
	d=$1; shift
	peer-listen -q -p 0 --port-file "$d/port" "$@" "$d" 2>"$d/log" &
	PIDS="$PIDS $!"
	until test -s "$d/port"; do sleep 0.01; done
}

size() { wc -c <"$1" | tr -d ' '; }

test-mkchain 1 >base.blk
test-mkchain -c base.blk 40 >next.blk
chain=$(head -n 1 base.blk | sed 's/.* hash=\([0-9a-f]*\) .*/\1/')
i=0
while test $i -lt 5; do
	mkdir n$i && cp base.blk n$i/chain.blk
	if test $i = 0; then start n0; else start n$i --connect "127.0.0.1:$(cat n$((i - 1))/port)"; fi
	i=$((i + 1))
done
until test -s n4/peers; do sleep 0.01; done
sleep 0.3

# run FIRST: 20 blocks from line FIRST of next.blk, each timed from peer-send to n4's file
run() {
	k=0
	: >times.us
	while test $k -lt 20; do
		sed -n "$(($1 + k))p" next.blk >one
		want=$(($(size n4/chain.blk) + $(size one)))
		test-elapsed -f n4/chain.blk -s $want peer-send -q "127.0.0.1:$(cat n0/port)" <one >>times.us ||
			{ echo "65-peer-flood: a block did not reach n4" >&2; exit 1; }
		k=$((k + 1))
	done
	sort -n times.us | sed -n 10p
}

quiet=$(run 1)
# the flood: 8 connections to n0 from 127.0.0.2, half never reading, half reading every answer
N0=127.0.0.1:$(cat n0/port)
for m in "getheaders $chain" "getblocks $chain" mempool "getdata block $chain"; do
	nice -n 19 test-flood -n 1 -c 200000 -g "$chain" -p 6000 -s 127.0.0.2 -w 120 -m "$m" "$N0" >/dev/null &
	PIDS="$PIDS $!"
	nice -n 19 test-flood -n 1 -c 200000 -g "$chain" -p 6001 -s 127.0.0.2 -r -w 120 -m "$m" "$N0" >/dev/null &
	PIDS="$PIDS $!"
done
sleep 0.5
flood=$(run 21)
printf '65-peer-flood: block across 5 nodes: median %d.%03d ms quiet, %d.%03d ms under a flood of 8 connections; ratio %d.%02d (target <= 2)\n' \
	$((quiet / 1000)) $((quiet % 1000)) $((flood / 1000)) $((flood % 1000)) \
	$((flood / quiet)) $((flood * 100 / quiet % 100))
