#!/bin/sh
test_description='hex decoding: the table and the AVX2 paths agree, every non-digit refused'

. ./test-lib.sh

test_expect_success 'random bytes of every length to 200, every byte value at every position' '
	test-hex >out &&
	test_grep "^hex: [0-9]* checks, 0 failed, avx2 " out
'

test_expect_success 'verify refuses an upper-case digit in a raw header, in any 32-digit block' '
	head -n 3 "$TEST_DIRECTORY/t3000/mainnet-headers-0-4100.hex" >h &&
	for pos in 1 31 32 33 64 100 159 160; do
		sed "3s/./A/$pos" h >bad &&
		test_expect_code 1 verify --chain bitcoin bad 2>err &&
		test_grep "bad:3: bad-syntax" err || return 1
	done
'

test_done
