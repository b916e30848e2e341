# lib.sh: what the bench scripts share; source it by the script's own path, before any cd:
#     . "$(dirname "$0")/lib.sh"

# ns: the clock in nanoseconds
ns() { date +%s%N; }
# rate N NS: N a second over NS nanoseconds
rate() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.0f", n / (t / 1e9) }'; }
# ratio A B: A / B, two decimals
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# m N: N in millions
m() { awk -v a="$1" 'BEGIN { printf "%.2f M", a / 1e6 }'; }
# run3 CMD...: of three runs, the shortest time and the least CPU time, in us: "wall cpu"
run3() {
	r_w=0 r_c=0
	for _ in 1 2 3; do
		read -r r_us r_cus <<EOF
$("$T/test-elapsed" -c "$@")
EOF
		if [ "$r_w" -eq 0 ] || [ "$r_us" -lt "$r_w" ]; then r_w=$r_us; fi
		if [ "$r_c" -eq 0 ] || [ "$r_cus" -lt "$r_c" ]; then r_c=$r_cus; fi
	done
	echo "$r_w $r_c"
}
