#!/bin/sh
# shellcheck disable=SC2016,SC2154 # single-quoted bodies; trial and the counters are set in one
test_description='stress (make stress, not make test): chain-append killed at random moments, and writers and readers at once'

. ./test-lib.sh

TRIALS=${STRESS_TRIALS:-1000}
NB=200

# rand: a random 32-bit number, replayable with the BU_SEED a failure prints
rand() {
	test_random 4294967296
}

# prefix_of FILE BIG: FILE is a byte prefix of BIG
prefix_of() {
	head -c "$(wc -c <"$1")" "$2" | cmp -s - "$1"
}

# torn FILE: its last byte is not a newline
torn() {
	test -s "$1" && test "$(tail -c 1 "$1" | od -An -c | tr -d " ")" != '\n'
}

test_expect_success "setup: a chain of $NB blocks, and another from the same genesis" '
	test-mkchain $NB >src.blk && test_line_count = $((NB + 1)) src.blk &&
	head -n 1 src.blk >genesis &&
	test-mkchain -c genesis -x 01 $NB >alt.part && cat genesis alt.part >alt.blk &&
	verify -q src.blk && verify -q alt.blk && ! cmp -s src.blk alt.blk
'

# trial: append the next 1-5 blocks with chain-append killed after a random
# 0-15 ms; one time in ten a torn tail is left first, as a power loss would
trial() {
	n=$(($(wc -l <k.blk) - 1)) &&
	if [ "$n" -ge "$NB" ]; then
		cp genesis k.blk && rm -f k.blk.state k.blk.state.key && n=0 && resets=$((resets + 1))
	fi &&
	tail -n +$((n + 2)) src.blk | head -n $((1 + $(rand) % 5)) >in &&
	if [ $(($(rand) % 10)) = 0 ] && ! torn k.blk; then
		sed -n "$((n + 2))p" src.blk | head -c $((1 + $(rand) % 300)) >>k.blk &&
		made=$((made + 1))
	fi &&
	was_torn=no && if torn k.blk; then was_torn=yes; fi &&
	test-kill $(($(rand) % 15000)) chain-append k.blk in >ack 2>err &&
	if grep -q "^killed" err; then killed=$((killed + 1)); fi &&
	if grep -q "cut [0-9]* bytes of an unfinished last line" err; then cut=$((cut + 1)); fi &&
	if grep -q "^exited 0" err && [ "$was_torn" = yes ]; then
		grep -q "cut [0-9]* bytes" err || { echo "trial $trial: a torn tail not cut"; return 1; }
	fi &&
	{ ! grep -v "^killed\$\|^exited [04]\$\|cut [0-9]* bytes\|state cache not written" err ||
		{ echo "trial $trial: unexpected diagnostics"; return 1; }; } &&
	{ prefix_of k.blk src.blk || { echo "trial $trial: k.blk is not a prefix of the chain"; return 1; }; } &&
	sed "s/ hash=\([0-9a-f]*\) .*/ \1/" in | sed "s/^.* //" | head -n "$(wc -l <ack)" >want &&
	{ cmp -s want ack || { echo "trial $trial: acks are not the input in order"; return 1; }; } &&
	for h in $(cat ack); do
		grep -q " hash=$h " k.blk || { echo "trial $trial: acknowledged $h is missing"; return 1; }
	done &&
	if torn k.blk; then
		torn_after=$((torn_after + 1)) &&
		{ test_expect_code 1 verify -q k.blk 2>verr && grep -q ": truncated: " verr; } ||
		{ echo "trial $trial: a torn tail that verify does not call truncated"; return 1; }
	else
		verify -q k.blk || { echo "trial $trial: k.blk does not verify"; return 1; }
	fi &&
	if [ $((trial % 20)) = 0 ] && ! torn k.blk; then
		balances k.blk >cached && cp k.blk w.blk && balances w.blk >walked && rm -f w.blk* &&
		{ cmp -s cached walked || { echo "trial $trial: the cache disagrees with the chain"; return 1; }; }
	fi &&
	for f in k.blk.*; do
		test -e "$f" || continue
		case $f in
		k.blk.state|k.blk.state.key|k.blk.state.tmp|k.blk.state.key.tmp) ;;
		*) echo "trial $trial: litter: $f"; return 1 ;;
		esac
	done
}

test_expect_success "$TRIALS kill -9 trials: a prefix of the chain, every ack kept, torn tails cut" '
	cp genesis k.blk && trial=0 killed=0 cut=0 made=0 torn_after=0 resets=0 &&
	while [ $trial -lt $TRIALS ]; do
		trial=$((trial + 1)) && trial || return 1
	done &&
	echo "trials=$trial killed=$killed torn-made=$made torn-left=$torn_after cut=$cut restarts=$resets" >&2 &&
	test $killed -gt $((TRIALS / 4)) && test $cut -gt 0 &&
	n=$(($(wc -l <k.blk) - 1)) && tail -n +$((n + 2)) src.blk | chain-append -q k.blk &&
	test_cmp src.blk k.blk && verify -q k.blk &&
	balances k.blk >cached && rm k.blk.state && balances k.blk >walked && test_cmp walked cached
'

# writer CHAIN OUT: each block of CHAIN after its genesis, one chain-append each,
# into w.blk; every status goes to OUT (0 appended, 4 not the tip)
writer() {
	tail -n +2 "$1" | while read -r line; do
		printf "%s\n" "$line" | chain-append -q w.blk 2>>"$2.err"
		echo $?
	done >"$2"
}

test_expect_success 'four writers of two forks and a reader at once: one fork whole, never a torn line' '
	cp genesis w.blk &&
	{ writer src.blk s1 & } && p1=$! && { writer src.blk s2 & } && p2=$! &&
	{ writer alt.blk a1 & } && p3=$! && { writer alt.blk a2 & } && p4=$! &&
	reads=0 && while kill -0 $p1 2>/dev/null || kill -0 $p2 2>/dev/null ||
		kill -0 $p3 2>/dev/null || kill -0 $p4 2>/dev/null; do
		balances w.blk >/dev/null 2>rerr || { cat rerr; return 1; }
		reads=$((reads + 1))
	done &&
	wait $p1 && wait $p2 && wait $p3 && wait $p4 &&
	echo "reads=$reads" >&2 &&
	cat s1 s2 a1 a2 | sort | uniq -c >statuses && cat statuses >&2 &&
	test_grep -v " [12356789]\$" statuses &&
	{ cmp -s w.blk src.blk || cmp -s w.blk alt.blk; } && verify -q w.blk &&
	test "$(cat s1 s2 a1 a2 | grep -c "^0\$")" = $NB
'

test_done
