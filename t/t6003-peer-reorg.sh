#!/bin/sh
test_description='peer-listen: two groups mine apart, then meet: all follow the most work'

. ./test-lib.sh
. "$TEST_DIRECTORY/lib-peer.sh"

test_expect_success 'setup: a common chain, a short and a long branch' '
	test-mkchain 5 >base.blk &&
	test-mkchain -c base.blk -x aa 3 >short.part &&
	test-mkchain -c base.blk -x bb 6 >long.part &&
	cat base.blk long.part >long.blk &&
	for d in a1 a2 b1 b2
	do
		node_init $d base.blk || return 1
	done
'

test_expect_success 'groups apart, then joined: every node ends on the heavier branch' '
	test_when_finished "node_stop a1 && node_stop a2 && node_stop b1 && node_stop b2" &&
	node_start a1 &&
	node_start a2 --connect "$(node_addr a1)" &&
	node_start b1 &&
	node_start b2 --connect "$(node_addr b1)" &&
	peer-send "$(node_addr a1)" <short.part >out &&
	peer-send "$(node_addr b1)" <long.part >out &&
	node_wait_height a2 8 &&
	node_wait_height b2 11 &&
	cp a2/chain.blk a2.before &&
	node_stop a2 &&
	node_start a2 --connect "$(node_addr a1)" --connect "$(node_addr b2)" &&
	for d in a1 a2 b1 b2
	do
		node_wait_height $d 11 || return 1
		test_wait_until 10 "test_cmp long.blk $d/chain.blk >/dev/null" || return 1
		verify -q $d/chain.blk || return 1
	done &&
	test_grep "reorg depth=3" a2/log &&
	test_grep "reorg depth=3" a1/log
'

test_expect_success 'a transfer a reorganization takes off the chain goes back to the pool and reaches the peer' '
	. "$TEST_DIRECTORY/lib-chain.sh" &&
	mkdir tx && cd tx &&
	setup_keys && make_genesis c.blk --maturity 1 --time 1699990000 &&
	add_block c.blk "$A" --time 1699990100 &&
	cp c.blk s.blk && cp c.blk l.blk &&
	mktx -k a.key -c c.blk "$B" 1000 >t.tx &&
	add_block s.blk "$A" --time 1699990200 <t.tx &&
	add_block l.blk "$C" --time 1699990300 && add_block l.blk "$C" --time 1699990400 &&
	grep -q "$(cut -d" " -f2 t.tx)" s.blk && ! grep -q "$(cut -d" " -f2 t.tx)" l.blk &&
	node_init na s.blk && node_init nb l.blk &&
	test_when_finished "node_stop tx/na; node_stop tx/nb" &&
	node_start nb &&
	peer-send --mempool "$(node_addr nb)" >before && test_must_be_empty before &&
	node_start na --connect "$(node_addr nb)" &&
	test_wait_until 20 "test_cmp l.blk na/chain.blk >/dev/null 2>&1" &&
	test_wait_until 20 "peer-send --mempool $(node_addr nb) | grep -q ." &&
	peer-send --mempool "$(node_addr nb)" >pool &&
	test_cmp t.tx pool &&
	peer-send --mempool "$(node_addr na)" >pool && test_cmp t.tx pool
'

test_expect_success 'a side branch survives a restart (dir/side.blk) and can still win' '
	test_when_finished "node_stop c" &&
	node_init c base.blk &&
	node_start c &&
	peer-send "$(node_addr c)" <short.part >out &&
	head -n 3 long.part >long.first &&
	peer-send "$(node_addr c)" <long.first >out &&
	test_line_count = 3 out && test_grep ! reject out &&
	cat base.blk short.part >short.blk && test_cmp short.blk c/chain.blk &&
	node_stop c &&
	test_cmp long.first c/side.blk &&
	node_start c &&
	tail -n 3 long.part >long.rest &&
	peer-send "$(node_addr c)" <long.rest >out &&
	test_grep ! reject out &&
	test_cmp long.blk c/chain.blk && verify -q c/chain.blk &&
	test_grep "reorg depth=3" c/log &&
	sed -n 4p long.part >long.fourth &&
	cat long.first long.fourth short.part >expect.side && test_cmp expect.side c/side.blk
'

test_expect_success 'at start side.blk is compacted; a torn last line is dropped' '
	test_when_finished "node_stop c" &&
	{ cat c/side.blk && printf "block height=9 hash=" ; } >c/side.tmp &&
	mv c/side.tmp c/side.blk &&
	node_start c &&
	test_grep "side.blk:8: truncated: .*; dropped" c/log &&
	node_stop c &&
	test_cmp short.part c/side.blk
'

test_expect_success 'blocks taken during a handshake are announced once it completes' '
	test_when_finished "exec 3>&-; node_stop h" &&
	node_init h base.blk &&
	node_start h &&
	rm -f hs.fifo && mkfifo hs.fifo &&
	tip=$(tail -n 1 short.part | sed "s/.* hash=\([0-9a-f]*\) .*/\1/") &&
	{ test-netcat -w 20 -u "inv block $tip" "$(node_addr h)" <hs.fifo >hs.out & } &&
	exec 3>hs.fifo &&
	test_wait_until 10 "grep -q ^hello hs.out" &&
	peer-send "$(node_addr h)" <short.part >out &&
	node_wait_height h 8 &&
	printf "hello chain=%s height=0 work=0 port=4600 nonce=0000000000000046 agent=raw\n" \
		"$(head -n 1 base.blk | sed "s/.* hash=\([0-9a-f]*\) .*/\1/")" >&3 &&
	test_wait_until 10 "grep -q \"^inv block $tip\\\$\" hs.out"
'

test_done
