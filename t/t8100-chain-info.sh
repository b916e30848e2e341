#!/bin/sh
test_description='chain-info: the summary figures, an account'"'"'s history, a txid, the plot'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-chain.sh

command -v python3 >/dev/null && test_set_prereq PYTHON
command -v xmllint >/dev/null && test_set_prereq XMLLINT

# sfield FILE NAME: the value of a summary line "NAME  value..."
sfield() {
	sed -n "s/^$2  *//p" "$1"
}

# shellcheck disable=SC2034 # used in the test bodies
T0=1700000000

# The chain: retarget every 5 blocks, times chosen so that the intervals
# are 600 600 300 900 600 300 2100 (mean 771.4, median 600, the last five
# 840), a transfer a->b with fee 10 in block 3 and a data record in block 4.
test_expect_success 'setup: seven blocks at chosen times' '
	setup_keys &&
	make_genesis c.blk --retarget 5 --maturity 1 &&
	for dt in 600 1200; do
		add_block c.blk "$A" --time $((T0 + dt)) </dev/null || return 1
	done &&
	mktx -k a.key -c c.blk -f 10 -m "rent" "$B" 1000 >txs &&
	add_block c.blk "$C" --time $((T0 + 1500)) <txs &&
	echo "tx data:audit" >d && add_block c.blk "$A" --time $((T0 + 2400)) <d &&
	for dt in 3000 3300 5400; do
		add_block c.blk "$A" --time $((T0 + dt)) </dev/null || return 1
	done &&
	verify c.blk >v && test_grep "^ok height=7 " v
'

test_expect_success 'height, tip, work and counts are verify'"'"'s' '
	chain-info c.blk >s &&
	test "$(sfield s height)" = 7 &&
	test "$(sfield s tip)" = "$(field "$(cat v)" hash)" &&
	sfield s work >w && test_grep " (hex $(field "$(cat v)" work))\$" w &&
	test "$(sfield s chain)" = "$(field "$(cat v)" chain)" &&
	test "$(sfield s txs)" = "$(field "$(cat v)" txs): 7 coinbase, 1 transfer, 1 data"
'

test_expect_success 'time, median time past, bits and difficulty of the tip' '
	chain-info c.blk >s &&
	test_grep "^time         $((T0 + 5400)) (2023-11-14 23:43:20 UTC)\$" s &&
	test_grep "^mtp          $((T0 + 2400)) " s &&
	tail -n 1 c.blk | inspect >tip &&
	test "$(sfield s bits)" = "$(sed -n "s/^  bits  *//p" tip)" &&
	test "$(sfield s difficulty)" = "$(sed -n "s/^  difficulty  *//p" tip)"
'

test_expect_success 'block intervals: mean, median, the last retarget period' '
	chain-info c.blk >s &&
	test "$(sfield s interval)" = "mean 771.4 s, median 600.0 s, last 5 blocks 840.0 s (spacing 600 s)"
'

test_expect_success PYTHON 'the hashrate is the work of the blocks over the time they took' '
	chain-info --json c.blk >j &&
	inspect --json c.blk >blocks &&
	python3 - <<-\EOF
	import json
	b = [json.loads(l) for l in open("blocks")]
	s = json.load(open("j"))
	work = sum(int(x["work"], 16) for x in b[1:])
	want = work / (b[-1]["time"] - b[0]["time"])
	assert s["hashrate_blocks"] == 7, s
	assert abs(s["hashrate"] - want) < 1e-9 * want, (s["hashrate"], want)
	EOF
'

test_expect_success PYTHON 'supply: what the ledger holds, and the subsidies scheduled' '
	chain-info --json c.blk >j &&
	balances --json c.blk >bal &&
	python3 - <<-\EOF
	import json
	s = json.load(open("j"))
	held = sum(int(a["spendable"]) + int(a["immature"]) for a in map(json.loads, open("bal")))
	assert s["supply"] == str(held) == str(7 * 5000000000), (s["supply"], held)
	assert s["supply_scheduled"] == str(7 * 5000000000), s
	assert (s["txs"], s["coinbases"], s["transfers"], s["data"]) == (10, 7, 1, 1), s
	EOF
