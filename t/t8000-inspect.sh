#!/bin/sh
test_description='inspect: every record decoded, computed beside stored, one JSON object a record'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-chain.sh

command -v python3 >/dev/null && test_set_prereq PYTHON
# shellcheck disable=SC2034 # used in the test bodies
MAX=18446744073709551615

# json_check FILE PYTHON-EXPRESSIONS: every line of FILE is one JSON object
# (strictly parsed); then each expression over r (the records) must hold.
json_check() {
	python3 - "$@" <<-\EOF
	import json, sys
	r = [json.loads(l, parse_constant=lambda c: sys.exit("bad constant " + c))
	     for l in open(sys.argv[1])]
	for e in sys.argv[2:]:
	    if not eval(e):
	        sys.exit("does not hold: " + e + "\n" + json.dumps(r, indent=1)[:3000])
	EOF
}

# txid TOKEN: double SHA-256 of the token, shown reversed, computed apart from the tools
txid() {
	python3 -c 'import hashlib, sys
print(hashlib.sha256(hashlib.sha256(sys.argv[1].encode()).digest()).digest()[::-1].hex())' "$1"
}

test_expect_success 'setup: a chain paying the largest amount, a transfer with a memo, data' '
	setup_keys &&
	make_genesis c.blk --maturity 1 --subsidy $MAX &&
	add_block c.blk "$A" </dev/null &&
	mktx -k a.key -c c.blk -m "rent, march	üñ" "$B" 1000 >txs &&
	printf "tx data:sha%%3A%%20ab\\n" >>txs &&
	add_block c.blk "$C" <txs &&
	tail -n 1 c.blk >last &&
	verify c.blk
'

test_expect_success 'a block: its fields, hash and merkle computed the same, each transaction' '
	inspect last >out &&
	test_grep "^block (last:1)\$" out &&
	test_grep "^  height      2\$" out &&
	test_grep "^              [0-9a-f]\{64\} computed: the same\$" out &&
	grep -c "computed: the same" out >n &&
	echo 2 >expect && test_cmp expect n &&
	test_grep "^  bits        207fffff\$" out &&
	test_grep "^  target      7fffff0\{58\}\$" out &&
	test_grep "^  difficulty  4.656542374e-10\$" out &&
	test_grep "^  work        2 (hex 2)\$" out &&
	test_grep "^  txs         3\$" out &&
	test_grep "^  tx 1        transfer txid [0-9a-f]\{64\}\$" out &&
	test_grep "^    amount      1000\$" out &&
	test_grep "^    memo        \"rent, march\\\\tüñ\"\$" out &&
	test_grep "^    data        \"sha: ab\"\$" out &&
	test_grep -v DIFFERS out
'

test_expect_success PYTHON 'the txids inspect shows are the double SHA-256 of the tokens' '
	tok=$(sed -n "s/^tx //p" txs | sed -n 1p) &&
	id=$(txid "$tok") &&
	inspect last >out &&
	test_grep "^  tx 1        transfer txid $id\$" out
'

test_expect_success PYTHON '--json: one object, amounts as exact strings, text unescaped and in hex' '
	inspect --json c.blk >j &&
	test_line_count = 3 j &&
	json_check j "[x[\"type\"] for x in r] == [\"block\"] * 3" \
		"r[1][\"txs\"][0][\"amount\"] == \"$MAX\"" \
		"r[2][\"txs\"][1][\"amount\"] == \"1000\"" \
		"r[2][\"txs\"][1][\"memo\"] == \"rent, march\\tüñ\"" \
		"bytes.fromhex(r[2][\"txs\"][1][\"memo_hex\"]).decode() == \"rent, march\\tüñ\"" \
		"r[2][\"txs\"][2][\"data\"] == \"sha: ab\"" \
		"r[0][\"txs\"][0][\"kind\"] == \"params\" and r[0][\"txs\"][0][\"subsidy\"] == \"$MAX\"" \
		"all(x[\"hash_ok\"] and x[\"merkle_ok\"] for x in r)" \
		"r[2][\"difficulty\"] == 4.6565423739069247e-10" \
		"r[2][\"height\"] == 2 and r[2][\"file\"] == \"c.blk\" and r[2][\"line\"] == 3"
'

test_expect_success PYTHON 'a byte that is not UTF-8: U+FFFD in the string, exact in hex' '
	printf "data:a%%00\\377b\\n" >bin &&
	inspect --json bin >j &&
	json_check j "r[0][\"tx\"][\"data\"] == \"a\\x00\\ufffdb\"" \
		"r[0][\"tx\"][\"data_hex\"] == \"6100ff62\"" &&
	inspect bin >out &&
	test_grep "^      data        \"a\\\\x00\\\\xffb\"\$" out
'

