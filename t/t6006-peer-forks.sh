#!/bin/sh
test_description='peer-listen: headers-first sync reaches the most-work chain, whatever the shape of the fork'

. ./test-lib.sh
. "$TEST_DIRECTORY/lib-peer.sh"

# fork_pair BASE LIGHT HEAVY: node l holds BASE+LIGHT, node h BASE+HEAVY; l
# connects to h (and, the second time, h to l); both end on BASE+HEAVY.
fork_pair() {
	cat "$1" "$2" >light.blk &&
	cat "$1" "$3" >heavy.blk &&
	rm -rf l h &&
	node_init l light.blk &&
	node_init h heavy.blk &&
	node_start h &&
	node_start l --connect "$(node_addr h)" &&
	test_wait_until 60 "cmp -s heavy.blk l/chain.blk" &&
	verify -q l/chain.blk &&
	cmp heavy.blk h/chain.blk &&
	node_stop l && node_stop h &&
	rm -rf l && node_init l light.blk &&
	node_start l &&
	node_start h --connect "$(node_addr l)" &&
	test_wait_until 60 "cmp -s heavy.blk l/chain.blk" &&
	verify -q l/chain.blk &&
	cmp heavy.blk h/chain.blk
}

test_expect_success 'setup: a base chain' '
	test-mkchain 20 >base.blk
'

test_expect_success 'a fork one block below the tip: branches of 1 and 2 blocks' '
	test_when_finished "node_stop l && node_stop h" &&
	test-mkchain -c base.blk -x aa 1 >s.part &&
	test-mkchain -c base.blk -x bb 2 >l.part &&
	fork_pair base.blk s.part l.part &&
	test_grep "reorg depth=1 fork=20 height=22" l/log
'

test_expect_success 'branches of 10 and 11 blocks' '
	test_when_finished "node_stop l && node_stop h" &&
	test-mkchain -c base.blk -x aa 10 >s.part &&
	test-mkchain -c base.blk -x bb 11 >l.part &&
	fork_pair base.blk s.part l.part &&
	test_grep "reorg depth=10 fork=20 height=31" l/log
'

test_expect_success 'branches of 500 and 501 blocks' '
	test_when_finished "node_stop l && node_stop h" &&
	test-mkchain -c base.blk -x aa 500 >s.part &&
	test-mkchain -c base.blk -x bb 501 >l.part &&
	fork_pair base.blk s.part l.part &&
	test_grep "reorg depth=500 fork=20 height=521" l/log
'

test_expect_success 'branches of 2001 and 2002 blocks (past one headers message)' '
	test_when_finished "node_stop l && node_stop h" &&
	test-mkchain -c base.blk -x aa 2001 >s.part &&
	test-mkchain -c base.blk -x bb 2002 >l.part &&
	fork_pair base.blk s.part l.part &&
	test_grep "reorg depth=2001 fork=20 height=2022" l/log
'

test_expect_success 'branches of 5000 and 5001 blocks (presync of the fork)' '
	test_when_finished "node_stop l && node_stop h" &&
	test-mkchain -c base.blk -x aa 5000 >s.part &&
	test-mkchain -c base.blk -x bb 5001 >l.part &&
	fork_pair base.blk s.part l.part &&
	test_grep "reorg depth=5000 fork=20 height=5021" l/log
'

test_expect_success 'the recipe of the issue: 1000 blocks, then 3000 against 3500 (a fork between locator entries)' '
	test_when_finished "node_stop l && node_stop h" &&
	test-mkchain 1000 >base1k.blk &&
	test-mkchain -c base1k.blk -x aa 3000 >s.part &&
	test-mkchain -c base1k.blk -x bb 3500 >l.part &&
	fork_pair base1k.blk s.part l.part &&
	test_grep "reorg depth=3000 fork=1000 " l/log
'

test_expect_success 'a fork at the genesis block' '
	test_when_finished "node_stop l && node_stop h" &&
	test-mkchain 0 >gen.blk &&
	test-mkchain -c gen.blk -x aa 30 >s.part &&
	test-mkchain -c gen.blk -x bb 31 >l.part &&
	fork_pair gen.blk s.part l.part &&
	test_grep "reorg depth=30 fork=0 height=31" l/log
'

test_expect_success 'the losing branch is longer in blocks but lighter in work' '
	test_when_finished "node_stop l && node_stop h" &&
	test-mkchain -r 10 -t 1699000000 20 >rbase.blk &&
	test-mkchain -c rbase.blk -s 1 -x aa 30 >heavy.part &&
	test-mkchain -c rbase.blk -s 600 -x bb 100 >long.part &&
	test_line_count = 100 long.part &&
	fork_pair rbase.blk long.part heavy.part &&
	test_grep "reorg depth=100 fork=20 " l/log &&
	verify heavy.blk >vh && verify light.blk >vl &&
	test_grep "height=50 .* work=22a4 " vh && test_grep "height=120 .* work=1591 " vl
'

test_expect_success 'a line of five: the heavier branch at one end reaches the other' '
	test_when_finished "for d in n0 n1 n2 n3 n4; do node_stop \$d; done" &&
	test-mkchain -c base.blk -x aa 300 >s.part &&
	test-mkchain -c base.blk -x bb 301 >l.part &&
	cat base.blk s.part >light.blk &&
	cat base.blk l.part >heavy.blk &&
	node_init n0 heavy.blk &&
	for d in n1 n2 n3 n4
	do
		node_init $d light.blk || return 1
	done &&
	node_start n0 &&
	node_start n1 --connect "$(node_addr n0)" &&
	node_start n2 --connect "$(node_addr n1)" &&
	node_start n3 --connect "$(node_addr n2)" &&
	node_start n4 --connect "$(node_addr n3)" &&
	for d in n1 n2 n3 n4
	do
		test_wait_until 60 "cmp -s heavy.blk $d/chain.blk" || return 1
		verify -q $d/chain.blk || return 1
	done
'

test_done
