#!/bin/sh
test_description='chain-append: a block it has already, a chain that is not a plain file, an empty chain'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-chain.sh

test_expect_success 'setup: a genesis and five blocks' '
	make_genesis c.blk && add_blocks c.blk "$A" 5 && cp c.blk before.blk &&
	test_line_count = 6 c.blk
'

test_expect_success 're-offering the tip says duplicate, at its height, exit 4' '
	tail -n 1 c.blk >tip && h=$(field "$(cat tip)" hash) &&
	test_expect_code 4 chain-append c.blk <tip >ack 2>err &&
	test_must_be_empty ack &&
	test_grep "^chain-append: -:1: duplicate: height 5: block $h is already in the chain, its tip at height 5\$" err &&
	test_cmp before.blk c.blk
'

test_expect_success 're-offering an older block says duplicate, at its height, exit 4' '
	for n in 1 2 4; do
		sed -n "$((n + 1))p" c.blk >old && h=$(field "$(cat old)" hash) &&
		test_expect_code 4 chain-append c.blk <old 2>err &&
		test_grep "^chain-append: -:1: duplicate: height $n: block $h is already in the chain at height $n\$" err ||
		return 1
	done &&
	head -n 1 c.blk >gen && test_expect_code 4 chain-append c.blk <gen 2>err &&
	test_grep "^chain-append: -:1: duplicate: height 0: " err &&
	test_cmp before.blk c.blk
'

test_expect_success 'a block of another branch at a known height is still bad-prevblk' '
	head -n 3 c.blk >short.blk && mkblock -c short.blk --coinbase "$B" </dev/null >o.u &&
	mine -q -j1 <o.u >other && test_expect_code 4 chain-append c.blk <other 2>err &&
	test_grep "^chain-append: -:1: bad-prevblk: height 6: prev is not the tip " err
'

test_expect_success 'verify names a doubled last line as a duplicate' '
	cat c.blk tip >d.blk && test_expect_code 1 verify d.blk 2>err &&
	test_grep "^verify: d.blk:7: duplicate: height 5: " err
'

test_expect_success 'a chain that is not a regular file is refused (exit 2), nothing written' '
	tail -n 1 c.blk >b5 &&
	test_expect_code 2 chain-append /dev/null <b5 >ack 2>err &&
	test_grep "^chain-append: '\''/dev/null'\'' is not a regular file" err &&
	test_must_be_empty ack && test_path_is_missing /dev/null.state &&
	head -n 1 c.blk >g && test_expect_code 2 chain-append /dev/null <g 2>err &&
	mkfifo f && test_expect_code 2 chain-append f <g 2>err && test_grep "not a regular file" err
'

test_expect_success 'an empty chain file takes a genesis; any other block is exit 4, as for a missing one' '
	: >e.blk && test_expect_code 4 chain-append e.blk <b5 2>err &&
	test_grep "^chain-append: -:1: bad-prevblk: height 0: '\''e.blk'\'' is empty: its first block must be a genesis" err &&
	test_must_be_empty e.blk &&
	sed -n 2p c.blk >b1 && test_expect_code 4 chain-append e.blk <b1 2>err &&
	test_grep "^chain-append: -:1: bad-prevblk: height 0: '\''e.blk'\'' is empty: its first block must be a genesis" err &&
	test_must_be_empty e.blk &&
	test_expect_code 4 chain-append none.blk <b5 2>err && test_grep "does not exist" err &&
	chain-append -q e.blk <g && test_cmp g e.blk
'

test_done
