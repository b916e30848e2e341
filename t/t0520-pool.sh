#!/bin/sh
test_description='pool: helper threads run each item of a job once, and the caller sees its result'

. ./test-lib.sh

test_expect_success 'no helpers: the caller runs each item it takes, and no other' '
	test-pool 0 300 "$BU_SEED" >out && cat out &&
	read -r _ items _ runs _ taken _ extra <out &&
	test "$runs" = "$taken" && test "$extra" = 0 && test "$items" -ge "$taken"
'

for h in 1 3; do
	test_expect_success "$h helper(s): every taken item run once with its result seen, none twice" '
		test-pool '"$h"' 600 "$BU_SEED" >out && cat out &&
		read -r _ items _ runs _ taken _ extra <out &&
		test "$runs" = $((taken + extra)) && test "$taken" -gt 0
	'
done

test_done
