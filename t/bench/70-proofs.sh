#!/bin/sh
# 70-proofs.sh: prove and verify-proof on 10,000 records of a 10,000-block chain, each beside
# the walk of the same file; whole-block verify in MB/s beside OpenSSL's SHA-256 in the same run
set -eu
. "$(dirname "$0")/lib.sh"
: "${BU_BUILD:?run through make bench}"
B=$BU_BUILD/bin T=$BU_BUILD/t
FIX=$(cd "$(dirname "$0")/.." && pwd)/t3000
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export BLOCKUTILS_NOW=1700000000

# best CMD...: the time of the fastest of three runs of CMD, in ns
best() {
	b=0
	for _ in 1 2 3; do
		t0=$(ns); "$@" >/dev/null; t1=$(ns)
		if [ "$b" -eq 0 ] || [ $((t1 - t0)) -lt "$b" ]; then b=$((t1 - t0)); fi
	done
	echo "$b"
}

comp=$("$T/bench-grind" -o -t 1)
shamb=$(awk -v c="$comp" 'BEGIN { printf "%.1f", c * 64 / 1e6 }')
echo "== baseline: OpenSSL SHA-256, one thread: $(awk -v c="$comp" 'BEGIN { printf "%.1f", c / 1e6 }') M compressions/s = $shamb MB/s"

"$T/test-mkchain" -R 10000 >chain.blk
"$B/chain-headers" chain.blk >chain.hdr
set --
i=1
while [ $i -le 10000 ]; do set -- "$@" -d "record $i"; i=$((i + 1)); done

walk=$(best "$B/verify" -q chain.blk)
prove_ns=$(best "$B/prove" "$@" chain.blk)
"$B/prove" "$@" chain.blk >proofs
n=$(wc -l <proofs)
[ "$n" -eq 10000 ] || { echo "prove made $n proofs, not 10000" >&2; exit 1; }
echo "prove: $(rate 10000 "$prove_ns") proofs/s (10,000 records of a 10,000-block chain, one run, best of 3);" \
    "its time over verify's walk of the same chain: $(ratio "$prove_ns" "$walk")x"

hwalk=$(best "$B/verify" -q -H chain.hdr)
check=$(best "$B/verify-proof" -q chain.hdr proofs)
# a check: the proof's header (3 compressions), its token (2), its branch (3 a level), and
# the walk of one header a proof (3)
depth=$(head -n 1 proofs | sed 's/.* branch=\([^ ]*\) .*/\1/' | tr + '\n' | grep -c .)
per=$((3 + 2 + 3 * depth + 3))
echo "verify-proof: $(rate 10000 "$check") checks/s against the headers (10,000 proofs, one run, best of 3);" \
    "its time over verify -H of the headers: $(ratio "$check" "$hwalk")x;" \
    "fraction of the SHA-256 limit at $per compressions a check: $(ratio "$(rate 10000 "$check")" "$(awk -v c="$comp" -v p="$per" 'BEGIN { print c / p }')")"

# whole blocks: 413567 (1 MB, 1557 transactions) twenty times, one chain a file
gzip -dc "$FIX/block-413567.hex.gz" >b.hex
set --
i=0
while [ $i -lt 20 ]; do set -- "$@" b.hex; i=$((i + 1)); done
bytes=$((20 * $(wc -c <b.hex) / 2))
full=$(best "$B/verify" -q --chain bitcoin --from 413567 "$@")
mbs=$(awk -v b="$bytes" -v t="$full" 'BEGIN { printf "%.1f", b / (t / 1e9) / 1e6 }')
echo "verify, whole Bitcoin blocks: $mbs MB/s of raw block (block 413567 x 20, from hex, best of 3);" \
    "vs one pass of SHA-256 over the same bytes: $(ratio "$mbs" "$shamb")"
