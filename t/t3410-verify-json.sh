#!/bin/sh
test_description='verify --json, balances --json, verify-proof --json: the results scripts read; the text as it was'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-chain.sh
. "$TEST_DIRECTORY"/lib-proof.sh

command -v python3 >/dev/null && test_set_prereq PYTHON

# json_is FILE PYTHON: the lines of FILE parsed strictly into r; PYTHON must hold
json_is() {
	python3 - "$1" "$2" <<-\EOF
	import json, sys
	r = [json.loads(l, parse_constant=lambda c: sys.exit("bad constant " + c))
	     for l in open(sys.argv[1])]
	if not eval(sys.argv[2]):
	    sys.exit("does not hold: " + sys.argv[2] + "\n" + json.dumps(r, indent=1))
	EOF
}

test_expect_success 'setup: a chain, a bad copy, an empty file, a header file and a proof' '
	setup_keys &&
	make_genesis c.blk --maturity 1 &&
	add_blocks c.blk "$A" 3 &&
	mktx -k a.key -c c.blk "$B" 700 >txs &&
	add_block c.blk "$A" <txs &&
	sed "3s/:5000000000:/:6000000000:/" c.blk >bad.blk &&
	: >empty.blk &&
	chain-headers c.blk >c.hdr &&
	prove c.blk "$(txid_of "$(sed -n "s/^tx //p" txs)")" >ok.proof &&
	sed "s/ index=1 / index=0 /" ok.proof >bad.proof
'

test_expect_success 'the text output is as it was' '
	verify c.blk >out &&
	test_grep "^ok height=4 hash=[0-9a-f]\{64\} work=a txs=6 chain=[0-9a-f]\{64\}\$" out &&
	test_line_count = 1 out
'

test_expect_success PYTHON 'verify --json: the summary, with the text'"'"'s values' '
	verify c.blk >text &&
	verify --json c.blk >j &&
	json_is j "len(r) == 1 and r[0][\"ok\"] is True and r[0][\"file\"] == \"c.blk\"" &&
	json_is j "r[0][\"height\"] == 4 and r[0][\"txs\"] == 6 and r[0][\"work\"] == \"a\"" &&
	json_is j "r[0][\"hash\"] == \"$(field "$(cat text)" hash)\"" &&
	json_is j "r[0][\"chain\"] == \"$(field "$(cat text)" chain)\""
'

test_expect_success PYTHON 'verify --json: each failure with file, line, height, reason, message' '
	test_expect_code 1 verify --json c.blk bad.blk empty.blk >j 2>err &&
	json_is j "[x[\"ok\"] for x in r] == [True, False, False]" &&
	json_is j "r[1] == {\"file\": \"bad.blk\", \"ok\": False, \"line\": 3, \"height\": 2, \"reason\": \"bad-merkle\", \"message\": \"merkle root does not match the transactions\"}" &&
	json_is j "r[2][\"reason\"] == \"no-blocks\" and r[2][\"line\"] is None and r[2][\"height\"] is None" &&
	test_grep "^verify: bad.blk:3: bad-merkle: height 2: merkle root does not match the transactions\$" err
'

test_expect_success PYTHON 'verify --json -q prints the failures only' '
	test_expect_code 1 verify --json -q c.blk bad.blk >j 2>/dev/null &&
	json_is j "len(r) == 1 and r[0][\"file\"] == \"bad.blk\""
'

test_expect_success PYTHON 'balances --json: every account, amounts as exact strings' '
	balances c.blk >text &&
	balances --json c.blk >j &&
	python3 - <<-\EOF
	import json
	t = [dict(w.split("=") for w in l.split()) for l in open("text")]
	j = [json.loads(l) for l in open("j")]
	assert len(t) == len(j) == 2, (t, j)
	for a, b in zip(t, j):
	    assert a == b, (a, b)
	    assert all(isinstance(b[k], str) for k in ("spendable", "immature", "nonce")), b
	EOF
	balances --json -a b.key c.blk >one &&
	json_is one "r == [{\"account\": \"$B\", \"spendable\": \"700\", \"immature\": \"0\", \"nonce\": \"0\"}]"
'

test_expect_success PYTHON 'verify-proof --json: the result of each proof, held or not' '
	verify-proof c.hdr ok.proof >text &&
	test_expect_code 1 verify-proof --json c.hdr ok.proof bad.proof >j 2>err &&
	json_is j "[x[\"ok\"] for x in r] == [True, False]" &&
	json_is j "r[0][\"height\"] == 4 and r[0][\"index\"] == 1 and r[0][\"confirmations\"] == 1" &&
	json_is j "r[0][\"txid\"] == \"$(field "$(cat text)" txid)\" and r[0][\"work\"] == \"$(field "$(cat text)" work)\"" &&
	json_is j "r[1][\"file\"] == \"bad.proof\" and r[1][\"line\"] == 1 and r[1][\"height\"] == 4" &&
	json_is j "r[1][\"reason\"] == \"bad-proof-index\" and \"index 1, not 0\" in r[1][\"message\"]" &&
	test_grep "^verify-proof: bad.proof:1: bad-proof-index: height 4: " err
'

test_done
