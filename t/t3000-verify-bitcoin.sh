#!/bin/sh
test_description='verify --chain bitcoin: real mainnet headers, and any altered byte'

. ./test-lib.sh

D=$TEST_DIRECTORY/t3000

test_expect_success 'headers 0..4100 verify with the known tip and chainwork' '
	verify --chain bitcoin "$D/mainnet-headers-0-4100.hex" >out &&
	echo "ok height=4100 hash=00000000d55579d1311c2841fa900531f34df1d543ff52598f2d526c5550cec4 work=100510051005 txs=0 chain=000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f" >expect &&
	test_cmp expect out
'

test_expect_success 'the retarget boundaries 2016 and 4032 are clamped to 1d00ffff' '
	sed -n "2017p;4033p" "$D/mainnet-headers-0-4100.hex" | cut -c145-152 >bits &&
	printf "ffff001d\nffff001d\n" >expect && test_cmp expect bits &&
	# other bits at either boundary are refused, naming what the chain requires
	for h in 2016 4032; do
		head -n $((h + 1)) "$D/mainnet-headers-0-4100.hex" >c.hex &&
		sed "$((h + 1))s/ffff001d\(........\)\$/feff001d\1/" c.hex >t.hex &&
		! test_cmp c.hex t.hex &&
		test_must_fail verify --chain bitcoin t.hex 2>err &&
		test_grep "t.hex:$((h + 1)): bad-diffbits: height $h: bits 1d00fffe, but the chain requires 1d00ffff" err &&
		verify --chain bitcoin c.hex || return 1
	done &&
	# the first period took longer than two weeks: capped at powlimit, not eased
	t0=$(sed -n 1p "$D/mainnet-headers-0-4100.hex" | cut -c137-144) &&
	t1=$(sed -n 2016p "$D/mainnet-headers-0-4100.hex" | cut -c137-144) &&
	le() { echo $((0x$(echo "$1" | sed "s/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/"))); } &&
	test $(( $(le $t1) - $(le $t0) )) -gt 1209600 &&
	echo 1d00ffff >expect &&
	test-consensus retarget 1d00ffff 2016 600 1d00ffff $(le $t0) $(le $t1) >actual &&
	test_cmp expect actual
'

test_expect_success 'the slice 199584..203700 verifies from a trusted start, with two real retargets' '
	verify --chain bitcoin --from 199584 "$D/mainnet-headers-199584-203700.hex" >out &&
	echo "ok height=203700 hash=0000000000000481ce3d564a4439eea934acdc3c9d51d0eb088b615cfadf3188 work=2d6cb1be467f5a071 txs=0 chain=000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f" >expect &&
	test_cmp expect out
'

test_expect_success 'the slice needs its start height: from genesis it is refused' '
	test_must_fail verify --chain bitcoin "$D/mainnet-headers-199584-203700.hex" 2>err &&
	test_grep ":1: bad-genesis: height 0: " err
'

test_expect_success 'a wrong retarget inside the slice is caught (bits at 201600)' '
	cp "$D/mainnet-headers-199584-203700.hex" s.hex &&
	sed -n 2017p s.hex | cut -c145-152 >bits && echo 087e051a >expect && test_cmp expect bits &&
	sed "2017s/087e051a/097e051a/" s.hex >t.hex &&
	test_must_fail verify --chain bitcoin --from 199584 t.hex 2>err &&
	test_grep "t.hex:2017: bad-diffbits: height 201600: " err
'

# alter HEXFILE LINE POS: one hex digit of that line changed
alter() {
	awk -v l="$2" -v p="$3" "NR == l { c = substr(\$0, p, 1); n = (c == \"0\") ? \"1\" : \"0\"; \$0 = substr(\$0, 1, p - 1) n substr(\$0, p + 1) } { print }" "$1"
}

