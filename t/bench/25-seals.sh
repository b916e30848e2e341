#!/bin/sh
# 25-seals.sh: seals checked a second by verify on a 10,000-block permissioned chain (SPEC
# section 7), on every thread and on one, beside OpenSSL's Ed25519 verify on one thread
# measured in the same run (bench-base ed25519, as 20-offline.sh's transfers)
set -eu
. "$(dirname "$0")/lib.sh"
: "${BU_BUILD:?run through make bench}"
B=$BU_BUILD/bin T=$BU_BUILD/t
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export BLOCKUTILS_NOW=1700000000
ncpu=$(getconf _NPROCESSORS_ONLN)
n=10000

# ed1: OpenSSL's Ed25519 verifications a second on one thread, the best of three half-second runs
ed1() {
	e_best=0
	for _ in 1 2 3; do
		e=$("$T/bench-base" ed25519 0.5)
		if [ "$e" -gt "$e_best" ]; then e_best=$e; fi
	done
	echo "$e_best"
}

# edall: the same on every core at once, ncpu processes side by side: the sum of their rates
# (what the cores give together: SMT siblings share one core's ALUs)
edall() {
	a_best=0
	for _ in 1 2 3; do
		i=0
		while [ $i -lt "$ncpu" ]; do "$T/bench-base" ed25519 0.5 >"ed.$i" & i=$((i + 1)); done
		wait
		a=$(cat ed.* | awk '{ s += $1 } END { printf "%.0f", s }')
		if [ "$a" -gt "$a_best" ]; then a_best=$a; fi
	done
	echo "$a_best"
}

echo "== $ncpu cores; load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"

# three signers in rotation, one seal a block; and the same length of chain without seals
for k in 1 2 3; do "$B/mkkey" "s$k.key" >/dev/null; done
"$T/test-mkchain" -S s1.key -S s2.key -S s3.key $n >sealed.blk
"$T/test-mkchain" $n >plain.blk
"$B/verify" -q sealed.blk
[ "$(wc -l <sealed.blk)" -eq $((n + 1)) ] || { echo "test-mkchain made no $n-block chain" >&2; exit 1; }

one=$(ed1)
all=$(edall)
read -r w c <<EOF
$(run3 "$B/verify" -q sealed.blk)
EOF
read -r w1 c1 <<EOF
$(run3 "$B/verify" -q -j1 sealed.blk)
EOF
read -r pw _ <<EOF
$(run3 "$B/verify" -q plain.blk)
EOF
after=$(ed1)
r=$(rate $n $((w * 1000)))
rc=$(rate $n $((c * 1000)))
r1=$(rate $n $((w1 * 1000)))
rc1=$(rate $n $((c1 * 1000)))
want=$(awk -v o="$one" -v c="$ncpu" 'BEGIN { print o * c }')
echo "verify, $n sealed blocks ($ncpu threads): $r seals/s, $rc a CPU-second (best of 3);" \
    "limit $ncpu x $one (OpenSSL Ed25519 verify on one thread, best of 3):" \
    "fraction $(ratio "$r" "$want"), a CPU-second $(ratio "$rc" "$one");" \
    "OpenSSL on all $ncpu at once (processes) $all/s: fraction $(ratio "$r" "$all")"
echo "verify -j1, the same: $r1 seals/s, $rc1 a CPU-second: fraction of one thread's OpenSSL rate" \
    "$(ratio "$r1" "$one"), a CPU-second $(ratio "$rc1" "$one") (a seal's message is 146 bytes," \
    "bench-base's 240)"
echo "    the same chain unsealed (proof of work only, test-mkchain $n): $((pw / 1000)) ms," \
    "sealed $((w / 1000)) ms ($ncpu threads); OpenSSL's rate after the runs $after/s" \
    "(before $one/s: a busy machine moves both)"
echo "== load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
