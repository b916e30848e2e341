#!/bin/sh
test_description='peer-listen: ten nodes in a line pass a block and a tx end to end'

. ./test-lib.sh
. "$TEST_DIRECTORY/lib-peer.sh"

test_expect_success 'setup: a chain and ten nodes, each connected to its left neighbour' '
	test-mkchain 2 >base.blk &&
	test-mkchain -c base.blk 1 >next.blk &&
	i=0 &&
	while test $i -lt 10
	do
		node_init n$i base.blk || return 1
		i=$((i + 1))
	done
'

test_expect_success 'a block and a tx submitted at one end reach the other' '
	test_when_finished "for d in n0 n1 n2 n3 n4 n5 n6 n7 n8 n9; do node_stop \$d; done" &&
	node_start n0 &&
	i=1 &&
	while test $i -lt 10
	do
		node_start n$i --connect "$(node_addr n$((i - 1)))" || return 1
		i=$((i + 1))
	done &&
	test_wait_until 20 "grep -q connected n9/log" &&
	peer-send "$(node_addr n0)" <next.blk >out &&
	test_grep "^accepted block" out &&
	node_wait_height n9 3 &&
	test_cmp n0/chain.blk n9/chain.blk &&
	verify -q n9/chain.blk &&
	echo "tx data:hello%20from%20the%20far%20end" >tx &&
	peer-send "$(node_addr n9)" <tx >out &&
	test_grep "^accepted tx" out &&
	test_wait_until 20 "peer-send --mempool $(node_addr n0) >pool && test -s pool" &&
	test_cmp tx pool &&
	test_grep ! "connected 127.0.0.1:$(cat n2/port)" n0/log
'

test_done
