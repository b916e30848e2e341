#!/bin/sh
# 20-offline.sh: verify (headers, .gz, signatures), chain-append and mine, each figure
# beside its limit measured in the same run, as a fraction; verify's peak memory
set -eu
. "$(dirname "$0")/lib.sh"
: "${BU_BUILD:?run through make bench}"
B=$BU_BUILD/bin T=$BU_BUILD/t
FIX=$(cd "$(dirname "$0")/.." && pwd)/t3000
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export BLOCKUTILS_NOW=1700000000
ncpu=$(getconf _NPROCESSORS_ONLN)

# limit: the hashing limit, the best of three half-second runs of the best
# kernel's hash80 on every core: "headers/s kernel share headers-per-CPU-second"
limit() {
	l_w=0 l_c=0 l_s=0
	for _ in 1 2 3; do
		read -r w k sh c <<EOF
$("$T/bench-grind" -L -t 0.5)
EOF
		if [ "$w" -gt "$l_w" ]; then l_w=$w l_s=$sh; fi
		if [ "$c" -gt "$l_c" ]; then l_c=$c; fi
	done
	echo "$l_w $k $l_s $l_c"
}
# headers NAME N CMD...: CMD's rate beside the limit, on the wall clock and per CPU-second
headers() {
	h_name=$1 h_n=$2
	shift 2
	read -r lim kern share limc <<EOF
$(limit)
EOF
	read -r w c <<EOF
$(run3 "$@")
EOF
	h_rate=$(rate "$h_n" $((w * 1000)))
	h_cpu=$(rate "$h_n" $((c * 1000)))
	echo "$h_name: $(m "$h_rate") headers/s, $(m "$h_cpu") a CPU-second (best of 3);" \
	    "limit $(m "$lim")/s, $(m "$limc") a CPU-second ($kern hash80, $ncpu threads, share $share):" \
	    "fraction $(ratio "$h_rate" "$lim") (goal 0.5), a CPU-second $(ratio "$h_cpu" "$limc")"
}

echo "== $ncpu cores; load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
echo "   (\"share\": CPU the limit's threads got, 1.00 on idle cores; a busy machine lowers"
echo "   a figure and its limit together, measured a moment apart)"

# --- verify: headers -------------------------------------------------------
set --
i=0
while [ $i -lt 244 ]; do set -- "$@" "$FIX/mainnet-headers-0-4100.hex"; i=$((i + 1)); done
headers "verify --chain bitcoin (real headers 0-4100, 244 files)" $((244 * 4101)) \
    "$B/verify" -q --chain bitcoin "$@"

"$T/test-mkchain" 500000 >own.blk
"$B/chain-headers" own.blk >own.hdr
n=500000
headers "verify -H, a header file of our own (500,000)" $n "$B/verify" -q -H own.hdr
plain=$h_rate
headers "    the same on one thread (-j1)" $n "$B/verify" -q -j1 -H own.hdr
echo "    $ncpu threads over one: $(ratio "$plain" "$h_rate")x"
read -r rbytes rlines <<EOF
$("$T/bench-base" read own.hdr)
EOF
echo "    reading the file alone (read(2) and memchr, one thread): $(m "$rlines") lines/s" \
    "($(awk -v b="$rbytes" 'BEGIN { printf "%.0f", b / 1e6 }') MB/s); a header's hashing" \
    "at the limit takes $(ratio "$rlines" "$limc") times as long as reading it"

gzip -c own.hdr >own.hdr.gz
read -r zbytes zlines <<EOF
$("$T/bench-base" inflate own.hdr.gz)
EOF
read -r w c <<EOF
$(run3 "$B/verify" -q -H own.hdr.gz)
EOF
gz=$(rate $n $((w * 1000)))
echo "verify -H, the same .gz: $(m "$gz") headers/s: fraction of plain $(ratio "$gz" "$plain") (goal 0.7);" \
    "zlib alone inflates $(m "$zlines") lines/s ($(awk -v b="$zbytes" 'BEGIN { printf "%.0f", b / 1e6 }') MB/s)" \
    "on one thread: fraction of that $(ratio "$gz" "$zlines")"

# --- verify: signatures ----------------------------------------------------
"$T/test-mkchain" -T 1000 200 >tr.blk
ntr=100000
one=0
for _ in 1 2 3; do
	o=$("$T/bench-base" ed25519 0.5)
	if [ "$o" -gt "$one" ]; then one=$o; fi
