#!/bin/sh
test_description='verify and chain-append: each rule of SPEC section 4 broken alone'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-chain.sh

# rejects REASON: base.blk plus the block in cand fails verify and
# chain-append at line 5, height 4, with REASON; the chain file is unchanged
rejects() {
	cp base.blk bad.blk && cat cand >>bad.blk &&
	test_must_fail verify bad.blk 2>err &&
	test_grep "^verify: bad.blk:5: $1: height 4: " err &&
	cp base.blk app.blk &&
	test_expect_code "${2:-1}" chain-append app.blk <cand 2>err &&
	test_grep "^chain-append: -:1: $1: height 4: " err &&
	test_cmp base.blk app.blk
}

# next [mkblock options] < txs: the unmined next block in cand.u
next() {
	mkblock -c base.blk --coinbase "$C" "$@" >cand.u
}

# seal: reseal cand.u (merkle and hash) after an edit, then mine it into cand
seal() {
	test-reseal <cand.u >cand.r && mine -q -j1 <cand.r >cand
}

test_expect_success 'setup: a genesis with bits 1f00ffff, maturity 2, and three blocks' '
	setup_keys &&
	make_genesis base.blk --bits 1f00ffff --maturity 2 &&
	add_blocks base.blk a.key 3 &&
	verify base.blk >out &&
	test_grep "^ok height=3 " out
'

test_expect_success 'an honest fourth block is accepted (the control)' '
	next </dev/null && mine -q <cand.u >cand &&
	cp base.blk good.blk && cat cand >>good.blk && verify good.blk
'

test_expect_success 'rule 1: prev is not the parent (bad-prevblk, exit 4 in chain-append)' '
	next </dev/null &&
	g=$(head -n 1 base.blk | sed "s/.* hash=\([0-9a-f]*\) .*/\1/") &&
	sed "s/ prev=[0-9a-f]* / prev=$g /" cand.u >cand.r && mine -q <cand.r >cand &&
	rejects bad-prevblk 4
'

test_expect_success 'rule 1: height is not the parent plus one (bad-height)' '
	next </dev/null && sed "s/^block height=4 /block height=5 /" cand.u >cand.r &&
	mine -q <cand.r >cand && rejects bad-height
'

test_expect_success 'rule 2: bits other than the required (bad-diffbits)' '
	next </dev/null && sed "s/ bits=1f00ffff / bits=1f00fffe /" cand.u >cand.r &&
	mine -q <cand.r >cand && rejects bad-diffbits
'

test_expect_success 'rule 2: a retarget computed by the chain is required' '
	make_genesis rt.blk --retarget 4 --spacing 600 &&
	add_blocks rt.blk a.key 4 &&
	sed -n 5p rt.blk >b4 && test_grep " bits=201fffff " b4 &&
	verify rt.blk &&
	head -n 4 rt.blk >rt2.blk &&
	sed "s/ bits=201fffff / bits=207fffff /" b4 | test-reseal -m >b4.r &&
	mine -q <b4.r >b4.m && cat b4.m >>rt2.blk &&
	test_must_fail verify rt2.blk 2>err &&
	test_grep "rt2.blk:5: bad-diffbits: height 4: bits 207fffff, but the chain requires 201fffff" err
'

test_expect_success 'rule 3: proof of work fails (high-hash)' '
	next </dev/null && cp cand.u cand && rejects high-hash
'

test_expect_success 'rule 3: the hash field does not match the header (bad-hash)' '
	next </dev/null && mine -q <cand.u >cand.m &&
	g=$(head -n 1 base.blk | sed "s/.* hash=\([0-9a-f]*\) .*/\1/") &&
	sed "s/ hash=[0-9a-f]* / hash=$g /" cand.m >cand && rejects bad-hash
'

test_expect_success 'rule 3: the merkle root does not match (bad-merkle)' '
	next </dev/null &&
	sed "s/ merkle=[0-9a-f]* / merkle=$(printf "%064d" 1) /" cand.u >cand.r &&
	mine -q <cand.r >cand && rejects bad-merkle
