#!/bin/sh
test_description='make mutate: every entry of t/mutate/mutants still applies to the code (MUTATE_CHECK=1)'

. ./test-lib.sh

RUN=$TEST_DIRECTORY/mutate/run.sh

test_expect_success 'every mutant'"'"'s snippet is in its file exactly once' '
	MUTATE_CHECK=1 sh "$RUN" >out &&
	test_grep "^mutate: killed 0, survived 0, equivalent 0, not compiling 0, stale 0\$" out &&
	test "$(grep -c "^id: " "$TEST_DIRECTORY/mutate/mutants")" -ge 150
'

test_expect_success 'an entry whose snippet is gone or found twice is stale' '
	printf "id: gone\\nfile: common/base/bu.c\\nfrom: no such text anywhere\\nto: x\\ntests: t0000-harness.sh\\n\\n" >list &&
	printf "id: twice\\nfile: common/base/bu.c\\nfrom: return -1;\\nto: x\\ntests: t0000-harness.sh\\n" >>list &&
	test_expect_code 1 env MUTATE_CHECK=1 MUTANTS_LIST="$PWD/list" sh "$RUN" >out &&
	test_grep "^gone  *stale (common/base/bu.c: snippet found 0 times)" out &&
	test_grep "^twice  *stale (common/base/bu.c: snippet found [0-9]* times)" out &&
	test_grep "stale 2\$" out
'

test_done
