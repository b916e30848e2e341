#!/bin/sh
# shellcheck disable=SC2034 # the variables are used in the test bodies
test_description='verify --chain bitcoin|regtest: whole raw blocks, real and assembled, and each block rule broken alone'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-btc.sh

D=$TEST_DIRECTORY/t3000
R=$TEST_DIRECTORY/t3300
MAINNET=000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f
REGTEST=0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206
# the txid and wtxid of BIP143's signed native P2WPKH example, as published
P2WPKH_TXID=e8151a2af31c368a35053ddd4bdb285a8595c769a3ad83e0fa02314a602d4609
P2WPKH_WTXID=c36c38370907df2324d9ce9d149d191192f338b37665a82e78e76a12c909b762

# rejects REASON FILE [verify options]: verify refuses FILE's first block with REASON
rejects() {
	rj_reason=$1 rj_file=$2
	shift 2
	test_expect_code 1 verify "$@" "$rj_file" 2>err &&
	test_grep "^verify: $rj_file:1: $rj_reason: " err
}

# at2000 [test-btcblock options] < txs: a regtest block at height 2000, assembled
at2000() {
	test-btcblock "$@" >blk
}

test_expect_success 'Bitcoin genesis block, whole: its one coinbase parsed and checked' '
	verify --chain bitcoin "$D/genesis-block.hex" >out &&
	echo "ok height=0 hash=$MAINNET work=100010001 txs=1 chain=$MAINNET" >expect &&
	test_cmp expect out
'

test_expect_success 'block 413567 whole: 1557 transactions, its merkle root and hash from its header' '
	verify --chain bitcoin --from 413567 "$D/block-413567.hex.gz" >out &&
	gzip -dc "$D/block-413567.hex.gz" >b.hex &&
	root=$(cut -c73-136 b.hex | fold -w2 | tac | tr -d "\n") &&
	test "$root" = 64a50c649fc816baaa2effda230c39cacf1504e4e616a2863685b72aaa7dce05 &&
	n=$(wc -l <"$D/block-413567-txids.txt") &&
	test_grep "^ok height=413567 hash=$(header_hash "$(cat b.hex)") work=[0-9a-f]* txs=$n chain=$MAINNET\$" out
'

test_expect_success 'block 413567: prove finds each of its published txids at its place' '
	prove --chain bitcoin --from 413567 "$D/block-413567.hex.gz" <"$D/block-413567-txids.txt" >proofs &&
	test_line_count = 1557 proofs &&
	sed "s/.* txid=\([0-9a-f]*\) index=\([0-9]*\) .*/\2 \1/" proofs >got &&
	awk "{ print NR - 1, \$0 }" "$D/block-413567-txids.txt" >expect &&
	test_cmp expect got
'

test_expect_success 'CVE-2012-2459: a repeated pair is found in the first place of a level too, on the first level and the third' '
	a=$(repeat aa 32) b=$(repeat bb 32) c=$(repeat cc 32) &&
	for ids in "$a $a" "$a $b $a $b" "$c $c $a $b" "$a $b $c $c" "$a $b $c $a $a $b $c $a"; do
		printf "%s\n" $ids >ids && test_expect_code 1 prove --txids ids 2>err &&
		test_grep "^prove: bad-txns-duplicate: repeated txids leave the merkle root as it was (CVE-2012-2459)\$" err ||
		return 1
	done &&
	printf "%s\n" "$c" "$a" "$b" "$a" "$b" >ids && test_expect_code 1 prove --txids ids 2>err &&
	test_grep "^prove: bad-txns-duplicate: two txids are equal\$" err
'

test_expect_success 'a header file may hold whole blocks among raw headers' '
	{ cat "$D/genesis-block.hex" && sed 1d "$D/mainnet-headers-0-4100.hex"; } >mixed.hex &&
	verify --chain bitcoin mixed.hex >out &&
	test_grep "^ok height=4100 hash=00000000d55579d1311c2841fa900531f34df1d543ff52598f2d526c5550cec4 work=100510051005 txs=1 " out
'

