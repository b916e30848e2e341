#!/bin/sh
test_description='mktx -P: transfers in a row, each nonce after those pending; tx input without a last newline'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-chain.sh

# nonce LINE: the nonce of a transfer line
nonce() {
	printf '%s\n' "$1" | cut -d: -f6
}

test_expect_success 'setup: a chain where a has spent once' '
	setup_keys &&
	make_genesis c.blk --maturity 1 &&
	add_block c.blk "$A" </dev/null &&
	mktx -k a.key -c c.blk "$B" 1 >first &&
	add_block c.blk "$A" <first &&
	balances -a a.key c.blk >bal && test_grep " nonce=1\$" bal
'

test_expect_success 'without -P two transfers take the same nonce (the reason for -P)' '
	mktx -k a.key -c c.blk "$B" 5 >t1 &&
	mktx -k a.key -c c.blk "$B" 6 >t2 &&
	test "$(nonce "$(cat t1)")" = 1 && test "$(nonce "$(cat t2)")" = 1
'

test_expect_success 'with -P a script makes many transfers in a row, and a block takes them all' '
	: >pending &&
	for amount in 10 20 30 40; do
		mktx -k a.key -c c.blk -P pending "$C" $amount >>pending || return 1
	done &&
	cut -d: -f6 pending >nonces &&
	printf "1\n2\n3\n4\n" >expect && test_cmp expect nonces &&
	add_block c.blk "$A" <pending &&
	balances -a "$C" c.blk >bal && test_grep " spendable=100 " bal
'

test_expect_success 'only the sender'"'"'s transfers count; data records and stale nonces are skipped' '
	mktx -k b.key -c c.blk -n 5 "$C" 1 >pending &&
	mktx -k b.key -c c.blk -n 6 "$C" 1 >>pending &&
	echo "tx data:hello" >>pending &&
	mktx -k a.key -c c.blk -n 0 "$C" 1 >>pending &&
	mktx -k a.key -c c.blk -P pending "$C" 7 >t &&
	test "$(nonce "$(cat t)")" = 5
'

test_expect_success 'a gap among the pending nonces is filled first' '
	mktx -k a.key -c c.blk -n 5 "$C" 1 >pending &&
	mktx -k a.key -c c.blk -n 7 "$C" 1 >>pending &&
	mktx -k a.key -c c.blk -P pending "$C" 1 >t &&
	test "$(nonce "$(cat t)")" = 6 &&
	cat t >>pending &&
	mktx -k a.key -c c.blk -P pending "$C" 1 >t &&
	test "$(nonce "$(cat t)")" = 8
'

test_expect_success '-P - reads standard input; a last line without newline is taken' '
	mktx -k a.key -c c.blk "$C" 1 | tr -d "\\n" >torn &&
	mktx -k a.key -c c.blk -P - "$C" 2 <torn >t &&
	test "$(nonce "$(cat t)")" = 6
'

test_expect_success 'a pending line that is no tx line is an error naming it' '
	mktx -k a.key -c c.blk "$C" 1 >pending &&
	echo "block height=1" >>pending &&
	test_expect_code 1 mktx -k a.key -c c.blk -P pending "$C" 1 >out 2>err &&
	test_must_be_empty out &&
	test_grep "^mktx: pending:2: bad-syntax: record: not a .tx <token>. line" err &&
	test_expect_code 3 mktx -k a.key -c c.blk -P nowhere "$C" 1 2>err &&
	test_grep "nowhere" err
'

test_expect_success '-P needs -c and excludes -n' '
	test_expect_code 2 mktx -k a.key -c c.blk -P pending -n 3 "$C" 1 2>err &&
	test_grep "^mktx: -P counts from the chain.s nonce: it needs -c and excludes -n" err &&
	id=$(field "$(verify c.blk)" chain) &&
	test_expect_code 2 mktx -k a.key -i "$id" -n 1 -P pending "$C" 1 2>err &&
	test_grep "needs -c" err
'

test_expect_success 'mkblock takes a tx line without its final newline on standard input' '
	mktx -k a.key -c c.blk "$C" 3 | tr -d "\\n" >torn &&
	mkblock -c c.blk --coinbase "$A" <torn >b &&
	test_grep " tx=transfer:$A:$C:3:" b &&
	printf "hello" | mkblock -c c.blk --coinbase "$A" -d >d &&
	test_grep " tx=data:hello\$" d
'

test_expect_success 'a chain file without its final newline is still refused as truncated' '
	head -c -1 c.blk >torn.blk &&
	test_expect_code 1 mkblock -c torn.blk --coinbase "$A" </dev/null 2>err &&
	test_grep "truncated" err &&
	test_expect_code 1 verify torn.blk 2>err && test_grep "truncated" err
'

test_done
