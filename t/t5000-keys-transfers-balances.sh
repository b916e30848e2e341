#!/bin/sh
test_description='mkkey, mktx, balances: a genesis and 50 blocks with data and transfers among three accounts'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-chain.sh

test_expect_success 'mkkey makes a 0600 key file, never overwrites, and -p prints its account' '
	mkkey k.key >acct && test_line_count = 1 acct &&
	test_grep "^[0-9a-f]\{64\}\$" acct &&
	ls -l k.key | cut -c1-10 >mode && echo "-rw-------" >expect && test_cmp expect mode &&
	mkkey -p k.key >again && test_cmp acct again &&
	cp k.key before && test_expect_code 3 mkkey k.key 2>err && test_grep "k.key" err &&
	test_cmp before k.key
'

test_expect_success 'a key file that others can read, or a damaged one, is refused' '
	cp k.key open.key && chmod 644 open.key &&
	test_expect_code 1 mkkey -p open.key 2>err && test_grep "chmod 600" err &&
	sed "s/account=./account=0/" k.key >bad.key && chmod 600 bad.key &&
	{ test_expect_code 1 mkkey -p bad.key 2>err || cmp -s k.key bad.key; } &&
	echo junk >junk.key && chmod 600 junk.key &&
	test_expect_code 1 mkkey -p junk.key 2>err && test_grep "not a key file" err
'

test_expect_success 'setup: keys a, b and c' '
	setup_keys
'

# The chain: maturity 5. Blocks 1-10 pay a. Blocks 11-50 pay c, carry a data
# record, and a transfer a->b of 1000 (fee 1); from block 21 also b->c of 100 (fee 2).
test_expect_success 'a genesis and 50 blocks with data records and transfers' '
	make_genesis c.blk --maturity 5 &&
	add_blocks c.blk a.key 10 &&
	h=11 &&
	while [ $h -le 50 ]; do
		echo "tx data:audit%20line%20$h" >txs &&
		mktx -k a.key -c c.blk -f 1 -m "to b $h" "$B" 1000 >>txs &&
		if [ $h -ge 21 ]; then mktx -k b.key -c c.blk -f 2 "$C" 100 >>txs; fi &&
		add_block c.blk c.key <txs || return 1
		h=$((h + 1))
	done &&
	verify c.blk >out &&
	test_grep "^ok height=50 " out && test_grep " txs=161 " out
'

test_expect_success 'balances reports the right figures (spendable in the next block)' '
	cat >expect <<-EOF &&
	account=$A spendable=$((50000000000 - 40 * 1001)) immature=0 nonce=40
	account=$C spendable=$((36 * 5000000000 + 10 * 1 + 26 * 3 + 30 * 100)) immature=$((4 * 5000000003)) nonce=0
	account=$B spendable=$((40 * 1000 - 30 * 102)) immature=0 nonce=30
	EOF
	sort expect >expect.sorted &&
	balances c.blk >actual && test_cmp expect.sorted actual &&
	balances -a b.key c.blk >one && grep "$B" expect >expect.b && test_cmp expect.b one
'

test_expect_success 'balances of an unknown account are zero' '
	balances -a "$(printf "%064d" 5)" c.blk >z &&
	echo "account=$(printf "%064d" 5) spendable=0 immature=0 nonce=0" >expect && test_cmp expect z
'

test_expect_success 'the memo and the data record are in the chain, grep finds them' '
	grep -c "to%20b%2033" c.blk >n && echo 1 >expect && test_cmp expect n &&
	grep -c "tx=data:audit%20line%2042" c.blk >n && test_cmp expect n
'

test_expect_success 'the chain read from the cache and from scratch agree' '
	balances c.blk >cached && rm c.blk.state && balances c.blk >walked &&
	test_cmp cached walked && gzip -c c.blk >c.blk.gz && balances c.blk.gz >gz &&
	test_cmp cached gz
'

test_expect_success 'mktx with an explicit chain id and nonce signs the same bytes' '
	id=$(sed -n "s/.* chain=\([0-9a-f]*\)\$/\1/p" out) &&
	mktx -k a.key -c c.blk -f 1 -m m "$B" 5 >t1 &&
	mktx -k a.key -i "$id" -n 40 -f 1 -m m "$B" 5 >t2 && test_cmp t1 t2
'

test_expect_success 'a transfer signed for another chain is refused' '
	mktx -k a.key -i "$(printf "%064d" 9)" -n 40 "$B" 5 >other &&
	test_must_fail mkblock -c c.blk --coinbase "$C" <other 2>err && test_grep bad-txns-sig err
'

test_expect_success 'mktx refuses a transfer whose amount + fee overflows u64 (bad-txns-overflow)' '
	test_expect_code 1 mktx -k a.key -c c.blk -f 1 "$B" 18446744073709551615 >out 2>err &&
	test_must_be_empty out &&
	test_grep "^mktx: bad-txns-overflow: amount 18446744073709551615 + fee 1 overflows u64" err &&
	test_expect_code 1 mktx -k a.key -c c.blk -f 18446744073709551615 "$B" 1 >out 2>err &&
	test_must_be_empty out && test_grep "bad-txns-overflow" err &&
	mktx -k a.key -c c.blk "$B" 18446744073709551615 >out && test_line_count = 1 out
'

test_expect_success 'mktx usage' '
	test_expect_code 2 mktx -k a.key "$B" 5 &&
	test_expect_code 2 mktx -k a.key -i abc -n 0 "$B" 5 &&
	test_expect_code 2 mktx -k a.key -c c.blk "$B" 5x &&
	test_expect_code 2 mktx -k a.key -c c.blk -i "$(printf "%064d" 9)" "$B" 5 &&
	mktx -h >o && test_grep "^usage: mktx" o && balances -h >o && test_grep "^usage: balances" o &&
	mkkey -h >o && test_grep "^usage: mkkey" o
'

test_done