'

test_expect_success 'rule 3: two equal txids (bad-txns-duplicate)' '
	printf "tx data:same\ntx data:same\n" >txs &&
	test_must_fail mkblock -c base.blk --coinbase "$C" <txs 2>err &&
	test_grep bad-txns-duplicate err &&
	printf "tx data:same\n" | next && sed "s/\$/ tx=data:same/" cand.u >cand.u2 &&
	mv cand.u2 cand.u && seal && rejects bad-txns-duplicate
'

test_expect_success 'rule 3: a token of exactly 64 bytes (bad-txns-64byte)' '
	next </dev/null &&
	sed "s/\$/ tx=data:$(printf "%059d" 0)/" cand.u >cand.u2 && mv cand.u2 cand.u &&
	seal && rejects bad-txns-64byte
'

test_expect_success 'rule 4: time not after the median time past (time-too-old)' '
	test_must_fail mkblock -c base.blk --coinbase "$C" --time 1700000001 </dev/null 2>err &&
	test_grep time-too-old err &&
	next </dev/null && sed "s/ time=[0-9]* / time=1700000001 /" cand.u >cand.r &&
	mine -q <cand.r >cand && rejects time-too-old
'

test_expect_success 'rule 4: time more than two hours ahead (time-too-new), fine later' '
	test_expect_code 1 next --time 1700007201 </dev/null 2>err &&
	test_grep "^mkblock: time-too-new: --time 1700007201 is 7201 seconds after the clock" err &&
	test_must_be_empty cand.u &&
	BLOCKUTILS_NOW=1700000001 next --time 1700007201 </dev/null &&
	mine -q <cand.u >cand && rejects time-too-new &&
	cp base.blk later.blk && cat cand >>later.blk &&
	BLOCKUTILS_NOW=1700000001 verify later.blk
'

test_expect_success 'rule 5: the first transaction is not a coinbase (bad-cb-missing)' '
	next </dev/null && sed "s/ tx=coinbase:[^ ]*/ tx=data:x/" cand.u >cand.u2 &&
	mv cand.u2 cand.u && seal && rejects bad-cb-missing
'

test_expect_success 'rule 5: the coinbase height is not the block height (bad-cb-height)' '
	next </dev/null && sed "s/ tx=coinbase:4:/ tx=coinbase:5:/" cand.u >cand.u2 &&
	mv cand.u2 cand.u && seal && rejects bad-cb-height
'

test_expect_success 'rule 5: a second coinbase (bad-cb-multiple)' '
	next </dev/null &&
	sed "s/\$/ tx=coinbase:4:$C:1:00/" cand.u >cand.u2 && mv cand.u2 cand.u &&
	seal && rejects bad-cb-multiple
'

test_expect_success 'rule 5: params outside the genesis (bad-txns-params)' '
	next </dev/null && p=$(head -n 1 base.blk | sed "s/.* tx=//") &&
	sed "s/\$/ tx=$p/" cand.u >cand.u2 && mv cand.u2 cand.u && seal &&
	rejects bad-txns-params
'

test_expect_success 'rule 5: the coinbase pays more than subsidy + fees (bad-cb-amount)' '
	next </dev/null &&
	sed "s/ tx=coinbase:4:$C:5000000000:/ tx=coinbase:4:$C:5000000001:/" cand.u >cand.u2 &&
	mv cand.u2 cand.u && seal && rejects bad-cb-amount
'

test_expect_success 'rule 5: the subsidy halves every halving blocks' '
	make_genesis hv.blk --halving 2 &&
	add_blocks hv.blk a.key 1 &&
	mkblock -c hv.blk --coinbase "$C" </dev/null >h2 &&
	test_grep " tx=coinbase:2:$C:2500000000:\$" h2 &&
	sed "s/:2500000000:/:5000000000:/" h2 | test-reseal >h2.r && mine -q <h2.r >h2.m &&
	test_expect_code 1 chain-append hv.blk <h2.m 2>err &&
	test_grep "bad-cb-amount: height 2: coinbase pays 5000000000, more than subsidy + fees 2500000000" err
