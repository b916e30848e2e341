#!/bin/sh
test_description='peer-listen and peer-send: two nodes, verdicts, requests, the miner loop'

. ./test-lib.sh
. "$TEST_DIRECTORY/lib-peer.sh"

# two_nodes: start a, and b connected to a; both stop when the test ends
two_nodes() {
	test_when_finished "node_stop a && node_stop b" &&
	node_start a &&
	node_start b --connect "$(node_addr a)" &&
	test_wait_until 10 "grep -q \"connected $(node_addr a)\" b/log"
}

test_expect_success 'setup: a genesis and two nodes' '
	mkkey miner >/dev/null &&
	mkkey other >/dev/null &&
	mkblock --genesis --powlimit 207fffff --maturity 1 --time 1699990000 </dev/null >raw &&
	mine raw >gen.blk &&
	node_init a gen.blk &&
	node_init b gen.blk
'

test_expect_success 'a block sent to one node reaches the other; both files verify' '
	two_nodes &&
	cp a/chain.blk work.blk &&
	mkblock -c work.blk --coinbase "$(mkkey -p miner)" </dev/null >raw &&
	mine raw >b1.blk &&
	peer-send "$(node_addr a)" <b1.blk >out &&
	test_grep "^accepted block $(sed "s/.* hash=\([0-9a-f]*\) .*/\1/" b1.blk)\$" out &&
	node_wait_height b 1 &&
	test_cmp a/chain.blk b/chain.blk &&
	verify -q b/chain.blk &&
	test_grep "block .* height=1 accepted" b/log
'

test_expect_success 'a block sent twice: the second is known, exit 0; a whole chain pushed again too' '
	two_nodes &&
	peer-send "$(node_addr b)" <b1.blk >out &&
	test_grep "^known block $(sed "s/.* hash=\([0-9a-f]*\) .*/\1/" b1.blk)\$" out &&
	peer-send "$(node_addr b)" <b/chain.blk >out &&
	grep "^known block " out >known && test_cmp known out && test_line_count = 2 out
'

test_expect_success 'the genesis of another chain is refused as such, naming both chains' '
	two_nodes &&
	mkblock --genesis --powlimit 207fffff --name other --time 1699990000 </dev/null >og.raw &&
	mine og.raw >og.blk &&
	test_expect_code 1 peer-send "$(node_addr b)" <og.blk >out &&
	test_grep "^rejected block bad-chain the genesis block of chain $(sed "s/.* hash=\([0-9a-f]*\) .*/\1/" og.blk); this node follows chain $(head -n 1 b/chain.blk | sed "s/.* hash=\([0-9a-f]*\) .*/\1/")\$" out
'

test_expect_success 'an invalid block is rejected with its reason word, exit 1' '
	two_nodes &&
	cp a/chain.blk work.blk &&
	mkblock -c work.blk --coinbase "$(mkkey -p miner)" </dev/null >raw &&
	mine raw >good.blk &&
	sed "s/ bits=207fffff / bits=1d00ffff /" good.blk >bad.blk &&
	test_expect_code 1 peer-send "$(node_addr a)" <bad.blk >out &&
	test_line_count = 1 out &&
	test_grep "^rejected block bad-diffbits " out &&
	test $(node_height a) = 1
'

test_expect_success 'the miner loop: mempool | mkblock | mine | peer-send' '
	two_nodes &&
	mktx -k miner -c a/chain.blk "$(mkkey -p other)" 1000 >tx1 &&
	peer-send "$(node_addr a)" <tx1 >out &&
	test_grep "^accepted tx " out &&
	test_wait_until 10 "peer-send --mempool $(node_addr b) >pool && test -s pool" &&
	test_cmp tx1 pool &&
	peer-send --chain "$(node_addr b)" >mychain &&
	test_cmp b/chain.blk mychain &&
	peer-send --mempool "$(node_addr a)" >pool &&
	mkblock -c mychain --coinbase "$(mkkey -p miner)" pool >raw &&
	mine raw >b2.blk &&
	peer-send "$(node_addr b)" <b2.blk >out &&
	test_grep "^accepted block" out &&
	node_wait_height a 2 &&
	test_cmp a/chain.blk b/chain.blk &&
	verify -q a/chain.blk &&
	test_wait_until 10 "peer-send --mempool $(node_addr a) >pool && ! test -s pool"
'

test_expect_success 'peer-send: a tx the ledger refuses is rejected' '
	two_nodes &&
	test_expect_code 1 peer-send "$(node_addr a)" <tx1 >out &&
	test_grep "^rejected tx " out
'

test_expect_success 'a second transfer with a nonce the pool holds names the first' '
	two_nodes &&
	mktx -k miner -c a/chain.blk "$(mkkey -p other)" 7 >t1 &&
	mktx -k miner -c a/chain.blk "$(mkkey -p other)" 8 >t2 &&
	peer-send "$(node_addr a)" <t1 >out &&
	id=$(sed "s/^accepted tx //" out) &&
	test_expect_code 1 peer-send "$(node_addr a)" <t2 >out &&
	test_grep "^rejected tx txn-mempool-conflict the pool holds transfer $id from this sender with nonce 1\$" out
'

test_expect_success 'blocks chain-append adds are noticed and relayed' '
	two_nodes &&
	cp a/chain.blk work.blk &&
	mkblock -c work.blk --coinbase "$(mkkey -p miner)" </dev/null >raw &&
	mine raw >b3.blk &&
	h=$(node_height a) &&
	chain-append -q a/chain.blk b3.blk &&
	node_wait_height b $((h + 1)) &&
	test_cmp a/chain.blk b/chain.blk &&
	test_grep "chain file grew" a/log
'

test_expect_success 'requests: peers and ping' '
	two_nodes &&
	peer-send --peers "$(node_addr a)" >peers &&
	test_grep "^$(node_addr b)\$" peers &&
	peer-send --ping "$(node_addr a)" >ping &&
	test_grep "^pong time=[0-9.]* ms\$" ping
'

test_expect_success 'an unreachable node is exit 3; usage is exit 2' '
	port=$(test_free_port) &&
	test_expect_code 3 peer-send -t 2 "127.0.0.1:$port" <b1.blk &&
	test_expect_code 2 peer-send 127.0.0.1:1 127.0.0.1:2 <b1.blk &&
	test_expect_code 2 peer-send --bogus 127.0.0.1:1 &&
	test_expect_code 2 peer-listen &&
	peer-send -h >usage &&
	test_grep "^usage: peer-send" usage
'

test_expect_success IPV6 'IPv6: a node on ::1 and peer-send [::1]:port' '
	two_nodes &&
	node_init v6 a/chain.blk &&
	test_when_finished "node_stop v6" &&
	node_start v6 -l ::1 --connect "$(node_addr a)" &&
	peer-send --ping "[::1]:$(cat v6/port)" >ping &&
	test_grep "^pong" ping
'

test_expect_success 'the nodes stopped cleanly' '
	verify -q a/chain.blk &&
	test_cmp a/chain.blk b/chain.blk
'

test_done