test_expect_success 'CVE-2012-2459 on block 413567: its last transaction repeated, the root unchanged, refused' '
	gzip -dc "$D/block-413567.hex.gz" >b.hex &&
	last=$(tail -n 1 "$D/block-413567-txids.txt") &&
	prove --chain bitcoin --from 413567 b.hex "$last" >p &&
	tx=$(sed "s/.* tx=//" p) &&
	test "$(cut -c161-166 b.hex)" = fd1506 &&
	{ cut -c1-160 b.hex | tr -d "\n" && printf fd1606 && cut -c167- b.hex | tr -d "\n" &&
	  echo "$tx"; } >mut.hex &&
	test "$(cut -c1-160 mut.hex)" = "$(cut -c1-160 b.hex)" &&
	rejects bad-txns-duplicate mut.hex --chain bitcoin --from 413567 &&
	test_grep "CVE-2012-2459" err
'

test_expect_success 'block 413567: a byte of a transaction changed breaks the merkle root' '
	gzip -dc "$D/block-413567.hex.gz" >b.hex &&
	sed "s/0\$/1/" b.hex >bad.hex && ! cmp -s b.hex bad.hex &&
	rejects bad-txnmrklroot bad.hex --chain bitcoin --from 413567
'

test_expect_success 'regtest genesis and two blocks, one segwit with a commitment (assembled independently)' '
	verify --chain regtest "$R/regtest-chain.hex" >out &&
	echo "ok height=2 hash=$(sed -n "s/^2 //p" "$R/regtest-hashes.txt") work=6 txs=6 chain=$REGTEST" >expect &&
	test_cmp expect out &&
	test "$(sed -n "s/^0 //p" "$R/regtest-hashes.txt")" = "$REGTEST" &&
	test "$(header_hash "$(sed -n 3p "$R/regtest-chain.hex")")" = "$(sed -n "s/^2 //p" "$R/regtest-hashes.txt")"
'

test_expect_success 'regtest block 2000: BIP143 P2WPKH, P2SH-P2WPKH and P2WSH; txids without witness' '
	verify --chain regtest --from 2000 "$R/regtest-2000.hex" >out &&
	test_grep "^ok height=2000 hash=$(sed -n "s/^2000 //p" "$R/regtest-hashes.txt") work=2 txs=4 " out &&
	prove --chain regtest --from 2000 "$R/regtest-2000.hex" <"$R/regtest-2000-txids.txt" >proofs &&
	test_line_count = 4 proofs &&
	test_grep " txid=$P2WPKH_TXID index=1 " proofs &&
	sed -n 2p "$R/regtest-2000-wtxids.txt" >w && echo $P2WPKH_WTXID >expect && test_cmp expect w &&
	prove --txids "$R/regtest-2000-txids.txt" >root &&
	echo "merkle root=$(cut -c73-136 "$R/regtest-2000.hex" | fold -w2 | tac | tr -d "\n") txs=4" >expect &&
	test_cmp expect root
'

test_expect_success 'the same regtest chain is not Bitcoin mainnet' '
	rejects bad-diffbits "$R/regtest-chain.hex" --chain bitcoin &&
	head -n 1 "$D/genesis-block.hex" >g.hex &&
	rejects bad-genesis g.hex --chain regtest
'

test_expect_success 'a witness byte changed: the commitment fails, the merkle root holds' '
	replace_once "$R/regtest-2000.hex" 3609e17b84f6a7d3 3609e17b84f6a7d4 >bad.hex &&
	! cmp -s "$R/regtest-2000.hex" bad.hex &&
	rejects bad-witness-merkle-match bad.hex --chain regtest --from 2000
'

test_expect_success 'a coinbase witness of 33 bytes (bad-witness-nonce-size)' '
	replace_once "$R/regtest-2000.hex" "0120$(zeros 32)00000000" "0121$(zeros 33)00000000" >bad.hex &&
	! cmp -s "$R/regtest-2000.hex" bad.hex &&
	rejects bad-witness-nonce-size bad.hex --chain regtest --from 2000
'

