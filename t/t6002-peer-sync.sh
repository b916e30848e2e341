#!/bin/sh
test_description='peer-listen: a new node syncs 1,000 blocks from one peer, learns its peers, resumes after kill -9'

. ./test-lib.sh
. "$TEST_DIRECTORY/lib-peer.sh"

test_expect_success 'setup: a 1,000-block chain' '
	test-mkchain 1000 >long.blk &&
	head -n 1 long.blk >gen.blk &&
	verify -q long.blk
'

test_expect_success 'a new node given one peer syncs it all (block lines parsed ahead by no helper, two, and the default) and learns the peer'"'"'s peers' '
	test_when_finished "node_stop a && node_stop b && node_stop c && node_stop d" &&
	node_init a long.blk &&
	node_init b gen.blk &&
	node_init c gen.blk &&
	node_init d gen.blk &&
	node_start a &&
	node_start b -j 1 --connect "$(node_addr a)" &&
	node_start c -j 3 --connect "$(node_addr a)" &&
	node_wait_height b 1000 &&
	node_wait_height c 1000 &&
	test_cmp long.blk b/chain.blk && test_cmp long.blk c/chain.blk &&
	node_start d --addnode "$(node_addr a)" &&
	node_wait_height d 1000 &&
	test_cmp long.blk d/chain.blk &&
	verify -q d/chain.blk &&
	test_wait_until 20 "grep -q \"addr=$(node_addr b) \" d/peers && grep -q \"addr=$(node_addr c) \" d/peers" &&
	peer-send --peers "$(node_addr d)" >peers &&
	test_grep "^$(node_addr b)\$" peers
'

test_expect_success 'kill -9 during a sync, then a restart: it resumes and verifies' '
	test_when_finished "node_stop a && node_stop e" &&
	node_init e gen.blk &&
	node_start a &&
	node_start e --connect "$(node_addr a)" &&
	test_wait_until 20 "test \$(node_height e) -ge 1" &&
	node_stop e KILL &&
	verify -q e/chain.blk 2>err || test_grep truncated err &&
	node_start e --connect "$(node_addr a)" &&
	node_wait_height e 1000 &&
	verify -q e/chain.blk &&
	test_cmp long.blk e/chain.blk
'

test_done