test_expect_success 'altering any one byte fails at that line (a sample across the file)' '
	f="$D/mainnet-headers-0-4100.hex" &&
	for spot in 1:1 1:9 1:80 2:8 2:150 7:40 100:73 1000:145 2016:145 2017:145 2017:150 2500:1 3000:100 4032:144 4100:9 4100:157 4101:160 4101:1 4101:72; do
		line=${spot%%:*} pos=${spot##*:} &&
		alter "$f" "$line" "$pos" >bad.hex &&
		! cmp -s "$f" bad.hex &&
		test_must_fail verify --chain bitcoin bad.hex 2>err &&
		test_grep "^verify: bad.hex:$line: " err || return 1
	done
'

test_expect_success 'every byte of one header matters' '
	f="$D/mainnet-headers-199584-203700.hex" && pos=1 &&
	while [ $pos -le 160 ]; do
		alter "$f" 3000 $pos >bad.hex &&
		test_must_fail verify --chain bitcoin --from 199584 bad.hex 2>err &&
		test_grep "^verify: bad.hex:3000: " err || return 1
		pos=$((pos + 1))
	done
'

test_expect_success 'mine finds the genesis nonce 2083236893 from a zeroed nonce' '
	head -n 1 "$D/mainnet-headers-0-4100.hex" >genesis &&
	sed "s/........\$/00000000/" genesis >zeroed &&
	mine -q --start 2083000000 <zeroed >found &&
	test_cmp genesis found &&
	mine -q -j1 --start 2083236000 <zeroed >found1 && test_cmp genesis found1
'

test_expect_success 'the genesis block file holds the genesis header' '
	cut -c1-160 "$D/genesis-block.hex" >h &&
	head -n 1 "$D/mainnet-headers-0-4100.hex" >expect && test_cmp expect h &&
	verify --chain bitcoin "$D/genesis-block.hex" >out &&
	test_grep "^ok height=0 hash=000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f " out &&
	verify --chain bitcoin h >out &&
	test_grep "^ok height=0 hash=000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f " out
'

test_expect_success 'block 413567: the merkle root of its 1557 txids' '
	test_line_count = 1557 "$D/block-413567-txids.txt" &&
	test-consensus merkle "$D/block-413567-txids.txt" >root &&
	echo 64a50c649fc816baaa2effda230c39cacf1504e4e616a2863685b72aaa7dce05 >expect &&
	test_cmp expect root
'

test_expect_success 'a repeated last txid is the CVE-2012-2459 mutation' '
	head -n 3 "$D/block-413567-txids.txt" >three &&
	tail -n 1 three >>three &&
	test-consensus merkle three >root && test_grep " mutated\$" root
'

test_expect_success 'gzip files verify exactly as plain ones' '
	gzip -c "$D/mainnet-headers-0-4100.hex" >h.hex.gz &&
	verify --chain bitcoin "$D/mainnet-headers-0-4100.hex" >plain &&
	verify --chain bitcoin h.hex.gz >gz && test_cmp plain gz &&
	alter "$D/mainnet-headers-0-4100.hex" 77 20 | gzip -c >bad.hex.gz &&
	test_must_fail verify --chain bitcoin bad.hex.gz 2>err &&
	test_grep "^verify: bad.hex.gz:77: " err
'

test_expect_success 'a corrupt gzip stream is an error, not a short chain' '
	gzip -c "$D/mainnet-headers-0-4100.hex" >h.gz &&
	size=$(wc -c <h.gz) && head -c $((size / 2)) h.gz >half.gz &&
	test_must_fail verify --chain bitcoin half.gz 2>err && test_grep "half.gz" err &&
	# every header inflates, only the gzip trailer is missing: still cut short
	head -c $((size - 8)) h.gz >notrailer.gz &&
	test_expect_code 1 verify --chain bitcoin notrailer.gz >out 2>err &&
	test_grep "^verify: notrailer.gz:[0-9]*: bad-gzip: height [0-9]*: corrupt gzip data (cut short)\$" err &&
	test_must_be_empty out
'

test_expect_success 'usage errors exit 2; -h prints usage and exits 0' '
	test_expect_code 2 verify --chain litecoin x 2>err && test_grep "unknown chain" err &&
	test_expect_code 2 verify --from abc x &&
	test_expect_code 2 verify --bogus &&
	verify -h >out && test_grep "^usage: verify" out
'

test_expect_success 'a missing file is a system error (3)' '
	test_expect_code 3 verify nosuch.blk 2>err && test_grep "nosuch.blk" err
'

test_done
