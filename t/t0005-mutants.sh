#!/bin/sh
test_description='make mutate: every mutant of t/mutate/mutants still applies (its text is in its file once)'

. ./test-lib.sh

RUN=$TEST_DIRECTORY/mutate/run.sh

test_expect_success 'every mutant applies to the tree as it is' '
	sh "$RUN" --check >out &&
	test_grep "^mutate: [0-9]* mutants, 0 stale\$" out
'

test_expect_success 'a mutant whose text is gone, or found twice, is stale' '
	printf "mutant gone\\nfile common/bu.c\\nfrom no such text anywhere\\nto x\\n\\n" >list &&
	printf "mutant twice\\nfile common/bu.c\\nfrom return -1;\\nto x\\n" >>list &&
	test_expect_code 1 env BU_MUTANTS="$PWD/list" sh "$RUN" --check >out &&
	test_grep "^gone: its text is in common/bu.c 0 times" out &&
	test_grep "^twice: its text is in common/bu.c [0-9]* times" out &&
	test_grep "2 mutants, 2 stale" out
'

test_done
