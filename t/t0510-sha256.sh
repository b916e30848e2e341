#!/bin/sh
test_description='SHA-256: the SHA-instruction, EVP and portable C paths agree with the published vectors and each other'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-chain.sh

test_expect_success 'every path: FIPS 180 vectors, every length 0-4200, cut in three at random (BU_SEED)' '
	test-hash "$BU_SEED" >out && cat out &&
	grep "^checks [1-9][0-9]* failures 0\$" out
'

test_expect_success 'sha256() takes the SHA instructions only where it may' '
	if grep -q "^skip:" out; then
		test "$(test-hash --path)" = evp
	else
		test "$(test-hash --path)" = sha-ni
	fi &&
	test "$(BLOCKUTILS_KERNEL=c test-hash --path)" = evp &&
	test "$(BLOCKUTILS_KERNEL=avx2 test-hash --path)" = evp
'

test_expect_success 'the tools give the same answers through EVP: headers, a whole block, a chain' '
	D="$TEST_DIRECTORY/t3000" &&
	for f in mainnet-headers-0-4100.hex block-413567.hex.gz; do
		from= && case $f in block-*) from="--from 413567" ;; esac &&
		verify --chain bitcoin $from "$D/$f" >a 2>&1 &&
		BLOCKUTILS_KERNEL=c verify --chain bitcoin $from "$D/$f" >b 2>&1 &&
		test_grep "^ok " a && test_cmp a b || return 1
	done &&
	make_genesis c.blk && add_blocks c.blk "$A" 3 &&
	verify c.blk >a && BLOCKUTILS_KERNEL=c verify c.blk >b && test_cmp a b &&
	BLOCKUTILS_KERNEL=c mkblock -c c.blk --coinbase "$B" </dev/null >u1 &&
	mkblock -c c.blk --coinbase "$B" </dev/null >u2 && test_cmp u1 u2
'

test_done