'

test_expect_success 'the next retarget: when, and its bits, as the rule gives them when the pace holds' '
	chain-info c.blk >s &&
	test_grep "^retarget     in 3 blocks, at height 10, bits [0-9a-f]\{8\} predicted\$" s &&
	want=$(sed -n "s/.*bits \([0-9a-f]*\) predicted/\1/p" s) &&
	cp c.blk d.blk &&
	BLOCKUTILS_NOW=$((T0 + 9000)) add_block d.blk "$A" --time $((T0 + 6600)) </dev/null &&
	BLOCKUTILS_NOW=$((T0 + 9000)) add_block d.blk "$A" --time $((T0 + 7800)) </dev/null &&
	BLOCKUTILS_NOW=$((T0 + 9000)) chain-info d.blk >s9 &&
	test_grep "^retarget     in 1 blocks, at height 10, bits $want predicted\$" s9 &&
	BLOCKUTILS_NOW=$((T0 + 9000)) mkblock -c d.blk --coinbase "$A" </dev/null >n10 &&
	test "$(field "$(cat n10)" bits)" = "$want" &&
	test "$want" != "$(sfield s bits)"
'

test_expect_success 'Bitcoin: the bits of height 201600 predicted from 199584..201599' '
	f="$TEST_DIRECTORY/t3000/mainnet-headers-199584-203700.hex" &&
	head -n 2016 "$f" >w &&
	chain-info --chain bitcoin --from 199584 w >s &&
	test_grep "^height       201599\$" s &&
	sed -n 2017p "$f" | inspect >h201600 &&
	bits=$(sed -n "s/^  bits  *//p" h201600) &&
	test_grep "^retarget     in 1 blocks, at height 201600, bits $bits predicted\$" s &&
	test_grep "^supply       [0-9]* scheduled\$" s
'

test_expect_success 'Bitcoin headers from genesis: difficulty 1, work, scheduled supply' '
	chain-info --chain bitcoin "$TEST_DIRECTORY/t3000/mainnet-headers-0-4100.hex" >s &&
	test "$(sfield s height)" = 4100 &&
	test "$(sfield s difficulty)" = 1 &&
	test "$(sfield s supply)" = "$((4101 * 5000000000)) scheduled" &&
	test "$(sfield s chain)" = 000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f
'

test_expect_success '--account: every coinbase and transfer in and out, then the balance' '
	chain-info --account a.key c.blk >ha &&
	test "$(grep -c "^coinbase " ha)" = 6 &&
	test_grep "^coinbase height=1 txid=[0-9a-f]\{64\} amount=5000000000\$" ha &&
	test_grep "^out height=3 txid=[0-9a-f]\{64\} to=$B amount=1000 fee=10 nonce=0 memo=rent\$" ha &&
	tail -n 1 ha | sed "s/^balance //" >bal &&
	balances -a a.key c.blk >expect && test_cmp expect bal &&
	chain-info --account "$B" c.blk >hb &&
	test_grep "^in height=3 txid=[0-9a-f]\{64\} from=$A amount=1000 fee=10 nonce=0 memo=rent\$" hb &&
	test_line_count = 2 hb &&
	chain-info --account "$C" c.blk >hc &&
	test_grep "^coinbase height=3 txid=[0-9a-f]\{64\} amount=5000000010\$" hc
'

test_expect_success PYTHON '--account --json: one object an entry' '
	chain-info --json --account a.key c.blk >j &&
	python3 - <<-\EOF
	import json
	r = [json.loads(l) for l in open("j")]
	assert [x["type"] for x in r] == ["coinbase"] * 2 + ["out"] + ["coinbase"] * 4 + ["balance"], r
	assert r[2]["amount"] == "1000" and r[2]["fee"] == "10" and r[2]["memo"] == "rent", r[2]
	EOF
