#!/bin/sh
test_description='the JSON writer: strings escaped once and right, nesting closed, numbers as documented'

. ./test-lib.sh

command -v python3 >/dev/null && test_set_prereq PYTHON

# decodes HEX EXPECTED: the string test-json writes for the bytes HEX reads back as EXPECTED (a python literal)
decodes() {
	test-json "$1" >j &&
	python3 - "$2" <<-\EOF
	import ast, json, sys
	line = open("j").read()
	assert line.endswith("}\n") and line.count("\n") == 1, line
	r = json.loads(line, parse_constant=lambda c: sys.exit("bad constant " + c))
	want = ast.literal_eval(sys.argv[1])
	assert r["s"] == want, (r["s"], want)
	assert all(c >= " " for c in line[:-1]), "a raw control character in " + repr(line)
	EOF
}

test_expect_success PYTHON 'plain text, quotes, backslashes and controls round-trip' '
	decodes "" "\"\"" &&
	decodes 616263 "\"abc\"" &&
	decodes 225c2f "\"\\\"\\\\/\"" &&
	decodes 0a090d0001 "\"\\n\\t\\r\\x00\\x01\"" &&
	decodes 1f7f20 "\"\\x1f\\x7f \""
'

test_expect_success PYTHON 'UTF-8 passes through; what is not UTF-8 becomes U+FFFD, byte by byte' '
	decodes c3bce282acf09d849e "\"\\u00fc\\u20ac\\U0001d11e\"" &&
	decodes ff "\"\\ufffd\"" &&
	decodes c0af "\"\\ufffd\\ufffd\"" &&
	decodes eda080 "\"\\ufffd\\ufffd\\ufffd\"" &&
	decodes 61e282 "\"a\\ufffd\\ufffd\"" &&
	decodes f4908080 "\"\\ufffd\\ufffd\\ufffd\\ufffd\""
'

test_expect_success PYTHON 'numbers: u64 as a string of digits, u32 exact, not-finite as null; nesting closed' '
	test-json 00 41 >j &&
	test_line_count = 2 j &&
	python3 - <<-\EOF
	import json
	for line in open("j"):
	    r = json.loads(line)
	    assert r["u64"] == "18446744073709551615" and r["n"] == 4294967295, r
	    assert r["i"] == -5 and r["d"] == 0.1 and r["inf"] is None and r["t"] is True, r
	    assert r["list"] == [1, "two", None, {"deep": [[]]}], r
	    assert bytes.fromhex(r["hex"]).hex() == r["hex"], r
	EOF
'

test_done
