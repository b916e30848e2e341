#!/bin/sh
test_description='messages that say what is wrong: usage errors, key files, paths, CRLF, spaces, chain ids, addresses'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-chain.sh

test_expect_success 'setup: a chain where a can pay, another chain' '
	setup_keys &&
	make_genesis c.blk --maturity 1 &&
	add_block c.blk "$A" </dev/null &&
	make_genesis other.blk --maturity 1 --name other &&
	mkdir d
'

test_expect_success 'a usage error says what was wrong before the synopsis' '
	test_expect_code 2 mkblock --coinbase "$A" </dev/null 2>err &&
	test_grep "^mkblock: give --genesis to start a chain, or -c chain to build on one\$" err &&
	test_grep "^usage: mkblock" err &&
	test_expect_code 2 mkblock --genesis -c c.blk 2>err &&
	test_grep "^mkblock: --genesis and -c exclude each other\$" err &&
	test_expect_code 2 mkblock -c c.blk </dev/null 2>err &&
	test_grep "^mkblock: -c needs --coinbase account" err &&
	test_expect_code 2 mktx -k a.key -c c.blk "$B" 2>err &&
	test_grep "^mktx: missing the amount (base units) after the account\$" err &&
	test_expect_code 2 mktx -k a.key -c c.blk 2>err &&
	test_grep "^mktx: missing the account to pay and the amount\$" err &&
	test_expect_code 2 mktx -c c.blk "$B" 1 2>err &&
	test_grep "^mktx: -k keyfile is required" err &&
	test_expect_code 2 mktx -k a.key "$B" 1 2>err &&
	test_grep "^mktx: give -c chain, or -i chain-id with -n nonce\$" err &&
	test_expect_code 2 peer-send 127.0.0.1:1 127.0.0.1:2 </dev/null 2>err &&
	test_grep "^peer-send: one node address (host:port), not 2\$" err &&
	test_expect_code 2 peer-send --chain --mempool 127.0.0.1:1 2>err &&
	test_grep "^peer-send: --chain and --mempool exclude each other: one request a run\$" err &&
	test_expect_code 2 peer-send --since 00 2>err &&
	test_grep "^peer-send: --since .00.: not a block hash" err &&
	test_expect_code 2 balances 2>err && test_grep "^balances: no chain file given\$" err &&
	test_expect_code 2 mkkey 2>err && test_grep "^mkkey: no key file given\$" err &&
	test_expect_code 2 peer-listen 2>err && test_grep "^peer-listen: no data directory given\$" err &&
	test_expect_code 2 chain-append 2>err && test_grep "^chain-append: no chain file given\$" err &&
	test_expect_code 2 prove 2>err && test_grep "^prove: no chain file given\$" err &&
	test_expect_code 2 verify-proof 2>err && test_grep "^verify-proof: no header file given\$" err &&
	test_expect_code 2 mine a b 2>err && test_grep "^mine: one input file, not 2\$" err &&
	test_expect_code 2 chain-headers a b 2>err && test_grep "^chain-headers: one chain file, not 2\$" err
'

test_expect_success 'a directory given as a key file is named a directory' '
	test_expect_code 1 mktx -k d -c c.blk "$B" 1 2>err &&
	test_grep "^mktx: bad-keyfile: .d.: a directory, not a key file\$" err &&
	test_expect_code 1 mkblock -c c.blk --coinbase d </dev/null 2>err &&
	test_grep "a directory, not a key file" err && test_grep -v "others may read" err &&
	test_expect_code 1 mkkey -p d 2>err && test_grep "a directory, not a key file" err
'

test_expect_success 'a missing key file is named missing; a near-account says how it is wrong' '
	test_expect_code 2 mkblock -c c.blk --coinbase nokey.key </dev/null 2>err &&
	test_grep "^mkblock: .nokey.key.: no such key file" err &&
	test_grep -v "neither" err &&
	test_expect_code 2 balances -a "${A%?}" c.blk 2>err &&
	test_grep "not an account: 63 hex digits, an account has 64" err &&
	test_expect_code 2 balances -a "$(echo "$A" | tr a-f A-F)" c.blk 2>err &&
	test_grep "an account is written in lower-case hex" err
'

