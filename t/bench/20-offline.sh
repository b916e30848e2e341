#!/bin/sh
# 20-offline.sh: mine, verify --chain bitcoin and chain-append rates, beside OpenSSL's SHA-256;
# verify's peak memory on a short and a ten times longer chain
set -eu
: "${BU_BUILD:?run through make bench}"
B=$BU_BUILD/bin T=$BU_BUILD/t
FIX=$(cd "$(dirname "$0")/.." && pwd)/t3000
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export BLOCKUTILS_NOW=1700000000

ns() { date +%s%N; }
rate() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.0f", n / (t / 1e9) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

comp=$("$T/bench-grind" -o -t 1)
echo "== baseline: OpenSSL SHA-256, one thread: $(awk -v c="$comp" 'BEGIN { printf "%.1f", c / 1e6 }') M compressions/s"
echo "   (a double hash of a header costs 2 compressions once the midstate is known; verify pays 3 per header)"

# mine: 16 headers at bits 1e00ffff (2^24 hashes expected each); rate = hashes / seconds over them
"$T/test-mkchain" 1 | head -n 1 >g
i=0
while [ $i -lt 16 ]; do
	sed "s/ bits=[0-9a-f]* / bits=1e00ffff /; s/ time=[0-9]* / time=$((1600000000 + i)) /" g
	i=$((i + 1))
done | "$T/test-reseal" >hard
for j in 1 all; do
	if [ $j = 1 ]; then opt=-j1; else opt=; fi
	"$B/mine" -q -v $opt <hard 2>log >/dev/null
	h=$(awk '{ h += $3 } END { print h }' log)
	s=$(awk '{ s += $6 } END { print s }' log)
	mhs=$(awk -v h="$h" -v s="$s" 'BEGIN { printf "%.2f", h / s / 1e6 }')
	echo "mine ($j thread$( [ $j = 1 ] || echo s), kernel $("$T/test-grind" -b)): $mhs MH/s over $h hashes;" \
	    "vs half the OpenSSL compression rate: $(ratio "$mhs" "$(awk -v c="$comp" 'BEGIN { print c / 2e6 }')")x"
done

# verify --chain bitcoin: the real 0..4100 headers replicated 244 times (one chain per file)
set --
i=0
while [ $i -lt 244 ]; do set -- "$@" "$FIX/mainnet-headers-0-4100.hex"; i=$((i + 1)); done
n=$((244 * 4101))
best=0
for _ in 1 2 3; do
	t0=$(ns); "$B/verify" -q --chain bitcoin "$@"; t1=$(ns)
	r=$(rate $n $((t1 - t0)))
	[ "$r" -gt "$best" ] && best=$r
done
limit=$(awk -v c="$comp" 'BEGIN { printf "%.0f", c / 3 }')
echo "verify --chain bitcoin: $best headers/s over $n headers (best of 3);" \
    "the SHA-256 limit at 3 compressions a header is $limit/s: fraction $(ratio "$best" "$limit")"

# chain-append: 200 blocks, one chain-append each, on a 100- and a 10,000-block chain
append_rate() {
	"$T/test-mkchain" "$(($1 + 200))" >all
	head -n $(($1 + 1)) all >c.blk
	tail -n 200 all >more.blk
	"$B/chain-append" -q c.blk </dev/null
	t0=$(ns)
	while read -r line; do printf '%s\n' "$line" | "$B/chain-append" -q c.blk; done <more.blk
	t1=$(ns)
	"$B/verify" -q c.blk
	rate 200 $((t1 - t0))
}
small=$(append_rate 100)
big=$(append_rate 10000)
echo "chain-append (one process per block, fsync each): $small blocks/s on 100 blocks," \
    "$big blocks/s on 10,000 blocks; ratio $(ratio "$big" "$small") (target >= 0.5)"

# verify's memory: peak RSS on 10,000 and 100,000 blocks (the ledger grows
# with accounts, not blocks; test-mkchain pays one account throughout)
"$T/test-mkchain" 100000 >long.blk
head -n 10001 long.blk >short.blk
read -r s_us s_kb <<EOF
$("$T/test-elapsed" -r "$B/verify" -q short.blk)
EOF
read -r l_us l_kb <<EOF
$("$T/test-elapsed" -r "$B/verify" -q long.blk)
EOF
echo "verify memory: peak RSS $s_kb KiB on 10,000 blocks ($(rate 10000 $((s_us * 1000))) blocks/s)," \
    "$l_kb KiB on 100,000 ($(rate 100000 $((l_us * 1000))) blocks/s); ratio $(ratio "$l_kb" "$s_kb")"
