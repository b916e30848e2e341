#!/bin/sh
test_description='verify at the boundaries of the rules: retarget clamps, compact bits, powlimit, median time past, halvings, fees, maxblock, duplicate txids'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-chain.sh

# retarget_is WANT LASTBITS TIMESPAN: Bitcoin's parameters (1d00ffff, 2016 x 600)
retarget_is() {
	echo "$1" >expect &&
	test-consensus retarget 1d00ffff 2016 600 "$2" 1000000000 $((1000000000 + $3)) >actual &&
	test_cmp expect actual
}

test_expect_success 'retarget: Bitcoin Core pow_tests vectors' '
	# get_next_work, get_next_work_pow_limit, get_next_work_lower_limit_actual,
	# get_next_work_upper_limit_actual
	retarget_is 1d00d86a 1d00ffff $((1262152739 - 1261130161)) &&
	retarget_is 1d00ffff 1d00ffff $((1233061996 - 1231006505)) &&
	retarget_is 1c0168fd 1c05a3f4 $((1279297671 - 1279008237)) &&
	retarget_is 1d00e1fd 1c387f6f $((1269211443 - 1263163443))
'

test_expect_success 'retarget: the 1/4 clamp hit exactly and just missed' '
	# T = 1209600: T/4 = 302400
	retarget_is 1c0e1fdb 1c387f6f 302399 &&
	retarget_is 1c0e1fdb 1c387f6f 302400 &&
	retarget_is 1c0e1fde 1c387f6f 302401 &&
	retarget_is 1c0e1fdb 1c387f6f 241920 &&
	retarget_is 1c12d525 1c387f6f 403200 &&
	retarget_is 1c387f6f 1c387f6f 1209600
'

test_expect_success 'retarget: the 4x clamp hit exactly and just missed' '
	retarget_is 1c168fcf 1c05a3f4 4838399 &&
	retarget_is 1c168fd0 1c05a3f4 4838400 &&
	retarget_is 1c168fd0 1c05a3f4 4838401 &&
	retarget_is 1c168fd0 1c05a3f4 6048000 &&
	retarget_is 1c10ebdc 1c05a3f4 3628800
'

test_expect_success 'retarget: zero and negative timespans take the 1/4 clamp' '
	retarget_is 1c0168fd 1c05a3f4 0 &&
	retarget_is 1c0168fd 1c05a3f4 -1 &&
	retarget_is 1c0168fd 1c05a3f4 -1000000000
'

test_expect_success 'retarget: a target that the 1/4 clamp rounds down to zero encodes as 00000000 (GetCompact(0))' '
	retarget_is 00000000 01010000 302400 &&
	retarget_is 00000000 01030000 302400 &&
	retarget_is 01010000 01040000 302400 &&
	retarget_is 01040000 01010000 4838400
'

test_expect_success 'retarget: capped at powlimit, also when the product is wider than 256 bits' '
	retarget_is 1d00ffff 1d00ffff 4838400 &&
	echo 207fffff >expect &&
	test-consensus retarget 207fffff 2016 600 207fffff 0 4838400 >actual &&
	test_cmp expect actual &&
	test-consensus retarget 207fffff 2016 600 207fffff 0 1209600 >actual &&
	test_cmp expect actual &&
	test-consensus retarget 207fffff 2016 600 20400000 0 4838400 >actual &&
	test_cmp expect actual &&
	echo 203fffff >expect &&
	test-consensus retarget 207fffff 2016 600 207fffff 0 604800 >actual &&
	test_cmp expect actual
'