test_expect_success 'verify DIR names the path once' '
	test_expect_code 3 verify d 2>err &&
	echo "verify: '"'"'d'"'"' is a directory" >expect &&
	test_cmp expect err &&
	test_expect_code 3 balances d 2>err &&
	test "$(grep -o "d:" err | wc -l)" = 1
'

test_expect_success 'a file with CRLF line endings is named so, not blamed on maxblock' '
	sed "s/\$/\r/" c.blk >crlf.blk &&
	test_expect_code 1 verify crlf.blk 2>err &&
	test_grep "^verify: crlf.blk:1: bad-syntax: height 0: record: the line ends in a carriage return (DOS line endings?" err &&
	test_grep -v maxblock err &&
	mktx -k a.key -c c.blk "$B" 1 | sed "s/\$/\r/" >crlf.tx &&
	test_expect_code 1 mkblock -c c.blk --coinbase "$A" <crlf.tx 2>err &&
	test_grep "carriage return" err
'

test_expect_success 'an unescaped space in a memo is named, not blamed on the signature' '
	mktx -k a.key -c c.blk -m "rent march" "$B" 1 >tx &&
	sed "s/rent%20march/rent march/" tx >spaced &&
	test_expect_code 1 mkblock -c c.blk --coinbase "$A" <spaced 2>err &&
	test_grep "a space inside the token (text such as a memo writes it as %20" err &&
	mkblock -c c.blk --coinbase "$A" <tx | mine -q >b &&
	sed "s/rent%20march/rent march/" b >bspaced &&
	cat c.blk bspaced >cs.blk &&
	test_expect_code 1 verify cs.blk 2>err &&
	test_grep "a space inside a transaction? text such as a memo writes it as %20" err
'

test_expect_success 'a transfer signed for another chain: the signature covers the chain id' '
	id=$(field "$(verify other.blk)" chain) &&
	mktx -k a.key -i "$id" -n 0 "$B" 1 >foreign &&
	test_expect_code 1 mkblock -c c.blk --coinbase "$A" <foreign 2>err &&
	test_grep "bad-txns-sig: transfer signature is not valid: it covers this chain.s id" err &&
	test_grep "signed for another chain" err
'

test_expect_success 'peer addresses: a missing port, -l with a port, --connect without one' '
	test_expect_code 2 peer-send localhost </dev/null 2>err &&
	test_grep "^peer-send: .localhost.: no port (write host:port)\$" err &&
	mkdir node && cp c.blk node/chain.blk &&
	test_expect_code 2 peer-listen -l 127.0.0.1:9 node 2>err &&
	test_grep "^peer-listen: -l .127.0.0.1:9.: give the address alone" err &&
	test_expect_code 2 peer-listen -p 0 --connect 127.0.0.1: node 2>err &&
	test_grep "^peer-listen: --connect .127.0.0.1:.: bad port" err &&
	test_expect_code 2 peer-listen -p 0 --addnode host node 2>err &&
	test_grep "^peer-listen: --addnode .host.: no port" err &&
	test_path_is_missing node/peers && test_path_is_missing node/lock
'

test_expect_success 'mkblock --time in the future is refused before anything is mined' '
	test_expect_code 1 mkblock -c c.blk --coinbase "$A" --time 1700007201 </dev/null >out 2>err &&
	test_must_be_empty out &&
	test_grep "^mkblock: time-too-new: --time 1700007201 is 7201 seconds after the clock" err &&
	test_expect_code 1 mkblock --genesis --time 1800000000 >out 2>err &&
	test_must_be_empty out && test_grep "time-too-new" err &&
	mkblock -c c.blk --coinbase "$A" --time 1700007200 </dev/null >ok &&
	test_line_count = 1 ok
'

test_expect_success 'mkblock --version N and --version=N still set the header version' '
	mkblock --genesis --powlimit 207fffff --version 3 >g3 &&
	test_grep " version=3 " g3 &&
	mkblock --genesis --powlimit 207fffff --version=4 >g4 &&
	test_grep " version=4 " g4 &&
	mkblock --genesis --powlimit 207fffff --header-version 5 >g5 &&
	test_grep " version=5 " g5 &&
	mkblock --version >v && test_grep "^mkblock (blockutils) " v
'

test_done