'

test_expect_success '--txid: the block, height and index of a transaction, and the transaction' '
	chain-info --account a.key c.blk >ha &&
	id=$(sed -n "s/^out height=3 txid=\([0-9a-f]*\) .*/\1/p" ha) &&
	chain-info --txid "$id" c.blk >t &&
	sed -n 4p c.blk >b3 &&
	test_grep "^txid=$id height=3 block=$(field "$(cat b3)" hash) index=1\$" t &&
	test_grep "^  transfer txid $id\$" t &&
	test_grep "^      memo        \"rent\"\$" t &&
	test_expect_code 1 chain-info --txid "$(printf "%064d" 7)" c.blk 2>err &&
	test_grep "not-in-chain: txid 0\{63\}7 is in no block" err
'

test_expect_success PYTHON '--plot: a well-formed SVG, one point a block, two charts' '
	chain-info --plot p.svg c.blk >s &&
	python3 - <<-\EOF
	import xml.etree.ElementTree as ET
	root = ET.parse("p.svg").getroot()
	ns = "{http://www.w3.org/2000/svg}"
	assert root.tag == ns + "svg", root.tag
	lines = root.findall(".//" + ns + "polyline")
	assert len(lines) == 2, lines
	pts = [len(l.get("points").split()) for l in lines]
	assert pts == [8, 7], pts
	EOF
'

test_expect_success XMLLINT '--plot of 4101 Bitcoin headers: xmllint takes it, 1000 points a chart' '
	chain-info --chain bitcoin --plot b.svg "$TEST_DIRECTORY/t3000/mainnet-headers-0-4100.hex" >s &&
	xmllint --noout b.svg &&
	test "$(grep -c "<polyline" b.svg)" = 2 &&
	sed -n "s/.*points=\"\([^\"]*\)\".*/\1/p" b.svg | sed -n 1p | tr " " "\n" >pts &&
	test_line_count = 1000 pts
'

test_expect_success 'usage errors say what is wrong' '
	test_expect_code 2 chain-info --account a.key --txid "$(printf "%064d" 7)" c.blk 2>err &&
	test_grep "exclude each other" err &&
	test_expect_code 2 chain-info --from 5 c.blk 2>err && test_grep "needs --chain" err &&
	test_expect_code 2 chain-info --txid abc c.blk 2>err && test_grep "not a txid" err &&
	test_expect_code 2 chain-info c.blk d.blk 2>err && test_grep "one chain file, not 2" err &&
	test_expect_code 1 chain-info </dev/null 2>err && test_grep "no blocks" err
'

test_expect_success 'a permissioned chain: signers, quorum, final height and final records' '
	mkdir pc && (
		cd pc && setup_keys &&
		make_genesis p.blk --retarget 0 --signer a.key --signer b.key --signer c.key &&
		for k in a b c; do
			mkblock -c p.blk --coinbase $k.key </dev/null | seal -k $k.key -c p.blk |
			mine -q -j1 | chain-append -q p.blk || return 1
		done &&
		chain-info p.blk >before &&
		test_grep "^final        height 0\$" before &&
		for k in a b c; do finalize -k $k.key -c p.blk 2 || return 1; done >sigs &&
		finalize -j -c p.blk sigs >fin.tx &&
		mkblock -c p.blk --coinbase a.key <fin.tx | seal -k a.key -c p.blk |
		mine -q -j1 | chain-append -q p.blk &&
		chain-info p.blk >s &&
		test_grep "^txs          6: 4 coinbase, 0 transfer, 0 data, 1 final\$" s &&
		test_grep "^signers      3, quorum 3\$" s &&
		test_grep "^final        height 2\$" s &&
		chain-info --json p.blk >j &&
		test_grep "\"data\":0,\"finals\":1,\"signers\":3,\"quorum\":3,\"final\":2}\$" j
	) &&
	chain-info c.blk >pow && test_grep ! "^signers\|^final" pow
'

test_done
