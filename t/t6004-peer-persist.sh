#!/bin/sh
test_description='peer-listen: the peers file persists across restarts; bad lines are skipped'

. ./test-lib.sh
. "$TEST_DIRECTORY/lib-peer.sh"

test_expect_success 'setup' '
	test-mkchain 3 >base.blk &&
	node_init a base.blk &&
	node_init b base.blk
'

test_expect_success 'peers persist across a restart' '
	test_when_finished "node_stop a && node_stop b" &&
	node_start a &&
	node_start b --addnode "$(node_addr a)" &&
	test_wait_until 10 "grep -q \"connected $(node_addr a)\" b/log" &&
	node_stop b &&
	test_grep "^peer addr=$(node_addr a) seen=[0-9]* attempts=[1-9][0-9]* successes=[1-9][0-9]*\$" b/peers &&
	: >b/log &&
	node_start b &&
	test_wait_until 10 "grep -q \"connected $(node_addr a)\" b/log"
'

test_expect_success 'a garbage line in the peers file is skipped with a warning' '
	test_when_finished "node_stop a && node_stop b" &&
	node_start a &&
	{
		echo "this is not a peer" &&
		echo "peer addr=$(node_addr a) seen=0 attempts=0 successes=0" &&
		echo "peer addr=999.1:x seen=0 attempts=0 successes=0"
	} >b/peers &&
	: >b/log &&
	node_start b &&
	test_grep "peers:1: bad line skipped" b/log &&
	test_grep "peers:3: bad line skipped" b/log &&
	test_wait_until 10 "grep -q \"connected $(node_addr a)\" b/log"
'

test_expect_success 'a node given --seed localhost:PORT finds its peer' '
	test_when_finished "node_stop a && node_stop c" &&
	node_init c base.blk &&
	node_start a &&
	node_start c --seed "localhost:$(cat a/port)" &&
	test_wait_until 10 "grep -q \"connected 127.0.0.1:$(cat a/port)\" c/log"
'

test_done