'

test_expect_success 'rule 6: a transfer with a bad signature (bad-txns-sig)' '
	mktx -k a.key -c base.blk "$B" 10 >tx &&
	sed "s/0\$/1/;t;s/.\$/0/" tx >tx.bad && ! test_cmp tx tx.bad >/dev/null &&
	next <tx && sed "s/ tx=transfer:.*//" cand.u >cand.u2 &&
	sed "s/^tx /tx=/" tx.bad >t.tok && printf "%s %s\n" "$(cat cand.u2)" "$(cat t.tok)" >cand.u &&
	seal && rejects bad-txns-sig
'

test_expect_success 'rule 6: a non-canonical S (S + L) is refused (bad-txns-sig)' '
	mktx -k a.key -c base.blk "$B" 10 >tx &&
	sig=${tx##*:} && sig=$(sed "s/.*://" tx) &&
	big=$(test-consensus sig-add-l "$sig") &&
	sed "s/$sig\$/$big/" tx >tx.bad &&
	test_must_fail mkblock -c base.blk --coinbase "$C" <tx.bad 2>err &&
	test_grep bad-txns-sig err &&
	next <tx && sed "s/$sig/$big/" cand.u >cand.u2 && mv cand.u2 cand.u &&
	test_grep "$big" cand.u && seal && rejects bad-txns-sig
'

test_expect_success '--headers-only skips the transaction rules, not the header ones' '
	mktx -k a.key -c base.blk "$B" 10 >tx && sed "s/.\$/0/;t" tx >tx2 &&
	sig=$(sed "s/.*://" tx) && bad=$(test-consensus sig-add-l "$sig") &&
	next <tx && sed "s/$sig/$bad/" cand.u >cand.u2 && mv cand.u2 cand.u && seal &&
	cp base.blk h.blk && cat cand >>h.blk &&
	test_must_fail verify h.blk 2>err && test_grep bad-txns-sig err &&
	verify --headers-only h.blk >out && test_grep "^ok height=4 " out &&
	sed "\$s/ nonce=[0-9]* / nonce=1 /" h.blk >h2.blk &&
	test_must_fail verify -H h2.blk 2>err && test_grep "h2.blk:5: \(high-hash\|bad-hash\)" err
'

test_expect_success 'rule 6: a nonce other than the transfers made (bad-txns-nonce)' '
	mktx -k a.key -c base.blk -n 1 "$B" 10 >tx &&
	test_must_fail mkblock -c base.blk --coinbase "$C" <tx 2>err &&
	test_grep "bad-txns-nonce" err &&
	mktx -k a.key -c base.blk -n 0 "$B" 10 >tx0 && next <tx0 &&
	sed "s/ tx=transfer:.*//" cand.u >cand.u2 &&
	printf "%s tx=%s\n" "$(cat cand.u2)" "$(sed "s/^tx //" tx)" >cand.u &&
	seal && rejects bad-txns-nonce
'

test_expect_success 'rule 6: the spendable balance does not cover amount + fee (bad-txns-balance)' '
	mktx -k b.key -c base.blk "$A" 1 >tx &&
	test_must_fail mkblock -c base.blk --coinbase "$C" <tx 2>err &&
	test_grep "bad-txns-balance" err
'

test_expect_success 'rule 6: a coinbase is spendable only after maturity' '
	balances -a a.key base.blk >bal &&
	echo "account=$A spendable=10000000000 immature=5000000000 nonce=0" >expect &&
	test_cmp expect bal &&
	mktx -k a.key -c base.blk "$B" 10000000001 >tx &&
	test_must_fail mkblock -c base.blk --coinbase "$C" <tx 2>err &&
	test_grep "bad-txns-premature-spend-of-coinbase" err &&
	mktx -k a.key -c base.blk "$B" 10000000000 >ok.tx &&
	mkblock -c base.blk --coinbase "$C" <ok.tx >/dev/null
'

test_expect_success 'rule 6: amount + fee overflowing u64 (bad-txns-overflow)' '
	id=$(verify base.blk | sed "s/.* chain=//") &&
	unsigned="transfer:$A:$B:18446744073709551615:1:0:" &&
	sec=$(sed "s/^key secret=\([0-9a-f]*\) .*/\1/" a.key) &&
	echo "tx $unsigned:$(test-ed25519 sign "$sec" "$id:$unsigned")" >tx &&
	test_must_fail mkblock -c base.blk --coinbase "$C" <tx 2>err &&
	test_grep "^mkblock: -:1: bad-txns-overflow: " err &&
	next </dev/null && sed "s/\$/ tx=$(sed "s/^tx //" tx)/" cand.u >cand.u2 &&
	mv cand.u2 cand.u && seal && rejects bad-txns-overflow
'

test_expect_success 'rule 6: fees go to the coinbase, and not more' '
	mktx -k a.key -c base.blk -f 7 "$B" 100 >tx && next <tx &&
	test_grep " tx=coinbase:4:$C:5000000007: " cand.u &&
	sed "s/:5000000007:/:5000000008:/" cand.u >cand.u2 && mv cand.u2 cand.u &&
	seal && rejects bad-cb-amount
'

test_expect_success 'rule 7: a line longer than maxblock (bad-blk-length)' '
	make_genesis small.blk --maxblock 600 &&
	{ head -c 300 /dev/zero | tr "\0" x && echo; } >data &&
	test_must_fail mkblock -c small.blk --coinbase "$C" -d <data 2>err &&
	test_grep "bad-blk-length" err &&
	mkblock -c small.blk --coinbase "$C" </dev/null >s1 &&
	sed "s/\$/ tx=data:$(cat data)/" s1 | test-reseal >s1.r && mine -q <s1.r >s1.m &&
	cp small.blk small2.blk && cat s1.m >>small2.blk &&
	test_must_fail verify small2.blk 2>err &&
	test_grep "small2.blk:2: bad-blk-length: height 1: " err
'

test_expect_success 'genesis: prev must be zero, params first, only data after' '
	mkblock --genesis --powlimit 207fffff >g.u &&
	sed "s/ prev=0*/ prev=$(printf "%064d" 1)/" g.u | test-reseal | mine -q >g1 &&
	test_must_fail verify g1 2>err && test_grep "g1:1: bad-genesis: height 0: " err &&
	sed "s/ tx=params/ tx=data:x tx=params/" g.u | test-reseal | mine -q >g2 &&
	test_must_fail verify g2 2>err && test_grep "g2:1: bad-genesis: " err &&
	sed "s/\$/ tx=coinbase:0:$A:1:/" g.u | test-reseal | mine -q >g3 &&
	test_must_fail verify g3 2>err && test_grep "g3:1: bad-genesis: " err
'

test_expect_success 'genesis: bits above powlimit, and its proof of work' '
	test_must_fail mkblock --genesis --powlimit 1f00ffff --bits 207fffff >g4 2>err &&
	test_grep "bad-diffbits" err &&
	mkblock --genesis --powlimit 1f00ffff --bits 1f00ffff >g4.u &&
	sed "s/ bits=1f00ffff / bits=207fffff /" g4.u >g4.e && test_grep " bits=207fffff " g4.e &&
	test-reseal <g4.e >g4.r && mine -q -j1 <g4.r >g4 &&
	test_must_fail verify g4 2>err &&
	test_grep "g4:1: bad-diffbits: height 0: bits 207fffff are easier than powlimit 1f00ffff" err &&
	mkblock --genesis --powlimit 207fffff --bits 1d00ffff >g5 &&
	test_must_fail verify g5 2>err && test_grep "g5:1: high-hash: height 0: " err
'

test_done
