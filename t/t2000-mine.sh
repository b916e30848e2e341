#!/bin/sh
test_description='mine: nonces for block lines and raw headers, threads, ranges, limits'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-chain.sh

test_expect_success 'setup: a chain and an unmined block at bits 1f00ffff' '
	make_genesis c.blk --bits 1f00ffff &&
	mkblock -c c.blk --coinbase "$A" </dev/null >u &&
	test_grep " nonce=0 " u
'

test_expect_success 'a mined block verifies, and only nonce and hash changed' '
	mine -q <u >m && cat c.blk m >all.blk && verify all.blk &&
	sed "s/ hash=[0-9a-f]* / /; s/ nonce=[0-9]* / /" u >a &&
	sed "s/ hash=[0-9a-f]* / /; s/ nonce=[0-9]* / /" m >b && test_cmp a b
'

test_expect_success 'the answer does not depend on the number of threads' '
	mine -q -j1 <u >m1 && mine -q -j2 <u >m2 && mine -q -j7 <u >m7 &&
	test_cmp m1 m2 && test_cmp m1 m7
'

test_expect_success 'every kernel this CPU runs gives the same answer' '
	test-grind -l >kernels && test_grep "^c yes\$" kernels &&
	for k in $(sed -n "s/ yes\$//p" kernels); do
		mine -q -j1 --kernel "$k" <u >mk && test_cmp m1 mk &&
		BLOCKUTILS_KERNEL=$k mine -q -j2 <u >mk && test_cmp m1 mk || return 1
	done
'

test_expect_success 'lines out in the order they came in' '
	mkblock -c c.blk --coinbase "$B" </dev/null >u2 &&
	cat u u2 >two && mine -q <two >two.m && test_line_count = 2 two.m &&
	mine -q <u2 >m2only && sed -n 2p two.m >second && test_cmp m2only second
'

test_expect_success 'processes sharing one search with --start/--stride find what one finds' '
	for i in 0 1 2 3; do
		mine -q -j1 --start $i --stride 4 <u >part.$i || return 1
	done &&
	n=$(field "$(cat m1)" nonce) && i=$((n % 4)) &&
	test_cmp m1 part.$i &&
	for i in 0 1 2 3; do
		cat c.blk part.$i >p.blk && verify p.blk >/dev/null || return 1
	done
'

test_expect_success 'xargs -P runs a shared search' '
	seq 0 3 | xargs -P 4 -I{} sh -c "mine -q -j1 --start {} --stride 4 <u >x.{}" &&
	for i in 0 1 2 3; do test_cmp part.$i x.$i || return 1; done
'

test_expect_success 'an extranonce is rolled in the coinbase when the nonces run out, every kernel' '
	for k in $(sed -n "s/ yes\$//p" kernels); do
		mine -q -j1 --kernel $k --start 0 --stride 1073741824 <u >r.$k &&
		test_grep " tx=coinbase:1:$A:5000000000:[0-9a-f]\{16\}\$" r.$k &&
		cat c.blk r.$k >r.blk && verify r.blk >/dev/null || return 1
	done &&
	test_cmp r.c r.$k
'

test_expect_success 'the time is rolled for raw headers when the nonces run out, every kernel' '
	head -n 1 "$TEST_DIRECTORY/t3000/mainnet-headers-0-4100.hex" |
	sed "s/ffff001d........\$/ffff001f00000000/" >z &&
	test_expect_code 1 test-consensus pow "$(cat z)" &&
	cut -c137-144 z >t0 &&
	for k in $(sed -n "s/ yes\$//p" kernels); do
		mine -q -j1 --kernel $k --start 0 --stride 1073741824 <z >zr.$k &&
		test-consensus pow "$(cat zr.$k)" &&
		cut -c137-144 zr.$k >t1 && ! test_cmp t0 t1 >/dev/null || return 1
	done &&
	test_cmp zr.c zr.$k
'

test_expect_success '--start/--stride with every kernel find what one search finds' '
	n=$(field "$(cat m1)" nonce) && i=$((n % 4)) &&
	for k in $(sed -n "s/ yes\$//p" kernels); do
		mine -q -j2 --kernel $k --start $i --stride 4 <u >s.$k &&
		test_cmp m1 s.$k || return 1
	done
'

test_expect_success '--max-seconds gives up with exit 5' '
	mkblock -c c.blk --coinbase "$A" </dev/null | sed "s/ bits=1f00ffff / bits=1b00ffff /" >hard &&
	test_expect_code 5 mine -q -j1 --max-seconds 1 <hard >out 2>err &&
	test_grep "gave-up" err && test_must_be_empty out
'

# script(1) (bsdutils) gives mine a terminal for standard error; without
# it the test below reports itself skipped (missing TTY).
script -qec true /dev/null >/dev/null 2>&1 && test_set_prereq TTY

test_expect_success TTY 'on a terminal: progress with a hashrate, then exit 5, every kernel' '
	for k in $(sed -n "s/ yes\$//p" kernels); do
		test_expect_code 5 script -qec "mine -j1 --kernel $k --max-seconds 1 <hard >out.$k" /dev/null >tty.$k &&
		test_grep "MH/s" tty.$k && test_grep "gave-up" tty.$k &&
		test_must_be_empty out.$k || return 1
	done
'

test_expect_success 'bad input: invalid bits, syntax, usage' '
	sed "s/ bits=1f00ffff / bits=04923456 /" u >neg &&
	test_expect_code 1 mine -q <neg 2>err && test_grep ":1: bad-diffbits" err &&
	echo "block height=x" >junk && test_expect_code 1 mine -q <junk 2>err &&
	test_grep "bad-syntax" err &&
	test_expect_code 2 mine -j 0 <u && test_expect_code 2 mine --stride 0 <u &&
	test_expect_code 2 mine --kernel nosuch <u 2>err && test_grep "nosuch" err &&
	BLOCKUTILS_KERNEL=nosuch test_expect_code 2 mine <u &&
	mine -h >out && test_grep "^usage: mine" out
'

test_done
