#!/bin/sh
test_description='mkblock: genesis parameters, next blocks, transfers checked on the way in'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-chain.sh

test_expect_success 'genesis defaults are the documented ones' '
	mkblock --genesis >g &&
	test_grep "^block height=0 .* version=1 prev=0\{64\} .* time=1700000000 bits=1f00ffff nonce=0 tx=params:name=blockutils,spacing=600,retarget=2016,powlimit=1f00ffff,subsidy=5000000000,halving=210000,maturity=100,maxblock=1000000\$" g
'

test_expect_success 'every parameter has an option, and data records follow params' '
	printf "first\nsecond line\n" >d &&
	mkblock --genesis -d --name x --spacing 60 --retarget 10 --powlimit 207fffff \
		--subsidy 7 --halving 3 --maturity 4 --maxblock 5000 --bits 2000ffff \
		--time 1600000000 --version 2 d >g &&
	test_grep "version=2 .* time=1600000000 bits=2000ffff nonce=0 tx=params:name=x,spacing=60,retarget=10,powlimit=207fffff,subsidy=7,halving=3,maturity=4,maxblock=5000 tx=data:first tx=data:second%20line\$" g &&
	mine -q <g >gm && verify gm
'

test_expect_success 'bad parameters are refused' '
	test_expect_code 2 mkblock --genesis --powlimit 04923456 2>err && test_grep powlimit err &&
	test_expect_code 2 mkblock --genesis --retarget 5 --spacing 0 2>err && test_grep spacing err &&
	test_expect_code 2 mkblock --genesis --maxblock 33554433 &&
	test_expect_code 1 mkblock --genesis --powlimit 1f00ffff --bits 207fffff 2>err && test_grep bad-diffbits err &&
	test_expect_code 2 mkblock -c x.blk --coinbase "$A" --spacing 5 2>err && test_grep "genesis parameter" err &&
	test_expect_code 2 mkblock --genesis --maxblock 0 &&
	test_expect_code 2 mkblock --genesis --spacing -1 &&
	test_expect_code 2 mkblock --genesis --powlimit 1D00FFFF &&
	test_expect_code 1 mkblock --genesis --maxblock 40 2>err && test_grep bad-blk-length err
'

test_expect_success '--bits 00000000 is an invalid target, not the default' '
	test_expect_code 1 mkblock --genesis --bits 00000000 >out 2>err &&
	test_must_be_empty out &&
	test_grep "^mkblock: bad-diffbits: bits 00000000 are not a valid target" err &&
	test_expect_code 1 mkblock --genesis --powlimit 207fffff --bits 00000000 >out 2>err &&
	test_must_be_empty out && test_grep "bad-diffbits" err &&
	mkblock --genesis --powlimit 207fffff >g && test_grep " bits=207fffff " g
'

test_expect_success 'usage: exactly one of --genesis and -c; -c needs --coinbase' '
	test_expect_code 2 mkblock &&
	test_expect_code 2 mkblock --genesis -c x.blk &&
	test_expect_code 2 mkblock -c x.blk 2>err && test_grep coinbase err &&
	test_expect_code 2 mkblock --genesis --coinbase "$A" &&
	test_expect_code 2 mkblock -c x.blk --coinbase nosuchfile 2>err &&
	mkblock -h >out && test_grep "^usage: mkblock --genesis" out
'

test_expect_success 'the next block: height, prev, bits, time above median time past' '
	setup_keys && make_genesis c.blk && add_blocks c.blk "$A" 2 &&
	mkblock -c c.blk --coinbase b.key </dev/null >n &&
	tip=$(field "$(tail -n 1 c.blk)" hash) &&
	test_grep "^block height=3 hash=[0-9a-f]* version=1 prev=$tip .* time=1700000002 bits=207fffff nonce=0 tx=coinbase:3:$B:5000000000:\$" n
'

test_expect_success 'the clock is used when it is above median time past' '
	BLOCKUTILS_NOW=1700009999 mkblock -c c.blk --coinbase "$B" </dev/null >n &&
	test_grep " time=1700009999 " n
'

test_expect_success 'an invalid transfer is refused with its reason; -k skips it' '
	mktx -k b.key -c c.blk "$A" 5 >poor &&
	printf "tx data:kept\n" >>poor &&
	test_expect_code 1 mkblock -c c.blk --coinbase "$A" <poor 2>err &&
	test_grep "^mkblock: -:1: bad-txns-balance: " err &&
	mkblock -k -c c.blk --coinbase "$A" <poor >n 2>err &&
	test_grep "skipped" err && test_grep -v "transfer:" n && test_grep " tx=data:kept\$" n
'

test_expect_success 'coinbase and params lines are refused on input' '
	echo "tx coinbase:3:$A:1:" >cb &&
	test_expect_code 1 mkblock -c c.blk --coinbase "$A" <cb 2>err && test_grep bad-cb-multiple err
'

test_expect_success 'a chain that is not there, or empty, is an error' '
	test_expect_code 3 mkblock -c nosuch.blk --coinbase "$A" </dev/null &&
	: >empty.blk && test_expect_code 1 mkblock -c empty.blk --coinbase "$A" </dev/null 2>err &&
	test_grep "no blocks" err
'

test_done
