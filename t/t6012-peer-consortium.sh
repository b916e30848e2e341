#!/bin/sh
test_description='peer-listen on a permissioned chain: signers take turns, finality, no reorg below a final block'

. ./test-lib.sh
. "$TEST_DIRECTORY/lib-peer.sh"
. "$TEST_DIRECTORY/lib-chain.sh"

# sealed CHAIN KEY [mkblock options] < lines: the next block of CHAIN paid to and
# sealed by KEY, mined, in the file blk
sealed() {
	sd_chain=$1 sd_key=$2
	shift 2
	mkblock -c "$sd_chain" --coinbase "$sd_key" "$@" >blk.u &&
	seal -k "$sd_key" -c "$sd_chain" <blk.u >blk.s &&
	mine -q -j1 <blk.s >blk
}

# turn NODE KEY HEIGHT [lines]: KEY seals the block after NODE's tip, gives it to
# NODE, and every running node reaches HEIGHT
turn() {
	sealed "$1/chain.blk" "$2" <"${4:-/dev/null}" &&
	peer-send -q "$(node_addr "$1")" <blk &&
	for d in na nb nc; do
		test -f $d/pid || continue
		node_wait_height $d "$3" || return 1
	done
}

# same: the running nodes hold the same chain file, and verify takes it
same() {
	for d in na nb nc; do
		test -f $d/pid || continue
		test_cmp na/chain.blk $d/chain.blk && verify -q $d/chain.blk || return 1
	done
}

test_expect_success 'setup: a chain sealed by three signers (quorum 3 of 3)' '
	setup_keys &&
	make_genesis g.blk --retarget 0 --signer a.key --signer b.key --signer c.key &&
	verify g.blk >out &&
	test_grep "^ok height=0 .* final=0 chain=" out &&
	for d in na nb nc; do node_init $d g.blk || return 1; done
'

test_expect_success 'three signers on three nodes take turns' '
	node_start na &&
	node_start nb --connect "$(node_addr na)" &&
	node_start nc --connect "$(node_addr na)" --connect "$(node_addr nb)" &&
	test_wait_until 10 "grep -q connected nc/log" &&
	turn na a.key 1 && turn nb b.key 2 && turn nc c.key 3 &&
	turn na a.key 4 && turn nb b.key 5 && turn nc c.key 6 &&
	same &&
	verify na/chain.blk >out && test_grep "^ok height=6 .* final=0 chain=" out
'

test_expect_success 'a block its coinbase pays to a signer, sealed by another, is refused' '
	mkblock -c na/chain.blk --coinbase "$A" </dev/null >u &&
	test_expect_code 1 seal -k b.key -c na/chain.blk <u >s 2>err &&
	test_grep "bad-seal" err
'

test_expect_success 'one signer offline: the other two go on' '
	node_stop nc &&
	turn na a.key 7 && turn nb b.key 8 && turn na a.key 9 && turn nb b.key 10 &&
	same && cp na/chain.blk ten.blk
'

test_expect_success 'apart from the third signer, two cannot finalize' '
	h8=$(sed -n 9p na/chain.blk | sed "s/.* hash=\([0-9a-f]*\) .*/\1/") &&
	finalize -k a.key -c na/chain.blk 8 >sa &&
	finalize -k b.key -c nb/chain.blk 8 >sb &&
	test_grep "^tx final:8:$h8:$A/[0-9a-f]*\$" sa &&
	cat sa sb >two &&
	test_expect_code 1 finalize -j -c na/chain.blk two >fin 2>err &&
	test_must_be_empty fin &&
	test_grep "bad-final" err &&
	# joined by hand, ascending (A < B), it is still short of the quorum
	printf "tx final:8:%s:%s+%s\n" "$h8" "$(sed "s/.*://" sa)" "$(sed "s/.*://" sb)" >short.tx &&
	test_expect_code 1 mkblock -c na/chain.blk --coinbase a.key <short.tx 2>err &&
	test_grep "bad-final" err &&
	# and a node refuses a block that carries it
	mkblock -c na/chain.blk --coinbase a.key </dev/null >u &&
	sed "s|\$| tx=$(sed "s/^tx //" short.tx)|" u | test-reseal >r &&
	seal -k a.key -c na/chain.blk <r | mine -q -j1 >bad &&
	test_must_fail peer-send "$(node_addr na)" <bad >out &&
	test_grep "^rejected block bad-final " out &&
	test_cmp ten.blk na/chain.blk &&
	verify na/chain.blk >out && test_grep " final=0 " out
