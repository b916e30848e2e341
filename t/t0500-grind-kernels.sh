#!/bin/sh
test_description='grind kernels: each one the CPU runs agrees with libcrypto nonce by nonce'

. ./test-lib.sh

headers=$TEST_DIRECTORY/t0500/headers.hex

# One prerequisite per kernel this CPU can run: KERNEL_avx512, KERNEL_c, ...
kernels=
for k in $(test-grind -l 2>/dev/null | sed -n 's/ yes$//p')
do
	test_set_prereq "KERNEL_$k"
	kernels="$kernels $k"
done
for k in $(test-grind -l 2>/dev/null | sed 's/ .*//')
do
	test_expect_success "KERNEL_$k" "kernel $k: random headers, edge ranges, mainnet nonces, batches of headers" "
		test-grind -k $k \"\$headers\" >out &&
		test_grep '^$k: [0-9]* checks, 0 failed\$' out
	"
done

test_expect_success 'the portable kernel is compiled in and runs everywhere' '
	test-grind -l >list &&
	test_grep "^c yes$" list
'

test_expect_success 'without BLOCKUTILS_KERNEL the best supported kernel is chosen' '
	echo "${kernels# }" | sed "s/ .*//" >expect &&
	test-grind -b >actual &&
	test_cmp expect actual
'

test_expect_success 'BLOCKUTILS_KERNEL names the kernel' '
	echo c >expect &&
	BLOCKUTILS_KERNEL=c test-grind -b >actual &&
	test_cmp expect actual
'

test_expect_success 'an unknown BLOCKUTILS_KERNEL gives no kernel' '
	echo none >expect &&
	BLOCKUTILS_KERNEL=sha-17 test-grind -b >actual &&
	test_cmp expect actual
'

test_expect_success 'an unknown kernel name is refused' '
	test_expect_code 2 test-grind -k sha-17 2>err &&
	test_grep "sha-17: unknown kernel" err
'

test_done
