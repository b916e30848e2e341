#!/bin/sh
test_description='peer-listen: syncing from several peers, past a withholding or an invalid one; other writers; one node a directory'

. ./test-lib.sh
. "$TEST_DIRECTORY/lib-peer.sh"

# hello_line PORT N: a hello from a raw peer (test-netcat) listening on PORT
hello_line() {
	printf "hello chain=%s height=0 work=0 port=%s nonce=00000000000000%02d agent=raw\n" \
		"$(head -n 1 base.blk | sed "s/.* hash=\([0-9a-f]*\) .*/\1/")" "$1" "$2"
}

tip_hash() {
	tail -n 1 "$1" | sed 's/^block height=[0-9]* hash=\([0-9a-f]*\) .*/\1/'
}

test_expect_success 'setup' '
	test-mkchain 20 >base.blk &&
	test-mkchain -c base.blk -x aa 5000 >long.part &&
	cat base.blk long.part >long.blk
'

# The late node's three handshakes race its download: with 5,000 blocks the
# first peer served them all before the others' hellos in 1 of 20 --stress
# runs; 20,000 blocks give the other peers time to join in.
test_expect_success 'a node that joins late syncs from several peers' '
	test_when_finished "for d in p1 p2 p3 v; do node_stop \$d; done" &&
	BLOCKUTILS_NOW=$((BLOCKUTILS_NOW + 30000)) && export BLOCKUTILS_NOW &&
	test-mkchain -c base.blk -x ee 20000 >late.part &&
	cat base.blk late.part >late.blk &&
	for d in p1 p2 p3
	do
		node_init $d late.blk && node_start $d || return 1
	done &&
	node_init v base.blk &&
	node_start v --connect "$(node_addr p1)" --connect "$(node_addr p2)" \
		--connect "$(node_addr p3)" &&
	test_wait_until 60 "cmp -s late.blk v/chain.blk" &&
	verify -q v/chain.blk &&
	sed -n "s/.* accepted from \(.*\)$/\1/p" v/log | sort -u >served &&
	test_line_count -ge 2 served
'

test_expect_success 'a peer that serves headers and withholds the blocks is dropped; another serves them' '
	test_when_finished "node_stop wv; node_stop wh" &&
	node_init wv base.blk &&
	node_start wv &&
	{ hello_line 4500 1 && test-headers long.blk; } >withhold.in &&
	: >withhold.out &&
	{ test-netcat -w 30 "$(node_addr wv)" <withhold.in >>withhold.out & } &&
	test_wait_until 10 "grep -q ^getdata withhold.out" &&
	node_init wh long.blk &&
	node_start wh --connect "$(node_addr wv)" &&
	test_wait_until 30 "cmp -s long.blk wv/chain.blk" &&
	verify -q wv/chain.blk &&
	test_grep "disconnected 127.0.0.1:[0-9]*: stalled" wv/log &&
	test_path_is_missing wv/bans
'

test_expect_success 'an invalid block marks its branch invalid; the node goes on with the best valid chain' '
	test_when_finished "node_stop v; node_stop h" &&
	test-mkchain -c base.blk -x bb 6 >good.part &&
	test-mkchain -c base.blk -x cc -i 4 10 >bad.part &&
	cat base.blk good.part >good.blk &&
	cat base.blk bad.part >bad.blk &&
	rm -rf v h && node_init v base.blk && node_init h good.blk &&
	node_start v &&
	{ hello_line 4501 2 && test-headers bad.blk && cat bad.part; } >bad.in &&
	test-netcat "$(node_addr v)" <bad.in >bad.out &&
	test_grep "invalid: bad-cb-amount" v/log &&
	test_grep "^ban addr=127.0.0.1:4501 until=[0-9]* reason=bad-cb-amount\$" v/bans &&
	node_start h --connect "$(node_addr v)" &&
	test_wait_until 30 "cmp -s good.blk v/chain.blk" &&
	verify -q v/chain.blk &&
	test-headers -f 5 bad.blk >after.hdr &&
	{ hello_line 4502 3 && cat after.hdr; } >after.in &&
	test-netcat "$(node_addr v)" <after.in >after.out &&
	test_grep "ban 127.0.0.1:4502 .*bad-prevblk" v/log &&
	cmp good.blk v/chain.blk
