#!/bin/sh
# 60-peer.sh: a block across a line of twenty nodes; syncing 20,000 blocks beside verify
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

size() { wc -c <"$1" | tr -d ' '; }

test-mkchain 20000 >long.blk
test-mkchain 1 >base.blk
test-mkchain -c base.blk 20 >next.blk

# 1. a line of twenty nodes
i=0
while test $i -lt 20; do
	mkdir n$i && cp base.blk n$i/chain.blk
	if test $i = 0; then start n0; else start n$i --connect "127.0.0.1:$(cat n$((i - 1))/port)"; fi
	i=$((i + 1))
done
until grep -q . n19/peers 2>/dev/null && test "$(wc -l <n19/peers)" -ge 1; do sleep 0.01; done
sleep 0.3
# test-elapsed runs peer-send and polls n19's chain file every 100 us (no
# fork per poll) until it has grown by the block's line.
k=0
: >times.us
while test $k -lt 20; do
	sed -n "$((k + 1))p" next.blk >one
	want=$(($(size n19/chain.blk) + $(size one)))
	test-elapsed -f n19/chain.blk -s $want peer-send -q "127.0.0.1:$(cat n0/port)" <one >>times.us ||
		{ echo "60-peer: block $k did not reach n19" >&2; exit 1; }
	k=$((k + 1))
done
sort -n times.us >sorted
med=$(sed -n 10p sorted)
max=$(tail -n 1 sorted)
printf '60-peer: block across 20 nodes: median %d.%03d ms, max %d.%03d ms (20 blocks, incl. peer-send)\n' \
	$((med / 1000)) $((med % 1000)) $((max / 1000)) $((max % 1000))

# the line's twenty nodes are stopped: the sync below is timed on its own
for p in $PIDS; do kill "$p" 2>/dev/null; done
wait 2>/dev/null
PIDS=

# 2. syncing 20,000 blocks, and verify on the same chain, nine runs each
# one after the other (medians). test-elapsed starts the new node and stops
# the clock when its chain file holds the whole chain; verify is timed the
# same way.
mkdir src && cp long.blk src/chain.blk
start src
sport=$(cat src/port)
want=$(size long.blk)
r=0
: >sync.us
: >verify.us
: >verify1.us
while test $r -lt 9; do
	rm -rf dst && mkdir dst && head -n 1 long.blk >dst/chain.blk
	test-elapsed -f dst/chain.blk -s "$want" \
		peer-listen -q -p 0 --connect "127.0.0.1:$sport" dst 2>dst/log >>sync.us ||
		{ echo "60-peer: sync timed out" >&2; exit 1; }
	cmp -s long.blk dst/chain.blk || { echo "60-peer: synced chain differs" >&2; exit 1; }
	test-elapsed verify -q long.blk >>verify.us || { echo "60-peer: verify failed" >&2; exit 1; }
	test-elapsed verify -q -j1 long.blk >>verify1.us || { echo "60-peer: verify failed" >&2; exit 1; }
	r=$((r + 1))
done
sync_us=$(sort -n sync.us | sed -n 5p)
ver_us=$(sort -n verify.us | sed -n 5p)
ver1_us=$(sort -n verify1.us | sed -n 5p)
printf '60-peer: sync 20000 blocks: %d ms, %d blocks/s; verify: %d ms, %d blocks/s; ratio %d.%02d (median of 9, both incl. process start)\n' \
	$((sync_us / 1000)) $((20000 * 1000000 / (sync_us + 1))) \
	$((ver_us / 1000)) $((20000 * 1000000 / (ver_us + 1))) \
	$((ver_us / sync_us)) $((ver_us * 100 / sync_us % 100))
echo "60-peer: the nine syncs, ms: $(sort -n sync.us | awk '{ printf "%s%.1f", (NR > 1 ? " " : ""), $1 / 1000 }');" \
	"verify: $(sort -n verify.us | awk '{ printf "%s%.1f", (NR > 1 ? " " : ""), $1 / 1000 }')"
# The node stores on one thread (helpers parse block lines ahead); verify -j1 is the like-for-like
# baseline, verify on every core (its default) the upper one.
printf '60-peer: sync beside verify -j1 (one thread, as the node): %d ms; ratio %d.%02d\n' \
	$((ver1_us / 1000)) $((ver1_us / sync_us)) $((ver1_us * 100 / sync_us % 100))