'

test_expect_success 'while the chain is not final, a side branch below height 8 is kept' '
	head -n 7 ten.blk >fork.blk &&
	sealed fork.blk b.key </dev/null && chain-append -q fork.blk <blk &&
	peer-send -q "$(node_addr na)" <blk &&
	test_wait_until 10 "test -s na/side.blk" &&
	test_cmp ten.blk na/chain.blk
'

test_expect_success 'the third signer back: a quorum makes block 8 final' '
	node_start nc --connect "$(node_addr na)" --connect "$(node_addr nb)" &&
	node_wait_height nc 10 &&
	finalize -k c.key -c nc/chain.blk 8 >sc &&
	cat sc sb sa >three &&
	finalize -j -c na/chain.blk three >fin.tx &&
	test_line_count = 1 fin.tx &&
	turn nc c.key 11 fin.tx &&
	same &&
	for d in na nb nc; do
		verify $d/chain.blk >out && test_grep "^ok height=11 .* final=8 chain=" out || return 1
	done
'

# the fork from height 6 on: b, a, b, ... up to height 13, more work than the chain
test_expect_success 'a branch forking below the final block is refused, whatever its work' '
	for k in a b a b a b; do
		sealed fork.blk $k.key </dev/null && chain-append -q fork.blk <blk || return 1
	done &&
	verify fork.blk >out && test_grep "^ok height=13 " out &&
	cp na/chain.blk eleven.blk &&
	sed -n "8,14p" fork.blk >branch &&
	test_must_fail peer-send "$(node_addr na)" <branch >out &&
	# the first two say why; the rest have a parent the node did not keep
	test_line_count = 7 out &&
	head -n 2 out | grep -c "^rejected block reorg-below-final " >n2 &&
	grep -c "^rejected block bad-prevblk the parent is unknown" out >n5 &&
	echo 2 >want2 && test_cmp want2 n2 && echo 5 >five && test_cmp five n5 &&
	test_cmp eleven.blk na/chain.blk
'

test_expect_success 'a peer that serves that branch is refused and banned' '
	node_init nd fork.blk &&
	test_when_finished "node_stop nd" &&
	node_start nd --connect "$(node_addr na)" &&
	test_wait_until 20 "grep -q \"reorg-below-final\" na/log" &&
	test_wait_until 20 "grep -q \"^ban .*reason=reorg-below-final\" na/bans" &&
	test_cmp eleven.blk na/chain.blk &&
	test_cmp fork.blk nd/chain.blk
'

test_expect_success 'after a restart too: the side block below it is dropped, the branch refused' '
	grep -q "^block height=7 hash=$(sed -n 8p fork.blk | cut -d" " -f3 | cut -d= -f2) " na/side.blk &&
	node_stop na &&
	node_start na &&
	test_grep "side.blk:[0-9]*: reorg-below-final: .*dropped" na/log &&
	sed -n "8p" fork.blk >b7 &&
	test_must_fail peer-send "$(node_addr na)" <b7 >out &&
	test_grep "^rejected block reorg-below-final " out &&
	test_must_fail peer-send "$(node_addr na)" <branch >out &&
	test_grep "^rejected block reorg-below-final " out &&
	test_cmp eleven.blk na/chain.blk &&
	verify na/chain.blk >out && test_grep " final=8 " out
'

test_expect_success 'a fork at the final block itself is followed when it has more work; block 8 stays final' '
	head -n 9 eleven.blk >up.blk &&
	for k in c a c a; do
		sealed up.blk $k.key </dev/null && chain-append -q up.blk <blk || return 1
	done &&
	sed -n "10,13p" up.blk >branch2 &&
	peer-send -q "$(node_addr na)" <branch2 &&
	test_wait_until 10 "test_cmp up.blk na/chain.blk >/dev/null" &&
	test_grep "reorg depth=3 fork=8" na/log &&
	sed -n "8p" fork.blk >b7 &&
	test_must_fail peer-send "$(node_addr na)" <b7 >out &&
	test_grep "^rejected block reorg-below-final " out
'

test_expect_success 'stop the nodes' '
	node_stop na && node_stop nb && node_stop nc
'

test_done