test_expect_success 'compact bits: decode and re-encode (Bitcoin Core SetCompact vectors and size limits)' '
	for b in 1d00ffff 04923456 ff123456 01123456 05009234 20123456 22000001 \
	    23000001 2100ffff 22000100 2101ffff 2001ffff 01003456 02008000 207fffff \
	    03123456 00123456 1b0404cb 22000101 2200ffff; do
		printf "%s: " $b && test-consensus compact $b || return 1
	done >actual &&
	cat >expect <<-\EOT &&
	1d00ffff: ffff0000000000000000000000000000000000000000000000000000 1d00ffff
	04923456: invalid
	ff123456: invalid
	01123456: 12 01120000
	05009234: 92340000 05009234
	20123456: 1234560000000000000000000000000000000000000000000000000000000000 20123456
	22000001: 100000000000000000000000000000000000000000000000000000000000000 20010000
	23000001: invalid
	2100ffff: ffff000000000000000000000000000000000000000000000000000000000000 2100ffff
	22000100: invalid
	2101ffff: invalid
	2001ffff: 1ffff0000000000000000000000000000000000000000000000000000000000 2001ffff
	01003456: invalid
	02008000: 80 02008000
	207fffff: 7fffff0000000000000000000000000000000000000000000000000000000000 207fffff
	03123456: 123456 03123456
	00123456: invalid
	1b0404cb: 404cb000000000000000000000000000000000000000000000000 1b0404cb
	22000101: invalid
	2200ffff: invalid
	EOT
	test_cmp expect actual
'

test_expect_success 'work: 2^256 / (target + 1), as Bitcoin Core GetBlockProof' '
	for b in 1d00ffff 207fffff 1b0404cb 2100ffff 03123456 037fffff 1a7fffff 04008000 0300ffff; do
		test-consensus work $b || return 1
	done >actual &&
	cat >expect <<-\EOT &&
	100010001 4295032833
	2 2
	3fb3ab764c00 70040908352512
	1 1
	e0fff97690309e2f96677e115e465ed2d49ebff2a34c636177dcdb14856 97055764975995241950711904064708186562029814974297378091104192884197462
	20000000000000000000000000000000000000000000000000000000000 13803492693581127574869511724554050904902217944340773110325048447598592
	2000004000008 562950020530184
	1fffffc000007fffff000001fffffc000007fffff000001fffffc000007 13803491048076766413069316379949036586789297804396481471416486810615815
	1000000000000000000000000000000000000000000000000000000000000 1766847064778384329583297500742918515827483896875618958121606201292619776
	EOT
	test_cmp expect actual
'

test_expect_success 'u256 subtraction (chain work differences) borrows through limbs that are equal' '
	for v in "100000000000000000000000000000005 a fffffffffffffffffffffffffffffffb" \
	    "1000000000000000000000000000000000000000000000000 1 ffffffffffffffffffffffffffffffffffffffffffffffff" \
	    "10000000000000000ffffffffffffffff0000000000000000 1 10000000000000000fffffffffffffffeffffffffffffffff" \
	    "0 1 ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" "5 5 0"; do
		set -- $v && test "$(test-consensus sub $1 $2)" = $3 || return 1
	done
'

# reseal_mine IN OUT: recompute merkle and hash of an edited block, then mine it
reseal_mine() {
	test-reseal <"$1" >"$1.r" && mine -q -j1 <"$1.r" >"$2"
}

test_expect_success 'powlimit: bits equal to powlimit are accepted, one above are refused' '
	mkblock --genesis --powlimit 1f00ffff --bits 1f00ffff >g.u &&
	mine -q -j1 <g.u >g.blk && verify g.blk &&
	sed "s/ bits=1f00ffff / bits=1f010000 /" g.u >g2.u &&
	test_grep " bits=1f010000 " g2.u &&
	reseal_mine g2.u g2.blk &&
	test_must_fail verify g2.blk 2>err &&
	test_grep "g2.blk:1: bad-diffbits: height 0: bits 1f010000 are easier than powlimit 1f00ffff" err
'

# pow_is WANT BITS HASH: the proof-of-work rule alone, for a hash no mined header would have
pow_is() {
	echo "$1" >expect && test_expect_code "$([ "$1" = ok ] && echo 0 || echo 1)" \
	    test-consensus pow-rule "$2" "$3" >actual && test_cmp expect actual
}

