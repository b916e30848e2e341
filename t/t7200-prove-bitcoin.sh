#!/bin/sh
# shellcheck disable=SC2034 # the variables are used in the test bodies
test_description='prove and verify-proof on Bitcoin: real mainnet blocks and headers, regtest segwit blocks, txid lists'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-proof.sh

D=$TEST_DIRECTORY/t3000
R=$TEST_DIRECTORY/t3300
MAINNET=000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f
GENESIS_TX=4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b

test_expect_success 'the genesis coinbase, proven from the whole block, checked against 4101 headers' '
	prove --chain bitcoin "$D/genesis-block.hex" $GENESIS_TX >p &&
	test_grep "^proof chain=$MAINNET height=0 header=$(head -n 1 "$D/mainnet-headers-0-4100.hex") txid=$GENESIS_TX index=0 branch= tx=01000000010000" p &&
	tx=$(pfield "$(cat p)" tx) && test "$(printf %s "$tx" | xxd -r -p | dsha_rev)" = $GENESIS_TX &&
	verify-proof --chain bitcoin "$D/mainnet-headers-0-4100.hex" p >out &&
	echo "ok height=0 txid=$GENESIS_TX index=0 confirmations=4101 work=100510051005 chain=$MAINNET" >expect &&
	test_cmp expect out
'

test_expect_success 'block 413567: every txid proven and checked against the block as a one-header slice' '
	prove --chain bitcoin --from 413567 "$D/block-413567.hex.gz" <"$D/block-413567-txids.txt" >proofs &&
	verify-proof --chain bitcoin --from 413567 "$D/block-413567.hex.gz" proofs >out &&
	test_line_count = 1557 out &&
	! grep -v " confirmations=1 " out &&
	sed -n 1000p proofs | pfield "$(cat)" branch | tr + "\n" >b && test_line_count = 11 b
'

test_expect_success 'a Bitcoin proof with a byte of its transaction changed (bad-proof-txid)' '
	prove --chain bitcoin "$D/genesis-block.hex" $GENESIS_TX >p &&
	sed "s/ac00000000\$/ac00000001/" p >bad && ! cmp -s p bad &&
	test_expect_code 1 verify-proof --chain bitcoin "$D/mainnet-headers-0-4100.hex" bad 2>err &&
	test_grep "^verify-proof: bad:1: bad-proof-txid: height 0: " err &&
	sed "s/ac00000000\$/ac000000/" p >bad &&
	test_expect_code 1 verify-proof --chain bitcoin "$D/mainnet-headers-0-4100.hex" bad 2>err &&
	test_grep "^verify-proof: bad:1: bad-syntax: height 0: tx 0: the data ends inside its lock time" err
'

test_expect_success 'segwit: the txid leaves the witness out, so the proof holds with any witness' '
	prove --chain regtest "$R/regtest-chain.hex" <"$R/regtest-1-txids.txt" >proofs &&
	test_line_count = 3 proofs &&
	verify-proof --chain regtest "$R/regtest-chain.hex" proofs >out && test_line_count = 3 out &&
	sed -n 2p proofs >p && tx=$(pfield "$(cat p)" tx) &&
	case $tx in 01000000000102e9b542c5*) ;; *) false ;; esac &&
	stripped=0100000002e9b542c5176808107ff1df906f46bb1f2583b16112b95ee5380665ba7fcfc0010000000000ffffffff80e68831516392fcd100d186b3c2c7b95c80b53c77e77c35ba03a66b429a2a1b0000000000ffffffff0280969800000000001976a914de4b231626ef508c9a74a8517e6783c0546d6b2888ac80969800000000001976a9146648a8cd4531e1ec47f35916de8e259237294d1e88ac00000000 &&
	test "$(printf %s $stripped | xxd -r -p | dsha_rev)" = "$(pfield "$(cat p)" txid)" &&
	sed "s/tx=.*/tx=$stripped/" p >s && verify-proof --chain regtest "$R/regtest-chain.hex" s >out &&
	test_grep "^ok height=1 .* index=1 confirmations=2 " out &&
	sed "s/3045022100f6a10b86/3045022100f6a10b87/" p >w && ! cmp -s p w &&
	verify-proof --chain regtest "$R/regtest-chain.hex" w >out && test_grep "^ok height=1 " out &&
	sed "s/80969800000000001976a914de4b/80969800000000011976a914de4b/" p >v && ! cmp -s p v &&
	test_expect_code 1 verify-proof --chain regtest "$R/regtest-chain.hex" v 2>err &&
	test_grep "bad-proof-txid" err
'

test_expect_success 'a Bitcoin proof against the headers of another network (bad-proof-chain)' '
	prove --chain regtest "$R/regtest-chain.hex" "$(sed -n 1p "$R/regtest-1-txids.txt")" >p &&
	{ cat "$D/genesis-block.hex" && sed -n 2,3p "$D/mainnet-headers-0-4100.hex"; } >m.hex &&
	test_expect_code 1 verify-proof --chain bitcoin m.hex p 2>err &&
	test_grep "^verify-proof: p:1: bad-proof-chain: height 1: " err
'

test_expect_success 'prove --txids: the merkle root of block 413567, and a branch' '
	prove --txids "$D/block-413567-txids.txt" >out &&
	echo "merkle root=64a50c649fc816baaa2effda230c39cacf1504e4e616a2863685b72aaa7dce05 txs=1557" >expect &&
	test_cmp expect out &&
	t=$(sed -n 1557p "$D/block-413567-txids.txt") &&
	prove --txids "$D/block-413567-txids.txt" "$t" >b &&
	test_grep "^branch txid=$t index=1556 branch=$t+[0-9a-f+]* root=64a50c649fc816baaa2effda230c39cacf1504e4e616a2863685b72aaa7dce05\$" b &&
	prove --chain bitcoin --from 413567 "$D/block-413567.hex.gz" "$t" >p &&
	test "$(pfield "$(cat b)" branch)" = "$(pfield "$(cat p)" branch)"
'

test_expect_success 'prove --txids refuses a repeated txid (CVE-2012-2459) and txids not in the list' '
	{ cat "$D/block-413567-txids.txt" && tail -n 1 "$D/block-413567-txids.txt"; } >mut &&
	test_expect_code 1 prove --txids mut 2>err && test_grep "bad-txns-duplicate: .*CVE-2012-2459" err &&
	{ head -n 2 "$D/block-413567-txids.txt" && head -n 1 "$D/block-413567-txids.txt"; } >dup &&
	test_expect_code 1 prove --txids dup 2>err && test_grep "bad-txns-duplicate: two txids are equal" err &&
	test_expect_code 1 prove --txids "$D/block-413567-txids.txt" $GENESIS_TX 2>err &&
	test_grep "not-in-chain" err &&
	echo xyz >bad && test_expect_code 1 prove --txids bad 2>err && test_grep "^prove: bad:1: bad-syntax: " err &&
	: >empty && test_expect_code 1 prove --txids empty 2>err && test_grep "no txids" err
'

test_expect_success 'a Bitcoin proof line cut short anywhere is refused' '
	prove --chain regtest --from 2000 "$R/regtest-2000.hex" "$(sed -n 2p "$R/regtest-2000-txids.txt")" >p &&
	len=$(($(wc -c <p) - 1)) && i=1 &&
	while [ $i -lt "$len" ]; do
		cut -c1-$i p >cut &&
		test_expect_code 1 verify-proof -q --chain regtest --from 2000 "$R/regtest-2000.hex" cut 2>/dev/null ||
		return 1
		i=$((i + 13))
	done
'

test_done
