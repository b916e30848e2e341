#!/bin/sh
test_description='peer-listen: kill -9 at random moments of a 900-block reorganization, then a restart'

. ./test-lib.sh
. "$TEST_DIRECTORY/lib-peer.sh"

# BU_TRIALS (default 20) trials; BU_SEED (printed) replays the same moments.
TRIALS=${BU_TRIALS:-20}
SEED=$BU_SEED	# the harness picked one when the caller did not
say_seed_() { echo "# t6007: BU_SEED=$SEED BU_TRIALS=$TRIALS" >&2; }
say_seed_

size() { wc -c <"$1" | tr -d ' '; }

test_expect_success 'setup: a common chain, 900 blocks on one branch, 901 on the other' '
	test-mkchain 50 >base.blk &&
	test-mkchain -c base.blk -x aa 900 >s.part &&
	test-mkchain -c base.blk -x bb 901 >l.part &&
	cat base.blk s.part >light.blk &&
	cat base.blk l.part >heavy.blk &&
	node_init h heavy.blk
'

# one_trial N: kill the node that reorganizes at a moment picked from N,
# restart it, and see it reach the heavy chain with no stray file left.
# The watch starts before the node does: the whole reorganization takes a
# few milliseconds.
one_trial() {
	r=$(( ($1 * 1103515245 + 12345) % 2147483648 / 65536 % 4 )) &&
	part=$(size s.part) && light=$(size light.blk) &&
	at=$(( ($1 * 69069 + 1) % 2147483648 % (part - 1) + 1 )) &&
	rm -rf l && node_init l light.blk &&
	case $r in
	0)	# downloading: side.blk grows with the heavy branch
		set -- -s "$at" l/side.blk ;;
	1)	# the reorganization copies the light branch to side.blk
		set -- -s "$((part + at))" l/side.blk ;;
	2)	# the chain file was cut back to the fork
		set -- -b "$light" -e "$(size heavy.blk)" -s 0 l/chain.blk ;;
	3)	# the heavy branch is written, not yet synced
		set -- -b "$light" -e "$(size heavy.blk)" -s "$(size heavy.blk)" l/chain.blk ;;
	esac &&
	{ test-killat -P l/pid "$@" & } &&
	killer=$! &&
	node_start l --connect "$(node_addr h)" &&
	{ wait $killer || { test $? = 2 && echo "# the moment was missed: killed at the end" >&2; }; } &&
	node_stop l KILL &&
	{ verify -q l/chain.blk 2>err || test_grep truncated err; } &&
	node_start l --connect "$(node_addr h)" &&
	test_wait_until 20 "cmp -s heavy.blk l/chain.blk" &&
	verify -q l/chain.blk &&
	test_path_is_missing l/side.blk.tmp &&
	test_path_is_missing l/chain.blk.reorg &&
	node_stop l
}

test_expect_success "kill -9 during the reorganization, $TRIALS trials: each restart resumes" '
	test_when_finished "node_stop h; node_stop l" &&
	node_start h &&
	seed=$SEED && k=0 &&
	while test $k -lt $TRIALS
	do
		one_trial $seed || { echo "trial $k failed: replay it with BU_SEED=$seed BU_TRIALS=1" >&2; return 1; }
		seed=$(( (seed * 1103515245 + 12345) % 2147483648 )) &&
		k=$((k + 1))
	done
'

test_expect_success 'a restart with no peer finishes a reorganization from side.blk alone' '
	test_when_finished "node_stop h; node_stop l" &&
	node_start h &&
	tries=0 &&
	while test $tries -lt 5
	do
		rm -rf l && node_init l light.blk &&
		{ test-killat -P l/pid -b "$(size light.blk)" -e "$(size heavy.blk)" -s 0 \
			l/chain.blk & } &&
		killer=$! &&
		node_start l --connect "$(node_addr h)" &&
		{ wait $killer; got=$?; } &&
		node_stop l KILL &&
		if test $got = 0; then break; fi
		tries=$((tries + 1))
	done &&
	test $tries -lt 5 &&
	test_line_count -lt 952 l/chain.blk &&
	node_stop h &&
	node_start l &&
	test_wait_until 20 "cmp -s heavy.blk l/chain.blk" &&
	verify -q l/chain.blk
'

test_done