test_expect_success 'proof of work: a hash equal to the target meets it, one above is high-hash' '
	z52=0000000000000000000000000000000000000000000000000000 &&
	pow_is ok 1d00ffff 00000000ffff$z52 &&
	pow_is high-hash 1d00ffff 00000000ffff${z52%0}1 &&
	pow_is ok 1d00ffff 00000000fffeffffffffffffffffffffffffffffffffffffffffffffffffffff &&
	pow_is high-hash 1d00ffff 0000000100000000000000000000000000000000000000000000000000000000 &&
	pow_is ok 207fffff 7fffff0000000000000000000000000000000000000000000000000000000000 &&
	pow_is high-hash 207fffff 7fffff0000000000000000000000000000000000000000000000000000000001
'

test_expect_success 'median time past: exactly the 11 blocks before (an old late time drops out)' '
	make_genesis mtp.blk --time 1700000000 &&
	for t in 1 2 3 4 5 5000 7 8 9 10 11 12 13 14 15 16 17; do
		add_block mtp.blk "$A" --time $((1700000000 + t)) </dev/null || return 1
	done &&
	test_line_count = 18 mtp.blk &&
	# the 11 before height 18 are 1700000007..17, median 1700000012
	mkblock -c mtp.blk --coinbase "$C" --time 1700000013 >b18.u &&
	mine -q -j1 <b18.u >b18 &&
	cp mtp.blk ok.blk && cat b18 >>ok.blk && verify ok.blk &&
	sed "s/ time=1700000013 / time=1700000012 /" b18.u >b18e.u &&
	reseal_mine b18e.u b18e &&
	cp mtp.blk old.blk && cat b18e >>old.blk &&
	test_must_fail verify old.blk 2>err &&
	test_grep "old.blk:19: time-too-old: height 18: time 1700000012 is not after the median time past 1700000012" err
'

# amount_block CHAIN HEIGHT AMOUNT OUT: the next block with its coinbase paying AMOUNT
amount_block() {
	mkblock -c "$1" --coinbase "$C" </dev/null >ab.u &&
	sed "s/ tx=coinbase:$2:$C:[0-9]*:/ tx=coinbase:$2:$C:$3:/" ab.u >ab.e &&
	test_grep " tx=coinbase:$2:$C:$3:" ab.e &&
	reseal_mine ab.e "$4"
}

test_expect_success 'subsidy: the 63rd halving pays 1, the 64th and later nothing' '
	make_genesis h.blk --subsidy 9223372036854775808 --halving 1 &&
	add_blocks h.blk "$A" 62 &&
	amount_block h.blk 63 1 b63 &&
	cp h.blk h63.blk && cat b63 >>h63.blk && verify h63.blk &&
	amount_block h.blk 63 2 b63x &&
	cp h.blk bad.blk && cat b63x >>bad.blk &&
	test_must_fail verify bad.blk 2>err &&
	test_grep "bad-cb-amount: height 63: coinbase pays 2, more than subsidy + fees 1" err &&
	amount_block h63.blk 64 1 b64 &&
	cp h63.blk bad.blk && cat b64 >>bad.blk &&
	test_must_fail verify bad.blk 2>err &&
	test_grep "bad-cb-amount: height 64: coinbase pays 1, more than subsidy + fees 0" err &&
	amount_block h63.blk 64 0 b64z &&
	cp h63.blk h64.blk && cat b64z >>h64.blk && verify h64.blk &&
	amount_block h64.blk 65 1 b65 &&
	cp h64.blk bad.blk && cat b65 >>bad.blk &&
	test_must_fail verify bad.blk 2>err &&
	test_grep "bad-cb-amount: height 65: coinbase pays 1, more than subsidy + fees 0" err
'