done
read -r w c <<EOF
$(run3 "$B/verify" -q tr.blk)
EOF
r=$(rate $ntr $((w * 1000)))
rc=$(rate $ntr $((c * 1000)))
want=$(awk -v o="$one" -v c="$ncpu" 'BEGIN { print o * c }')
echo "verify, 100,000 transfers (100 blocks of 1000): $r signatures/s, $rc a CPU-second (best of 3);" \
    "limit $ncpu x $one (OpenSSL Ed25519 verify on one thread, best of 3):" \
    "fraction $(ratio "$r" "$want") (goal 0.9), a CPU-second $(ratio "$rc" "$one")"

# --- chain-append ------------------------------------------------------------
"$T/test-mkchain" 300 >all
head -n 101 all >c.blk && tail -n +102 all | head -n 100 >more.blk
"$B/chain-append" -q c.blk </dev/null
t0=$(ns)
while read -r line; do printf '%s\n' "$line" | "$B/chain-append" -q c.blk; done <more.blk
t1=$(ns)
"$B/verify" -q c.blk
procs=$(rate 100 $((t1 - t0)))
# one process, each line sent once the last was acknowledged: one fsync a block
head -n 101 all >d.blk
rm -f in out && mkfifo in out
"$B/chain-append" d.blk <in >out &
pid=$!
exec 3>in 4<out
t0=$(ns)
while read -r line; do printf '%s\n' "$line" >&3; read -r _ <&4; done <more.blk
t1=$(ns)
exec 3>&- 4<&-
wait $pid
"$B/verify" -q d.blk
trickle=$(rate 100 $((t1 - t0)))
echo "chain-append, 100 lines one by one: $procs blocks/s one process each;" \
    "$trickle blocks/s through one process, each acknowledged before the next is sent (one fsync a block)"
head -n 1 own.blk >g.blk
tail -n +2 own.blk | head -n 100000 >import
t0=$(ns); "$B/chain-append" -q g.blk <import; t1=$(ns)
"$B/verify" -q g.blk
piped=$(rate 100000 $((t1 - t0)))
echo "chain-append, 100,000 lines piped (group commit): $piped blocks/s;" \
    "over one fsync a block: $(ratio "$piped" "$trickle")x (goal 20)"

# --- mine ------------------------------------------------------------------
# 16 headers at bits 1e00ffff (2^24 hashes expected each); rate = hashes / seconds over them
"$T/test-mkchain" 1 | head -n 1 >g
i=0
while [ $i -lt 16 ]; do
	sed "s/ bits=[0-9a-f]* / bits=1e00ffff /; s/ time=[0-9]* / time=$((1600000000 + i)) /" g
	i=$((i + 1))
done | "$T/test-reseal" >hard
kern=$("$T/test-grind" -b)
for j in 1 "$ncpu"; do
	"$B/mine" -q -v -j"$j" <hard 2>log >/dev/null
	h=$(awk '{ h += $3 } END { print h }' log)
	s=$(awk '{ s += $6 } END { print s }' log)
	mhs=$(awk -v h="$h" -v s="$s" 'BEGIN { printf "%.2f", h / s / 1e6 }')
	lim=$("$T/bench-grind" -t 0.5 -k "$kern" | awk -v j="$j" -v k="$kern" \
	    '$1 == k { print j == 1 ? $3 : $6 }')
	echo "mine ($j thread$( [ "$j" = 1 ] || echo s), kernel $kern): $mhs MH/s over $h hashes;" \
	    "its lane limit $lim MH/s: fraction $(ratio "$mhs" "$lim")"
done

# --- verify's memory ---------------------------------------------------------
# peak RSS on 10,000 and 100,000 blocks (the ledger grows with accounts, not
# blocks; test-mkchain pays one account throughout)
head -n 100001 own.blk >long.blk
head -n 10001 own.blk >short.blk
read -r s_us s_kb <<EOF
$("$T/test-elapsed" -r "$B/verify" -q short.blk)
EOF
read -r l_us l_kb <<EOF
$("$T/test-elapsed" -r "$B/verify" -q long.blk)
EOF
echo "verify memory: peak RSS $s_kb KiB on 10,000 blocks ($(rate 10000 $((s_us * 1000))) blocks/s)," \
    "$l_kb KiB on 100,000 ($(rate 100000 $((l_us * 1000))) blocks/s); ratio $(ratio "$l_kb" "$s_kb")"
echo "== load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