test_expect_success 'witness data without a commitment (unexpected-witness)' '
	{ cb 02d007 && wtx1 11 aabb; } | at2000 &&
	rejects unexpected-witness blk --chain regtest --from 2000 &&
	{ cb 02d007 w && wtx1 11 aabb; } | at2000 -c &&
	verify -q --chain regtest --from 2000 blk
'

test_expect_success 'the coinbase without the block height (bad-cb-height, BIP34)' '
	{ cb 02cf07 && tx1 11 0100000000000000 51; } | at2000 &&
	rejects bad-cb-height blk --chain regtest --from 2000 &&
	{ cb 02d007 && tx1 11 0100000000000000 51; } | at2000 &&
	verify -q --chain regtest --from 2000 blk
'

test_expect_success 'a lock time not reached (bad-txns-nonfinal): P2SH-P2WPKH locks until 1170' '
	rejects bad-txns-nonfinal "$R/regtest-2000.hex" --chain regtest --from 1000 &&
	test_grep "locked until height 1170" err
'

test_expect_success 'duplicate txids that are not the mutation, and the mutation on regtest' '
	{ cb 02d007 && tx1 11 0100000000000000 51 && tx1 22 0100000000000000 51 &&
	  tx1 11 0100000000000000 51; } | at2000 &&
	rejects bad-txns-duplicate blk --chain regtest --from 2000 &&
	test_grep "same txid" err
'

test_expect_success 'coinbase first and only first (bad-cb-missing, bad-cb-multiple)' '
	{ tx1 11 0100000000000000 51 && cb 02d007; } | at2000 &&
	rejects bad-cb-missing blk --chain regtest --from 2000 &&
	{ cb 02d007 && cb 02d00701; } | at2000 &&
	rejects bad-cb-multiple blk --chain regtest --from 2000
'

test_expect_success 'each transaction rule alone' '
	{ cb 02d007 && tx1 11 ffffffffffffffff 51; } | at2000 &&
	rejects bad-txns-vout-negative blk --chain regtest --from 2000 &&
	{ cb 02d007 && tx1 11 0140075af0750700 51; } | at2000 &&
	rejects bad-txns-vout-toolarge blk --chain regtest --from 2000 &&
	{ cb 02d007 && tx1 11 0040075af0750700 51; } | at2000 &&
	verify -q --chain regtest --from 2000 blk &&
	{ cb 02d007 && printf "0100000001%s0000000000ffffffff020040075af0750700015100e1f50500000000015100000000\n" "$(repeat 11 32)"; } | at2000 &&
	rejects bad-txns-txouttotal-toolarge blk --chain regtest --from 2000 &&
	{ cb 02d007 && echo 01000000000000000000; } | at2000 &&
	rejects bad-txns-vin-empty blk --chain regtest --from 2000 &&
	{ cb 02d007 && printf "0100000001%s0000000000ffffffff0000000000\n" "$(repeat 11 32)"; } | at2000 &&
	rejects bad-txns-vout-empty blk --chain regtest --from 2000 &&
	in="$(repeat 11 32)0000000000ffffffff" &&
	{ cb 02d007 && printf "0100000002%s%s0101000000000000000151%s\n" "$in" "$in" 00000000; } | at2000 &&
	rejects bad-txns-inputs-duplicate blk --chain regtest --from 2000 &&
	{ cb 02d007 && printf "0100000002%s%sffffffff00ffffffff0101000000000000000151%s\n" "$in" "$(zeros 32)" 00000000; } | at2000 &&
	rejects bad-txns-prevout-null blk --chain regtest --from 2000 &&
	{ cb "02d007$(zeros 98)"; } | at2000 &&
	rejects bad-cb-length blk --chain regtest --from 2000 &&
	{ cb "02d007$(zeros 97)"; } | at2000 &&
	verify -q --chain regtest --from 2000 blk
'