test_expect_success 'fees: a block whose fees sum to exactly UINT64_MAX is accepted, one more overflows' '
	setup_keys &&
	make_genesis f.blk --subsidy 18446744073709551615 --halving 0 --maturity 1 &&
	add_block f.blk "$A" </dev/null && add_block f.blk "$B" </dev/null &&
	mktx -k a.key -c f.blk -f 18446744073709551614 "$C" 0 >ta &&
	mktx -k b.key -c f.blk -f 1 "$C" 0 >tb1 &&
	mktx -k b.key -c f.blk -f 2 "$C" 0 >tb2 &&
	cat ta tb1 | mkblock -c f.blk --coinbase "$C" >f3.u &&
	mine -q -j1 <f3.u >f3 && cp f.blk ok.blk && cat f3 >>ok.blk && verify ok.blk &&
	test_must_fail mkblock -c f.blk --coinbase "$C" <ta >/dev/null 2>err <<-EOT &&
	$(cat ta)
	$(cat tb2)
	EOT
	mkblock -c f.blk --coinbase "$C" <ta >f3x.u &&
	sed "s/\$/ tx=$(sed "s/^tx //" tb2)/" f3x.u >f3y.u &&
	reseal_mine f3y.u f3y && cp f.blk bad.blk && cat f3y >>bad.blk &&
	test_must_fail verify bad.blk 2>err &&
	test_grep "bad.blk:4: bad-txns-overflow: height 3: the block.s fees overflow u64" err
'

# pay_block CHAIN HEIGHT ACCOUNT AMOUNT OUT: the next block, its coinbase paying AMOUNT to ACCOUNT
pay_block() {
	mkblock -c "$1" --coinbase "$3" </dev/null >pb.u &&
	sed "s/ tx=coinbase:$2:$3:[0-9]*:/ tx=coinbase:$2:$3:$4:/" pb.u >pb.e &&
	test_grep " tx=coinbase:$2:$3:$4:" pb.e &&
	reseal_mine pb.e "$5"
}

# tx_block CHAIN TXFILE OUT: the next block carrying the tx line in TXFILE, as mkblock would not write it
tx_block() {
	mkblock -c "$1" --coinbase "$C" </dev/null >tb.u &&
	sed "s/\$/ tx=$(sed "s/^tx //" "$2")/" tb.u >tb.e && reseal_mine tb.e "$3"
}

# u.blk at height 3, maturity 2: A can spend UINT64_MAX; B can spend
# UINT64_MAX - 10 and has 5 immature (B's balance is 5 short of UINT64_MAX)
test_expect_success 'setup: accounts whose balances are near UINT64_MAX' '
	make_genesis u.blk --subsidy 18446744073709551615 --halving 0 --maturity 2 &&
	pay_block u.blk 1 "$B" 18446744073709551605 u1 && chain-append -q u.blk <u1 &&
	add_block u.blk "$A" </dev/null &&
	pay_block u.blk 3 "$B" 5 u3 && chain-append -q u.blk <u3 &&
	cat >expect <<-EOF &&
	account=$A spendable=18446744073709551615 immature=0 nonce=0
	account=$B spendable=18446744073709551605 immature=5 nonce=0
	EOF
	balances u.blk >actual && test_cmp expect actual
'

test_expect_success 'a transfer may fill a balance, immature included, to exactly UINT64_MAX; one more overflows' '
	mktx -k a.key -c u.blk -f 0 "$B" 5 >t5 && mktx -k a.key -c u.blk -f 0 "$B" 6 >t6 &&
	mkblock -c u.blk --coinbase "$C" <t5 >ok.u && mine -q -j1 <ok.u >ok &&
	cp u.blk ok.blk && cat ok >>ok.blk && verify ok.blk &&
	balances -a "$B" ok.blk >bal && test_grep "spendable=18446744073709551615 immature=0 " bal &&
	test_must_fail mkblock -c u.blk --coinbase "$C" <t6 >out 2>err &&
	test_grep "^mkblock: -:1: bad-txns-overflow: recipient.s balance would overflow u64" err &&
	tx_block u.blk t6 over && cp u.blk bad.blk && cat over >>bad.blk &&
	test_must_fail verify bad.blk 2>err &&
	test_grep "bad.blk:5: bad-txns-overflow: height 4: tx 1: recipient.s balance would overflow u64" err