test_expect_success 'a changed time: the hash differs, the merkle root does not; exit 1' '
	sed "s/ time=[0-9]* / time=1 /" last >t &&
	test_expect_code 1 inspect t >out &&
	grep "computed:" out >verdicts &&
	sed -n 1p verdicts >h && sed -n 2p verdicts >m &&
	test_grep "computed: DIFFERS" h && test_grep "computed: the same" m
'

test_expect_success PYTHON 'a changed amount: the merkle root differs, the hash does not' '
	sed "s/:1000:0:0:/:9000:0:0:/" last >t &&
	test_expect_code 1 inspect --json t >j &&
	json_check j "r[0][\"hash_ok\"] and not r[0][\"merkle_ok\"]" \
		"r[0][\"merkle\"] != r[0][\"merkle_computed\"]"
'

test_expect_success 'tx lines, tx= and bare tokens; a last line without newline; many files' '
	tok=$(sed -n "s/^tx //p" txs | sed -n 1p) &&
	printf "tx=%s\\n%s" "$tok" "$tok" >toks &&
	inspect txs toks >out &&
	test "$(grep -c "^  transfer txid" out)" = 3 &&
	test "$(grep -c "^  data txid" out)" = 1 &&
	test_grep "^tx (toks:2)\$" out
'

test_expect_success 'standard input when no file' '
	sed -n 2p c.blk | inspect >out &&
	test_grep "^block (-:1)\$" out
'

test_expect_success 'Bitcoin headers: hash, height from the parent, difficulty, work' '
	head -n 3 "$TEST_DIRECTORY/t3000/mainnet-headers-0-4100.hex" >h3 &&
	inspect h3 >out &&
	test_grep "^  hash        000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f\$" out &&
	test_grep "^  height      2\$" out &&
	test_grep "^  difficulty  1\$" out &&
	test_grep "^  work        4295032833 (hex 100010001)\$" out &&
	tail -n 1 h3 | inspect >one &&
	test_grep "^  height      unknown" one
'

test_expect_success 'a header file: the genesis block, then raw headers at their heights' '
	chain-headers c.blk >c.hdr &&
	inspect c.hdr >out &&
	test_grep "^header (c.hdr:3)\$" out &&
	test_grep "^  height      2\$" out &&
	test "$(grep -c "^  hash" out)" = 3
'

test_expect_success PYTHON 'a whole Bitcoin block: its txids and merkle root; Core'"'"'s difficulty' '
	inspect --json "$TEST_DIRECTORY/t3000/block-413567.hex.gz" >j &&
	python3 -c "print(0xffff / 0x058436 * 256 ** (0x1d - 0x18))" >want &&
	json_check j "r[0][\"type\"] == \"bitcoin-block\" and r[0][\"merkle_ok\"]" \
		"len(r[0][\"txids\"]) == 1557" \
		"abs(r[0][\"difficulty\"] - float(open(\"want\").read())) < 1e-3" \
		"r[0][\"hash\"] == \"0000000000000000025aff8be8a55df8f89c77296db6198f272d6577325d4069\"" &&
	zcat "$TEST_DIRECTORY/t3000/block-413567.hex.gz" >b &&
	python3 -c "import sys; s = open(\"b\").read(); c = \"0\" if s[200] != \"0\" else \"1\"; sys.stdout.write(s[:200] + c + s[201:])" >b2 &&
	test_expect_code 1 inspect --json b2 >j &&
	json_check j "not r[0][\"merkle_ok\"]"
'

test_expect_success PYTHON 'a proof: its checks, the txid and root computed; a broken one exits 1' '
	tok=$(sed -n "s/^tx //p" txs | sed -n 1p) &&
	prove c.blk "$(txid "$tok")" >p &&
	inspect p >out &&
	test_grep "^  check       ok" out &&
	test_grep "computed: the same" out &&
	test_grep "from the branch: the header.s merkle" out &&
	sed "s/ index=1 / index=0 /" p >bad &&
	test_expect_code 1 inspect --json bad >j &&
	json_check j "not r[0][\"ok\"] and r[0][\"reason\"] == \"bad-proof-index\""
'

test_expect_success PYTHON 'a line that is no record: named on stderr and as an error object; the rest decoded' '
	{ sed -n 2p c.blk && echo "nonsense here" && sed -n 3p c.blk; } >mixed &&
	test_expect_code 1 inspect --json mixed >j 2>err &&
	test_grep "^inspect: mixed:2: bad-syntax: not a record inspect knows" err &&
	json_check j "[x[\"type\"] for x in r] == [\"block\", \"error\", \"block\"]" \
		"r[1][\"line\"] == 2 and r[1][\"reason\"] == \"bad-syntax\""
'

test_expect_success 'a record with a bad field names the field' '
	sed "s/ bits=207fffff / bits=207FFFFF /" last >upper &&
	test_expect_code 1 inspect upper 2>err &&
	test_grep "^inspect: upper:1: bad-syntax: bits: not 8 lower-case hex digits" err
'

test_done
