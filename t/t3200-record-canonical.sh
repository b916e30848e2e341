#!/bin/sh
test_description='records: every accepted line re-serializes byte for byte; other spellings are refused'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-chain.sh

test_expect_success 'setup: a chain with every kind of transaction and escaped text' '
	setup_keys &&
	make_genesis c.blk --maturity 1 --name "test net: 100%, a=b" &&
	printf "plain\n%s\n" "tab	and %25 : , = and ü" >data &&
	add_block c.blk a.key -d <data &&
	add_block c.blk a.key </dev/null &&
	mktx -k a.key -c c.blk -f 3 -m "rent: june, 50%" "$B" 1000 >tx &&
	add_block c.blk b.key --extra 00ff <tx &&
	verify c.blk >out && test_grep "^ok height=3 " out &&
	test_grep "tx=params:name=test%20net%3A%20100%25%2C%20a%3Db," c.blk &&
	test_grep "tx=data:tab%09and%20%2525%20%3A%20%2C%20%3D%20and%20ü" c.blk
'

test_expect_success 'every line of the chain re-serializes from its fields byte for byte' '
	test-record c.blk >again && test_cmp c.blk again &&
	test-record tx >again && test_cmp tx again
'

test_expect_success 'real Bitcoin headers re-serialize byte for byte' '
	head -n 50 "$TEST_DIRECTORY/t3000/mainnet-headers-0-4100.hex" >h &&
	test-record h >again && test_cmp h again
'

# refused FIELD-PATTERN: line in "variant" is refused by the parser, naming the field
refused() {
	test_expect_code 1 test-record variant >out &&
	test_grep "^1: bad-syntax: .*$1" out
}

test_expect_success 'upper-case hex is refused (hash, key, bits, sig, extra)' '
	sed -n 2p c.blk >line &&
	h=$(field "$(cat line)" hash) && H=$(echo "$h" | tr a-f A-F) &&
	sed "s/hash=$h/hash=$H/" line >variant && refused "hash" &&
	sed "s/bits=207fffff/bits=207FFFFF/" line >variant && refused "bits" &&
	sed "s/coinbase:1:$A/coinbase:1:$(echo "$A" | tr a-f A-F)/" line >variant && refused "coinbase to" &&
	sed -n 4p c.blk | sed "s/:00ff /:00FF /" >variant && refused "coinbase extra" &&
	sed "s/[0-9a-f]\$/F/" tx >variant && refused "transfer sig"
'

test_expect_success 'a leading zero, a sign or a too-wide number is refused' '
	sed -n 2p c.blk >line &&
	sed "s/ version=1 / version=01 /" line >variant && refused "version" &&
	sed "s/ nonce=\([0-9]*\)/ nonce=+\1/" line >variant && refused "nonce" &&
	sed "s/ time=[0-9]* / time=4294967296 /" line >variant && refused "time" &&
	sed "s/^block height=1 /block height=00 /" line >variant && refused "height" &&
	sed "s/:1000:3:0:/:01000:3:0:/" tx >variant && refused "transfer amount" &&
	sed "s/:1000:3:0:/:1000:3:18446744073709551616:/" tx >variant && refused "transfer nonce"
'

test_expect_success 'a number with the byte after 9 or before 0 in it is refused' '
	sed -n 2p c.blk >line &&
	sed "s/ version=1 / version=1: /" line >variant && refused "version" &&
	sed "s/ version=1 / version=:1 /" line >variant && refused "version" &&
	sed "s/ version=1 / version=1\/ /" line >variant && refused "version" &&
	sed "s/ time=\([0-9]*\) / time=\1: /" line >variant && refused "time" &&
	sed "s/^block height=1 /block height=: /" line >variant && refused "height"
'

test_expect_success 'a needless escape, or a lower-case one, is refused' '
	sed "s/rent%3A/rent%3a/" tx >variant && refused "transfer memo" &&
	sed "s/rent%3A/r%65nt%3A/" tx >variant && refused "transfer memo" &&
	sed -n 2p c.blk | sed "s/tx=data:plain/tx=data:pl%61in/" >variant && refused "data"
'

test_expect_success 'a raw byte that must be escaped is refused' '
	sed "s/rent%3A%20june/rent: june/" tx >variant && test_expect_code 1 test-record variant >out &&
	sed -n 2p c.blk | sed "s/tx=data:plain/tx=data:pl%in/" >variant && refused "data"
'

test_expect_success 'double space, trailing space, CR, tab are refused' '
	sed -n 2p c.blk >line &&
	sed "s/ version=/  version=/" line >variant && refused "version" &&
	sed "s/\$/ /" line >variant && refused "trailing space" &&
	sed "s/\$/\r/" line >variant && refused "record: the line ends in a carriage return" &&
	sed "s/ version=/	version=/" line >variant && test_expect_code 1 test-record variant >out &&
	sed "s/\$/ /" tx >variant && refused "tx"
'

test_expect_success 'an unknown key, a missing field and fields out of order are refused' '
	sed -n 2p c.blk >line &&
	sed "s/ version=1 / version=1 color=red /" line >variant && refused "prev" &&
	sed "s/ version=1 / /" line >variant && refused "version" &&
	sed "s/ time=\([0-9]*\) bits=\([0-9a-f]*\) / bits=\2 time=\1 /" line >variant && refused "time" &&
	sed "s/ tx=.*//" line >variant && refused "at least one tx" &&
	head -n 1 c.blk | sed "s/,maxblock=1000000/,maxblock=1000000,color=red/" >variant && refused "params" &&
	head -n 1 c.blk | sed "s/,halving=210000//" >variant && refused "halving" &&
	sed "s/:1000:3:0:/:1000:3:/" tx >variant && test_expect_code 1 test-record variant >out &&
	sed "s/^tx transfer:/tx payment:/" tx >variant && refused "unknown transaction kind"
'

# A junk line of 262139 bytes (skipped by mkblock -k), whose byte 11 is C,
# then "tx data:y%2" with no newline: the reader's first 256 KiB chunk ends
# 5 bytes into the last line, so the line is moved to the start of the
# buffer, where the byte after its 11 is the junk line's C, left over.
test_expect_success 'an escape cut short at the end of a torn last line is refused, whatever lies after it' '
	{ printf "tx zzzzzzzzC" && head -c 262126 /dev/zero | tr "\0" z && echo &&
	  printf "tx data:y%%2"; } >stale &&
	test "$(wc -c <stale)" = 262150 &&
	mkblock -c c.blk --coinbase "$A" -k stale >out 2>err &&
	test_grep "^mkblock: stale:2: bad-syntax: skipped: data: byte 2 is not canonical text " err &&
	test_grep ! "tx=data:y" out
'

test_expect_success 'verify names the line and the field of a non-canonical record' '
	head -n 2 c.blk >bad.blk && sed -n 3p c.blk | sed "s/ version=1 / version=01 /" >>bad.blk &&
	test_must_fail verify bad.blk 2>err &&
	test_grep "^verify: bad.blk:3: bad-syntax: height 2: version: not a canonical u32 decimal" err
'

test_done