'

test_expect_success 'a coinbase may fill a balance, immature included, to exactly UINT64_MAX; one more overflows' '
	pay_block u.blk 4 "$B" 5 c5 && cp u.blk ok.blk && cat c5 >>ok.blk && verify ok.blk &&
	pay_block u.blk 4 "$B" 6 c6 && cp u.blk bad.blk && cat c6 >>bad.blk &&
	test_must_fail verify bad.blk 2>err &&
	test_grep "bad.blk:5: bad-cb-overflow: height 4: coinbase would overflow the recipient.s u64 balance" err
'

test_expect_success 'a transfer to oneself moves nothing: no overflow, even with a full balance' '
	mktx -k a.key -c u.blk -f 1 "$A" 100 >self &&
	mkblock -c u.blk --coinbase "$C" <self >s.u && mine -q -j1 <s.u >s &&
	cp u.blk ok.blk && cat s >>ok.blk && verify ok.blk &&
	balances -a "$A" ok.blk >bal &&
	test_grep "spendable=18446744073709551614 immature=0 nonce=1" bal
'

test_expect_success 'spending up to spendable + immature is a premature spend of a coinbase; past it, a balance too low' '
	mktx -k b.key -c u.blk -f 3 "$C" 18446744073709551607 >prem &&
	mktx -k b.key -c u.blk -f 4 "$C" 18446744073709551607 >over &&
	test_must_fail mkblock -c u.blk --coinbase "$C" <prem >out 2>err &&
	test_grep "^mkblock: -:1: bad-txns-premature-spend-of-coinbase: " err &&
	test_must_fail mkblock -c u.blk --coinbase "$C" <over >out 2>err &&
	test_grep "^mkblock: -:1: bad-txns-balance: spendable balance 18446744073709551605 < amount + fee 18446744073709551611" err &&
	tx_block u.blk over o && cp u.blk bad.blk && cat o >>bad.blk &&
	test_must_fail verify bad.blk 2>err &&
	test_grep "bad.blk:5: bad-txns-balance: height 4: tx 1: " err
'

test_expect_success 'a coinbase of 0 makes no account; a coinbase of 1 pays 1' '
	pay_block u.blk 4 "$C" 0 z0 && cp u.blk z.blk && chain-append -q z.blk <z0 &&
	balances z.blk >all && test_grep ! "$C" all && test_line_count = 2 all &&
	pay_block z.blk 5 "$C" 1 z1 && chain-append -q z.blk <z1 &&
	pay_block z.blk 6 "$A" 0 z2 && chain-append -q z.blk <z2 && verify z.blk &&
	echo "account=$C spendable=1 immature=0 nonce=0" >expect &&
	balances -a "$C" z.blk >bal && test_cmp expect bal &&
	rm z.blk.state && balances -a "$C" z.blk >bal && test_cmp expect bal
'

test_expect_success 'maxblock: a line of exactly maxblock bytes is accepted, one more is refused' '
	make_genesis m.blk --maxblock 600 &&
	n=100 && i=0 &&
	while [ $i -lt 6 ]; do
		printf "tx data:%s\n" "$(printf "%0${n}d" 0)" >d &&
		mkblock -c m.blk --coinbase "$C" <d >m1.u && mine -q -j1 <m1.u >m1 &&
		len=$(wc -c <m1) &&
		if [ "$len" -eq 600 ]; then break; fi &&
		n=$((n + 600 - len)) && i=$((i + 1)) || return 1
	done &&
	test "$(wc -c <m1)" -eq 600 &&
	cp m.blk ok.blk && cat m1 >>ok.blk && verify ok.blk &&
	sed "s/ tx=data:0/ tx=data:00/" m1.u >m2.u && reseal_mine m2.u m2 &&
	len=$(wc -c <m2) && test "$len" -eq 601 &&
	cp m.blk bad.blk && cat m2 >>bad.blk &&
	test_must_fail verify bad.blk 2>err &&
	test_grep "bad.blk:2: bad-blk-length: height 1: line longer than 600 bytes" err &&
	cp m.blk app.blk && chain-append -q app.blk <m1 && test_cmp ok.blk app.blk &&
	cp m.blk app.blk && test_must_fail chain-append app.blk <m2 2>err &&
	test_grep "^chain-append: -:1: bad-blk-length: height 1: block line is 601 bytes, more than maxblock 600" err &&
	test_cmp m.blk app.blk