test_expect_success 'sigops: 20000 legacy OP_CHECKSIG pass, 20001 do not (bad-blk-sigops)' '
	{ cb 02d007 && tx1 11 0100000000000000 "$(repeat ac 20000)"; } | at2000 &&
	verify -q --chain regtest --from 2000 blk &&
	{ cb 02d007 && tx1 11 0100000000000000 "$(repeat ac 20001)"; } | at2000 &&
	rejects bad-blk-sigops blk --chain regtest --from 2000
'

# big BYTES: the block of a coinbase and one transaction whose script makes
# the block exactly BYTES long (bytes without witness data)
big() {
	big_fixed=$(( 80 + 1 + $(cb 02d007 | wc -c) / 2 + 4 + 1 + 36 + 1 + 4 + 1 + 8 + 4 ))
	big_script=$(($1 - big_fixed - 5))
	{ cb 02d007 && tx1 11 0100000000000000 "$(zeros "$big_script")"; } | at2000 &&
	test $(($(wc -c <blk) / 2)) -eq "$1"
}

test_expect_success 'size: 1000000 bytes without witness pass, 1000001 do not (bad-blk-length)' '
	big 1000000 && verify -q --chain regtest --from 2000 blk &&
	big 1000001 && rejects bad-blk-length blk --chain regtest --from 2000
'

# weighty W: a block whose weight is exactly W, with witness data in a second transaction
weighty() {
	{ cb 02d007 w && tx1 11 0100000000000000 "$(zeros 990000)" && wtx1 22 "$(zeros 1000)"; } | at2000 -c &&
	wy_total=$(($(wc -c <blk) / 2)) &&
	wy_wit=$((2 + 1 + 1 + 32 + 2 + 1 + 3 + 1000)) &&
	wy_item=$((1000 + $1 - (3 * (wy_total - wy_wit) + wy_total))) &&
	{ cb 02d007 w && tx1 11 0100000000000000 "$(zeros 990000)" && wtx1 22 "$(zeros "$wy_item")"; } | at2000 -c &&
	wy_total=$(($(wc -c <blk) / 2)) && wy_wit=$((2 + 1 + 1 + 32 + 2 + 1 + 3 + wy_item)) &&
	test $((3 * (wy_total - wy_wit) + wy_total)) -eq "$1"
}

test_expect_success 'weight: exactly 4000000 passes, 4000001 does not (bad-blk-weight)' '
	weighty 4000000 && verify -q --chain regtest --from 2000 blk &&
	weighty 4000001 && rejects bad-blk-weight blk --chain regtest --from 2000
'

test_expect_success 'header versions obsolete at the height (bad-version)' '
	{ cb 02d007; } | at2000 -v 3 &&
	rejects bad-version blk --chain regtest --from 2000 &&
	{ cb 02d007; } | at2000 -v 4 &&
	verify -q --chain regtest --from 2000 blk
'

test_expect_success 'a slice may reach the last u32 height 4294967295; no block follows it' '
	cb 05feffffff00 | test-btcblock >top1 &&
	cb 05ffffffff00 | test-btcblock -p "$(header_hash "$(cat top1)")" -t 1296689203 >top2 &&
	cb 050000000001 | test-btcblock -p "$(header_hash "$(cat top2)")" -t 1296689204 >top3 &&
	cat top1 top2 >top.hex && verify --chain regtest --from 4294967294 top.hex >out &&
	test_grep "^ok height=4294967295 hash=$(header_hash "$(cat top2)") " out &&
	cat top1 top2 top3 >over.hex &&
	test_expect_code 1 verify --chain regtest --from 4294967294 over.hex 2>err &&
	test_grep "^verify: over.hex:3: bad-height: .*the chain is at the last u32 height" err
'

