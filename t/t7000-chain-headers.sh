#!/bin/sh
# shellcheck disable=SC2034 # the variables are used in the test bodies
test_description='chain-headers: a header file (the genesis line, then raw headers); verify -H checks it'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-chain.sh
. "$TEST_DIRECTORY"/lib-btc.sh

D=$TEST_DIRECTORY/t3000

test_expect_success 'setup: a chain of six blocks with data records' '
	setup_keys &&
	make_genesis chain.blk &&
	for i in 1 2 3 4 5 6; do
		echo "record $i" | add_block chain.blk "$A" -d || return 1
	done &&
	verify chain.blk >full && test_grep "^ok height=6 " full
'

test_expect_success 'the genesis line as it is, then each block as its 80-byte header' '
	chain-headers chain.blk >chain.hdr &&
	test_line_count = 7 chain.hdr &&
	head -n 1 chain.blk >expect && head -n 1 chain.hdr >got && test_cmp expect got &&
	sed 1d chain.hdr >raw && ! grep -v "^[0-9a-f]\{160\}\$" raw &&
	sed 1d chain.blk | sed "s/.* hash=\([0-9a-f]*\) .*/\1/" >expect &&
	while read -r h; do header_hash "$h" && echo || return 1; done <raw >got &&
	test_cmp expect got &&
	test $(wc -c <raw) -eq $((6 * 161))
'

test_expect_success 'verify -H checks the header file: the same tip and work as the chain' '
	chain-headers chain.blk >chain.hdr &&
	verify -H chain.hdr >hdr &&
	sed "s/ txs=[0-9]* / /" full >expect && sed "s/ txs=[0-9]* / /" hdr >got &&
	test_cmp expect got && test_grep " txs=1 " hdr
'

test_expect_success 'without -H a raw header is refused: a header file is not a chain' '
	chain-headers chain.blk >chain.hdr &&
	test_expect_code 1 verify chain.hdr 2>err &&
	test_grep "^verify: chain.hdr:2: bad-syntax: height 1: .*-H" err &&
	{ sed -n 1,2p chain.blk && sed -n 3p chain.hdr && sed -n "4,\$p" chain.blk; } >one.blk &&
	test_expect_code 1 verify one.blk 2>err &&
	test_grep "^verify: one.blk:3: bad-syntax: height 2: " err &&
	verify -H one.blk >out && test_grep "^ok height=6 " out
'

test_expect_success 'with -H the first line must still be the genesis block line' '
	chain-headers chain.blk >chain.hdr && sed 1d chain.hdr >nogen.hdr &&
	test_expect_code 1 verify -H nogen.hdr 2>err &&
	test_grep "^verify: nogen.hdr:1: bad-syntax: height 0: " err
'

test_expect_success 'a header altered, or two swapped, fails at that line' '
	chain-headers chain.blk >chain.hdr &&
	awk "NR == 4 { c = substr(\$0, 140, 1); \$0 = substr(\$0, 1, 139) (c == \"0\" ? \"1\" : \"0\") substr(\$0, 141) } { print }" chain.hdr >a.hdr &&
	! cmp -s chain.hdr a.hdr &&
	test_expect_code 1 verify -H a.hdr 2>err && test_grep "^verify: a.hdr:4: " err &&
	{ sed -n 1,2p chain.hdr && sed -n 4p chain.hdr && sed -n 3p chain.hdr; } >s.hdr &&
	test_expect_code 1 verify -H s.hdr 2>err && test_grep "^verify: s.hdr:3: bad-prevblk: " err
'

test_expect_success 'nothing is written past the first invalid block' '
	awk "NR == 5 { sub(/ nonce=[0-9]+ /, \" nonce=7 \") } { print }" chain.blk >bad.blk &&
	test_expect_code 1 chain-headers bad.blk >out 2>err &&
	test_grep "^chain-headers: bad.blk:5: " err &&
	test_line_count = 4 out
'

test_expect_success 'Bitcoin: raw headers and whole blocks in, raw headers out' '
	{ cat "$D/genesis-block.hex" && sed 1d "$D/mainnet-headers-0-4100.hex"; } >mixed.hex &&
	chain-headers --chain bitcoin mixed.hex >out &&
	test_cmp "$D/mainnet-headers-0-4100.hex" out &&
	chain-headers --chain bitcoin --from 413567 "$D/block-413567.hex.gz" >h &&
	gzip -dc "$D/block-413567.hex.gz" | cut -c1-160 >expect && test_cmp expect h
'

test_expect_success 'appending the new headers keeps a header file current' '
	head -n 5 chain.blk >old.blk && chain-headers old.blk >light.hdr &&
	chain-headers chain.blk | tail -n +$(($(wc -l <light.hdr) + 1)) >>light.hdr &&
	chain-headers chain.blk >expect && test_cmp expect light.hdr
'

test_expect_success 'usage: --from needs --chain, one file at most, unknown chains' '
	test_expect_code 2 chain-headers --from 5 chain.blk 2>err && test_grep "needs --chain" err &&
	test_expect_code 2 chain-headers a b &&
	test_expect_code 2 chain-headers --chain litecoin chain.blk &&
	test_expect_code 3 chain-headers nosuch.blk 2>err && test_grep nosuch.blk err
'

test_done