'

test_expect_success 'duplicate txids are found whichever pair they are in' '
	printf "tx data:d%s\n" 1 2 3 4 5 6 7 >d &&
	mkblock -c m.blk --coinbase "$C" <d >dup.u &&
	for t in $(sed "s/ /\n/g" dup.u | sed -n "s/^tx=//p"); do
		sed "s/\$/ tx=$t/" dup.u >dup.e && reseal_mine dup.e dup &&
		cp m.blk bad.blk && cat dup >>bad.blk &&
		test_must_fail verify bad.blk 2>err &&
		test_grep "bad.blk:2: bad-txns-duplicate: height 1: " err || return 1
	done
'

test_expect_success 'verify --chain bitcoin refuses a genesis that is not Bitcoin mainnet.s' '
	# testnet3 genesis: prev zero, Bitcoin proof of work, another hash
	head -n 1 "$TEST_DIRECTORY/t3000/mainnet-headers-0-4100.hex" >main &&
	sed "s/........................\$/dae5494dffff001d1aa4ae18/" main >test3 &&
	! test_cmp main test3 &&
	test_must_fail verify --chain bitcoin test3 2>err &&
	test_grep "test3:1: bad-genesis: height 0: not the genesis block 000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f of " err &&
	verify --chain bitcoin main
'

test_expect_success 'the genesis hash is compared whole: one that differs only in its top or its lowest byte is not it' '
	head -n 1 "$TEST_DIRECTORY/t3000/mainnet-headers-0-4100.hex" >main &&
	g=000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f &&
	test "$(test-consensus genesis-hash bitcoin $g <main)" = ok &&
	for h in 000000000018d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f \
	    000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26e; do
		test_expect_code 1 test-consensus genesis-hash bitcoin $h <main >out &&
		echo bad-genesis >expect && test_cmp expect out || return 1
	done
'

test_expect_success 'text: every byte that must be escaped is refused raw and accepted as %XX' '
	for x in 00 01 09 0b 0d 1f 20 25 3a 2c 3d 7f; do
		printf "tx data:a\\$(printf "%03o" 0x$x)b\n" >raw &&
		test_expect_code 1 test-record raw >out &&
		X=$(echo $x | tr a-f A-F) &&
		printf "tx data:a%%%sb\n" $X >esc &&
		test-record esc >again && test_cmp esc again || return 1
	done &&
	printf "tx data:a%%0Ab\n" >esc && test-record esc >again && test_cmp esc again &&
	for X in 21 7E 80 41 FF; do
		printf "tx data:a%%%sb\n" $X >esc &&
		test_expect_code 1 test-record esc >out || return 1
	done &&
	printf "tx data:a\176b\n" >ok && test-record ok >again && test_cmp ok again
'

test_expect_success 'params: a bad powlimit, spacing 0 with a retarget, maxblock 0 or above the limit are refused' '
	mkblock --genesis --powlimit 207fffff >p.u &&
	for v in "powlimit=207fffff/powlimit=20800000" "spacing=600/spacing=0" \
	    "spacing=600,retarget=[0-9]*/spacing=0,retarget=1" \
	    "maxblock=[0-9]*/maxblock=0" "maxblock=[0-9]*/maxblock=33554433"; do
		sed "s/$v/" p.u >pv.u && ! test_cmp p.u pv.u &&
		reseal_mine pv.u pv &&
		test_must_fail verify pv 2>err &&
		test_grep "pv:1: bad-params: height 0: " err || return 1
	done &&
	sed "s/maxblock=[0-9]*/maxblock=33554432/" p.u >pv.u && reseal_mine pv.u pv && verify pv