'

test_expect_success 'a block ahead of the clock is not invalid: no ban, and taken once the clock is there' '
	test_when_finished "node_stop v" &&
	t=$(tail -n 1 base.blk | sed "s/.* time=\([0-9]*\) .*/\1/") &&
	BLOCKUTILS_NOW=1700003000 test-mkchain -c base.blk -s $((1700009000 - t)) -x dd 1 >future.blk &&
	rm -rf v && node_init v base.blk &&
	node_start v &&
	test_expect_code 1 peer-send "$(node_addr v)" <future.blk >out &&
	test_grep "^rejected block time-too-new" out &&
	{ hello_line 4503 4 && cat future.blk; } >future.in &&
	test-netcat "$(node_addr v)" <future.in >future.out &&
	test_grep ! "^ban" v/log &&
	test_path_is_missing v/bans &&
	test_expect_code 1 peer-send "$(node_addr v)" <future.blk >out &&
	test_grep "^rejected block time-too-new" out &&
	node_stop v &&
	BLOCKUTILS_NOW=1700003000 node_start v &&
	peer-send "$(node_addr v)" <future.blk >out &&
	test_grep "^accepted block $(tip_hash future.blk)\$" out &&
	test_line_count = 22 v/chain.blk
'

test_expect_success 'a second peer-listen on the same directory is refused' '
	test_when_finished "node_stop v" &&
	rm -rf v && node_init v base.blk &&
	node_start v &&
	test_expect_code 3 peer-listen -p 0 v 2>err &&
	test_grep "v.* is in use by another peer-listen (pid $(cat v/pid))" err &&
	peer-send --ping "$(node_addr v)" >out
'

test_expect_success 'chain-append X, then at once a peer-send of Y at the same height: X stays' '
	test_when_finished "node_stop v" &&
	rm -rf v && node_init v base.blk &&
	node_start v &&
	test-mkchain -c v/chain.blk -x aa 1 >x.blk &&
	test-mkchain -c v/chain.blk -x bb 1 >y.blk &&
	chain-append v/chain.blk <x.blk >ack &&
	test_line_count = 1 ack &&
	peer-send "$(node_addr v)" <y.blk >out &&
	test_grep "^side block $(tip_hash y.blk)\$" out &&
	cat base.blk x.blk >expect &&
	test_cmp expect v/chain.blk &&
	node_stop v &&
	test_cmp expect v/chain.blk &&
	verify -q v/chain.blk
'

test_expect_success 'chain-append and peers against one node at once, 30 times: nothing acknowledged is lost' '
	test_when_finished "node_stop v; node_stop w" &&
	rm -rf v w && node_init v base.blk && node_init w base.blk &&
	node_start v &&
	node_start w --connect "$(node_addr v)" &&
	: >acked &&
	k=0 &&
	while test $k -lt 30
	do
		test-mkchain -c v/chain.blk -x aa 1 >x.blk &&
		test-mkchain -c v/chain.blk -x bb 1 >y.blk &&
		test-mkchain -c v/chain.blk -x cc 1 >z.blk &&
		{ chain-append v/chain.blk <x.blk >ack.x 2>err.x & } && xa=$! &&
		{ peer-send "$(node_addr v)" <y.blk >out.y & } && ya=$! &&
		{ peer-send "$(node_addr w)" <z.blk >out.z & } && za=$! &&
		wait $ya; wait $za; wait $xa; xs=$? &&
		case $xs in
		0)	cat ack.x >>acked ;;
		4)	test_grep "bad-prevblk" err.x ;;
		*)	echo "chain-append: status $xs" >&2; false ;;
		esac &&
		verify -q v/chain.blk || return 1
		k=$((k + 1))
	done &&
	test_line_count = 51 v/chain.blk &&
	test-mkchain -c v/chain.blk 1 >last.blk &&
	peer-send "$(node_addr v)" <last.blk >out &&
	test_wait_until 10 "cmp -s v/chain.blk w/chain.blk" &&
	while read -r h
	do
		grep -q "hash=$h " v/chain.blk || { echo "acknowledged $h is gone" >&2; return 1; }
	done <acked &&
	test -s acked
'

test_done
