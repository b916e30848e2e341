#!/bin/sh
test_description='compact bits, work and retarget against Bitcoin Core'"'"'s published vectors (pow_tests, arith_uint256_tests), and the retarget clamps at their edges'

. ./test-lib.sh

# retarget LASTBITS TIMESPAN: mainnet rules (powlimit 1d00ffff, 2016 x 600 s)
retarget() {
	test-consensus retarget 1d00ffff 2016 600 "$1" 1000000000 $((1000000000 + $2))
}

test_expect_success 'pow_tests: get_next_work, pow limit, lower and upper limit actual' '
	{
		test-consensus retarget 1d00ffff 2016 600 1d00ffff 1261130161 1262152739 &&
		test-consensus retarget 1d00ffff 2016 600 1d00ffff 1231006505 1233061996 &&
		test-consensus retarget 1d00ffff 2016 600 1c05a3f4 1279008237 1279297671 &&
		test-consensus retarget 1d00ffff 2016 600 1c387f6f 1263163443 1269211443
	} >out &&
	printf "1d00d86a\n1d00ffff\n1c0168fd\n1d00e1fd\n" >expect &&
	test_cmp expect out
'

test_expect_success 'SetCompact vectors: values, re-encoding, negative, overflow, zero' '
	for c in 01003456 01123456 02008000 05009234 20123456 03123456 04923456 ff123456 00123456 01fedcba
	do
		echo "$c $(test-consensus compact $c)" || return 1
	done >out &&
	cat >expect <<-\EOF &&
	01003456 invalid
	01123456 12 01120000
	02008000 80 02008000
	05009234 92340000 05009234
	20123456 1234560000000000000000000000000000000000000000000000000000000000 20123456
	03123456 123456 03123456
	04923456 invalid
	ff123456 invalid
	00123456 invalid
	01fedcba invalid
	EOF
	test_cmp expect out
'

test_expect_success 'work of a target: 2^256 / (target + 1), as GetBlockProof' '
	test-consensus work 1d00ffff >out &&
	echo "100010001 4295032833" >expect &&
	test_cmp expect out
'

T=1209600
test_expect_success 'the upper clamp: 4T exactly, beyond it the same; just below it less' '
	at=$(retarget 1c05a3f4 $((4 * T))) &&
	test "$(retarget 1c05a3f4 $((4 * T + 1)))" = "$at" &&
	test "$(retarget 1c05a3f4 $((40 * T)))" = "$at" &&
	test "$(retarget 1c05a3f4 $((4 * T - 6000)))" != "$at" &&
	test "$at" = 1c168fd0
'

test_expect_success 'the lower clamp: T/4 exactly, below it, zero and negative timespans the same; just above it more' '
	at=$(retarget 1c05a3f4 $((T / 4))) &&
	test "$(retarget 1c05a3f4 $((T / 4 - 1)))" = "$at" &&
	test "$(retarget 1c05a3f4 0)" = "$at" &&
	test "$(retarget 1c05a3f4 -5000)" = "$at" &&
	test "$(retarget 1c05a3f4 $((T / 4 + 6000)))" != "$at" &&
	test "$at" = 1c0168fd
'

test_expect_success 'a timespan of exactly T keeps the target; the result is capped at powlimit' '
	test "$(retarget 1c05a3f4 $T)" = 1c05a3f4 &&
	test "$(retarget 1d00ffff $((2 * T)))" = 1d00ffff &&
	test "$(retarget 1d00f000 $((4 * T)))" = 1d00ffff
'

test_done