'

# edited_rejects CHAIN IN SEDEXPR LINE REASON: IN edited, resealed, mined after CHAIN fails with REASON
edited_rejects() {
	sed "$3" "$2" >er.e && ! test_cmp "$2" er.e &&
	reseal_mine er.e er.m && cat "$1" er.m >er.blk 2>/dev/null &&
	test_must_fail verify er.blk 2>err &&
	test_grep "er.blk:$4: $5" err
}

test_expect_success 'genesis: height, prev in its last byte, params first, bits that decode' '
	mkblock --genesis --powlimit 207fffff >g0.u &&
	: >none &&
	edited_rejects none g0.u "s/^block height=0 /block height=1 /" 1 "bad-height: height 0: the first block has height 1, not 0" &&
	edited_rejects none g0.u "s/ prev=00/ prev=01/" 1 "bad-genesis: height 0: the genesis block.s prev is not zero" &&
	edited_rejects none g0.u "s/ tx=params:[^ ]*/ tx=data:x/" 1 "bad-genesis" &&
	sed "s/ bits=207fffff / bits=04923456 /" g0.u | test-reseal >gb &&
	test_must_fail verify gb 2>err &&
	test_grep "gb:1: bad-diffbits: height 0: bits 04923456 are not a valid target" err
'

test_expect_success 'blocks: prev, hash and merkle differing in one far byte, a low coinbase height' '
	make_genesis e.blk --maturity 1 && add_blocks e.blk "$A" 2 &&
	mkblock -c e.blk --coinbase "$C" </dev/null >e3.u &&
	p=$(field "$(cat e3.u)" prev) && q=$(echo "$p" | sed "s/^\(.\)\(.\)/\2\1/;s/^00/01/") &&
	edited_rejects e.blk e3.u "s/ prev=$p / prev=$q /" 4 "bad-prevblk" &&
	m=$(field "$(cat e3.u)" merkle) && n=$(echo "$m" | sed "s/^../&/;s/^\(.\)/\1/" | awk "{ c = substr(\$0, 1, 1); printf \"%s%s\n\", (c == \"0\" ? \"1\" : \"0\"), substr(\$0, 2) }") &&
	sed "s/ merkle=$m / merkle=$n /" e3.u | test-reseal -m >e3m.r && mine -q -j1 <e3m.r >e3m &&
	cat e.blk e3m >em.blk && test_must_fail verify em.blk 2>err &&
	test_grep "em.blk:4: bad-merkle: height 3: " err &&
	mine -q -j1 <e3.u >e3 && h=$(field "$(cat e3)" hash) &&
	g=$(echo "$h" | awk "{ c = substr(\$0, 1, 1); printf \"%s%s\n\", (c == \"0\" ? \"1\" : \"0\"), substr(\$0, 2) }") &&
	sed "s/ hash=$h / hash=$g /" e3 >e3h && cat e.blk e3h >eh.blk &&
	test_must_fail verify eh.blk 2>err && test_grep "eh.blk:4: bad-hash: height 3: " err &&
	edited_rejects e.blk e3.u "s/ tx=coinbase:3:/ tx=coinbase:2:/" 4 "bad-cb-height: height 3: coinbase height 2 in block 3"
'

test_expect_success 'the first block after genesis must be later than it (median of one)' '
	make_genesis one.blk --time 1700000000 &&
	mkblock -c one.blk --coinbase "$C" --time 1700000001 </dev/null >o1.u &&
	edited_rejects one.blk o1.u "s/ time=1700000001 / time=1700000000 /" 2 "time-too-old: height 1: time 1700000000 is not after the median time past 1700000000"