test_expect_success 'mainnet: the header version rules start at their heights (BIP34, BIP66, BIP65)' '
	for spec in 227930:1:ok 227931:1:bad-version 227931:2:ok 363724:2:ok 363725:2:bad-version \
	    363725:3:ok 388380:3:ok 388381:3:bad-version 388381:4:ok 388381:0x80000004:bad-version \
	    0:0xffffffff:ok; do
		h=${spec%%:*} rest=${spec#*:} && v=${rest%:*} want=${rest#*:} &&
		test "$(test-consensus version bitcoin "$h" "$v")" = "$want" || return 1
	done
'

# le32 N: N as 4 bytes, little-endian, in hex
le32() {
	printf '%02x%02x%02x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255))
}

# rules NET HEIGHT MTP < block: the block rules alone at HEIGHT (test-consensus)
rules() {
	test-consensus block "$@" <blk
}

test_expect_success 'mainnet: BIP34 from 227931, segwit from 481824, BIP113 from 419328' '
	{ cb 0100 && tx1 11 0100000000000000 51; } | at2000 &&
	test "$(rules bitcoin 227930 -1)" = ok && test "$(rules bitcoin 227931 -1)" = bad-cb-height &&
	{ cb 031f5a07 w && wtx1 11 aabb; } | at2000 -c &&
	test "$(rules bitcoin 481823 -1)" = unexpected-witness &&
	{ cb 03205a07 w && wtx1 11 aabb; } | at2000 -c &&
	test "$(rules bitcoin 481824 -1)" = ok &&
	lock=$(le32 1296685000) &&
	nonfinal=$(printf "0100000001%s0000000000%s0101000000000000000151%s" "$(repeat 11 32)" 00000000 "$lock") &&
	{ cb 03ff6506 && echo "$nonfinal"; } | at2000 &&
	test "$(rules bitcoin 419327 1296680000)" = ok &&
	{ cb 03006606 && echo "$nonfinal"; } | at2000 &&
	test "$(rules bitcoin 419328 1296680000)" = bad-txns-nonfinal &&
	test "$(rules bitcoin 419328 1296686000)" = ok &&
	test "$(rules bitcoin 419328 -1)" = ok
'

test_expect_success 'serializations Bitcoin Core does not read (bad-syntax)' '
	f="$R/regtest-2000.hex" &&
	{ tr -d "\n" <"$f" && echo 00; } >bad.hex &&
	rejects bad-syntax bad.hex --chain regtest --from 2000 && test_grep "1 bytes after" err &&
	sed "s/..\$//" "$f" >bad.hex &&
	rejects bad-syntax bad.hex --chain regtest --from 2000 && test_grep "ends inside its lock time" err &&
	{ cut -c1-160 "$f" | tr -d "\n" && printf fd0400 && cut -c163- "$f"; } >bad.hex &&
	rejects bad-syntax bad.hex --chain regtest --from 2000 && test_grep "shortest form" err &&
	replace_once "$f" 01000000000102fff7f7 01000000000302fff7f7 >bad.hex &&
	rejects bad-syntax bad.hex --chain regtest --from 2000 && test_grep "unknown flags 03" err &&
	in="$(repeat 11 32)0000000000ffffffff" out=0101000000000000000151 &&
	{ cb 02d007 && printf "0100000001%s%s00000000\n" "$in" "$out"; } | at2000 &&
	verify -q --chain regtest --from 2000 blk &&
	replace_once blk "0100000001$in${out}00000000" "01000000000101$in${out}0000000000" >bad.hex &&
	! cmp -s blk bad.hex &&
	rejects bad-syntax bad.hex --chain regtest --from 2000 && test_grep "superfluous witness" err &&
	sed "s/\$/0/" "$f" >bad.hex &&
	rejects bad-syntax bad.hex --chain regtest --from 2000 && test_grep "hex digits" err
'

test_expect_success 'a block cut short anywhere is refused, never read past its end' '
	f="$R/regtest-2000.hex" && len=$(($(wc -c <"$f") - 1)) && i=162 &&
	while [ $i -lt "$len" ]; do
		cut -c1-$i "$f" >cut.hex &&
		test_expect_code 1 verify -q --chain regtest --from 2000 cut.hex 2>err &&
		test_grep "bad-syntax" err || return 1
		i=$((i + 23))
	done
'

test_expect_success 'a line longer than a whole block can be is refused unread' '
	{ zeros 4000001 && echo; } >long.hex &&
	rejects bad-blk-length long.hex --chain bitcoin
'

test_done