'

test_expect_success 'fees: the coinbase may claim the subsidy plus every fee of the block' '
	setup_keys &&
	make_genesis fee.blk --maturity 1 --subsidy 1000 &&
	add_block fee.blk "$A" </dev/null && add_block fee.blk "$B" </dev/null &&
	mktx -k a.key -c fee.blk -f 3 "$C" 10 >t1 && mktx -k b.key -c fee.blk -f 5 "$C" 10 >t2 &&
	cat t1 t2 | mkblock -c fee.blk --coinbase "$C" >fb.u &&
	test_grep " tx=coinbase:3:$C:1008:" fb.u &&
	mine -q -j1 <fb.u >fb && cat fee.blk fb >ok.blk && verify ok.blk &&
	edited_rejects fee.blk fb.u "s/ tx=coinbase:3:$C:1008:/ tx=coinbase:3:$C:1009:/" 4 "bad-cb-amount: height 3: coinbase pays 1009, more than subsidy + fees 1008"
'

test_expect_success 'retarget: the timespan runs from the first block of the period to the parent' '
	make_genesis r.blk --retarget 4 --spacing 600 --time 1700000000 &&
	for t in 400 800 1200; do
		add_block r.blk "$A" --time $((1700000000 + t)) </dev/null || return 1
	done &&
	add_block r.blk "$A" --time 1700001600 </dev/null &&
	sed -n 5p r.blk >b4 && test_grep " bits=203fffff " b4 && verify r.blk
'

test_expect_success 'difficulty below and at powlimit (Core GetDifficulty: 2864140.508 at height 199584)' '
	head -n 1 "$TEST_DIRECTORY/t3000/mainnet-headers-199584-203700.hex" | inspect >out &&
	test_grep "^  bits        1a05db8b\$" out &&
	test_grep "^  difficulty  2864140.508\$" out
'

# record_refused MESSAGE-PATTERN < line: test-record refuses the line, saying so
record_refused() {
	cat >variant && test_expect_code 1 test-record variant >out &&
	test_grep "^1: bad-syntax: .*$1" out
}

test_expect_success 'records: each field is whole, keyed by its own name, and nothing follows the last' '
	setup_keys &&
	make_genesis rec.blk && mkblock -c rec.blk --coinbase "$C" --extra 00ff </dev/null >l &&
	test-record l >again && test_cmp l again &&
	sed "s/ version=1 / versioX=1 /" l | record_refused "version: missing field" &&
	sed "s/ version=1 / version11 /" l | record_refused "version: missing field" &&
	sed "s/ version=1 /  version=1 /" l | record_refused "empty field (double or trailing space?)" &&
	sed "s/ nonce=\([0-9]*\) / nonce=\1: /" l | record_refused "nonce" &&
	p=$(field "$(cat l)" prev) && sed "s/ prev=$p / prev=${p}00 /" l | record_refused "prev" &&
	sed "s/:00ff\$/:0/" l | record_refused "coinbase extra: odd number of hex digits" &&
	sed "s/:00ff\$/:00ff:00/" l | record_refused "coinbase: unknown field after extra" &&
	sed "s/:$C:[0-9]*:/:$C::/" l | record_refused "coinbase amount" &&
	sed "s/:$C:[0-9]*:/:$C:+5:/" l | record_refused "coinbase amount" &&
	printf "tx dataXabc\n" | record_refused "" &&
	printf "tx  data:x\n" | record_refused "a space inside the token" &&
	mktx -k c.key -i "$(printf "%064d" 0)" -n 0 "$A" 1 >t &&
	test-record t >again && test_cmp t again &&
	sed "s/\$/:00/" t | record_refused "transfer: unknown field after sig" &&
	{ head -n 1 "$TEST_DIRECTORY/t3000/mainnet-headers-0-4100.hex" | sed "s/\$/00/"; } |
	record_refused "neither a block line nor a 160-hex header"
'

test_done
