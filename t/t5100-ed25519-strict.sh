#!/bin/sh
# shellcheck disable=SC2034,SC2154 # the variables are used, and id set, in the test bodies
test_description='strict Ed25519: small-order and non-canonical points, S >= L, RFC 8032, in every tool that verifies'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-chain.sh
. "$TEST_DIRECTORY"/lib-peer.sh

# t5100/small-order: the eight points P with 8P = identity, as keys are
# written: y = 1 (order 1), y = p - 1 (order 2), y = 0 (order 4, both signs
# of x), and the two y of order 8 with both signs of x (y(2P) = 0 gives
# y^2 = -x^2, then x^2 = (1 +- sqrt(1 + d)) / d on the curve).
SO=$TEST_DIRECTORY/t5100/small-order
ID=0100000000000000000000000000000000000000000000000000000000000000
BASE=5866666666666666666666666666666666666666666666666666666666666666
ZERO32=0000000000000000000000000000000000000000000000000000000000000000
L=edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010
L1=eed3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010

# noncanonical: every encoding with y >= p = 2^255 - 19, with either sign bit
noncanonical() {
	ff=ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
	for lo in ed ee ef f0 f1 f2 f3 f4 f5 f6 f7 f8 f9 fa fb fc fd fe ff; do
		echo "$lo${ff}7f" && echo "$lo${ff}ff" || return 1
	done
}

secret_of() {
	sed 's/^key secret=\([0-9a-f]*\) .*/\1/' "$1"
}

test_expect_success 'RFC 8032 7.1: the key, the signature, and strict verify accepts' '
	while read -r sec pub msg sig; do
		test "$(test-ed25519 pub "$sec")" = "$pub" &&
		test "$(test-ed25519 sign "$sec" "$msg")" = "$sig" &&
		test-ed25519 verify "$pub" "$msg" "$sig" &&
		test-ed25519 key "$pub" &&
		test_expect_code 1 test-ed25519 verify "$pub" "${msg}00" "$sig" >out || return 1
	done <"$TEST_DIRECTORY/t5100/rfc8032"
'

test_expect_success 'each small-order key has a signature plain libcrypto accepts; strict verify refuses it' '
	test_line_count = 8 "$SO" && sort -u "$SO" >uniq && test_line_count = 8 uniq &&
	while read -r k; do
		test-ed25519 forge "$k" "any message" >f && sig=$(sed -n 1p f) && suf=$(sed -n 2p f) &&
		test "$(test-ed25519 plain "$k" "any message$suf" "$sig")" = ok &&
		test_expect_code 1 test-ed25519 verify "$k" "any message$suf" "$sig" >out &&
		test_expect_code 1 test-ed25519 key "$k" >out || return 1
	done <"$SO"
'

test_expect_success 'each small-order point as R is refused; R = identity is a second valid signature by a real key' '
	setup_keys && sec=$(secret_of a.key) &&
	while read -r r; do
		sig=$(test-ed25519 r-small "$sec" "$r" "a message") &&
		test_expect_code 1 test-ed25519 verify "$A" "a message" "$sig" >out || return 1
	done <"$SO" &&
	sig=$(test-ed25519 r-small "$sec" "$ID" "a message") &&
	test "$(test-ed25519 plain "$A" "a message" "$sig")" = ok &&
	test "$(test-ed25519 verify "$A" "a message" "$(test-ed25519 sign "$sec" "a message")")" = ok
'

test_expect_success 'non-canonical encodings (y >= p) are refused as key and as R' '
	noncanonical >nc && test_line_count = 38 nc && sec=$(secret_of a.key) &&
	while read -r k; do
		test_expect_code 1 test-ed25519 key "$k" >out &&
		test_expect_code 1 test-ed25519 verify "$k" "m" "$ID$ZERO32" >out &&
		sig=$(test-ed25519 r-small "$sec" "$k" "m") &&
		test_expect_code 1 test-ed25519 verify "$A" "m" "$sig" >out || return 1
	done <nc &&
	test-ed25519 key "$A" && test-ed25519 key "$B" && test-ed25519 key "$C"
'

test_expect_success 'each small-order key, with R of full order that plain libcrypto accepts: strict verify refuses the key' '
	while read -r k; do
		test-ed25519 forge-full "$k" "any message" >f && sig=$(sed -n 1p f) && suf=$(sed -n 2p f) &&
		r=$(echo "$sig" | cut -c1-64) && test "$(test-ed25519 key "$r")" = ok &&
		test "$(test-ed25519 plain "$k" "any message$suf" "$sig")" = ok &&
		test_expect_code 1 test-ed25519 verify "$k" "any message$suf" "$sig" >out || return 1
	done <"$SO"
'

test_expect_success 'encodings just below p, and x = 0 with a sign bit, are told apart exactly' '
	f29=ffffffffffffffffffffffffffffffffffffffffffffffffffffffffff &&
	for k in "edfe${f29}7f" "edfe${f29}ff" "ff00${f29}7f" "ecfe${f29}ff" "ec${f29}fe7f" \
	    "ec${f29}feff" "0100000000000000000000000000000000000000000000000000000000000081"; do
		test "$(test-ed25519 key "$k")" = ok || return 1
	done &&
	for k in "ec${f29}ff7f" "ec${f29}ffff" "$ID" "${ID%00}80"; do
		test_expect_code 1 test-ed25519 key "$k" >out || return 1
	done
'

test_expect_success 'S = L and S = L + 1 are refused (S = 0 and S = 1 are the same signatures reduced)' '
	test "$(test-ed25519 plain "$ID" "m" "$ID$ZERO32")" = ok &&
	test_expect_code 1 test-ed25519 verify "$ID" "m" "$ID$L" >out &&
	test "$(test-ed25519 plain "$ID" "m" "${BASE}01${ZERO32#00}")" = ok &&
	test_expect_code 1 test-ed25519 verify "$ID" "m" "$BASE$L1" >out &&
	sec=$(secret_of a.key) && sig=$(test-ed25519 sign "$sec" m) &&
	test-ed25519 verify "$A" m "$sig" &&
	test_expect_code 1 test-ed25519 verify "$A" m "$(test-consensus sig-add-l "$sig")" >out
'

test_expect_success 'plain libcrypto refuses S = L and S = L + 1 too (strict verify need not be alone in this)' '
	test_expect_code 1 test-ed25519 plain "$ID" "m" "$ID$L" >out &&
	test_expect_code 1 test-ed25519 plain "$ID" "m" "$BASE$L1" >out &&
	sec=$(secret_of a.key) && sig=$(test-ed25519 sign "$sec" m) &&
	test_expect_code 1 test-ed25519 plain "$A" m "$(test-consensus sig-add-l "$sig")" >out
'

# fund ACCOUNT: the next block, its coinbase paid to ACCOUNT (as mkblock
# would not write it), appended to c.blk
fund() {
	h=$(($(wc -l <c.blk))) &&
	mkblock -c c.blk --coinbase "$A" </dev/null >f.u &&
	sed "s/ tx=coinbase:$h:$A:/ tx=coinbase:$h:$1:/" f.u | test-reseal >f.r &&
	mine -q -j1 <f.r >f.m && chain-append -q c.blk <f.m
}

# forged_tx KEY: a transfer of 1000 from KEY to B with a signature plain
# libcrypto accepts, as a tx line in tx
forged_tx() {
	unsigned="transfer:$1:$B:1000:0:0:m" &&
	test-ed25519 forge "$1" "$id:$unsigned" >f && sig=$(sed -n 1p f) && suf=$(sed -n 2p f) &&
	test "$(test-ed25519 plain "$1" "$id:$unsigned$suf" "$sig")" = ok &&
	echo "tx $unsigned$suf:$sig" >tx
}

test_expect_success 'setup: a chain whose coinbases pay the eight small-order accounts' '
	make_genesis c.blk --maturity 1 &&
	while read -r k; do fund "$k" || return 1; done <"$SO" &&
	add_blocks c.blk a.key 1 &&
	verify c.blk >out && test_grep "^ok height=9 " out &&
	sed -n "s/.* chain=\([0-9a-f]*\)\$/\1/p" out >id && test_line_count = 1 id &&
	while read -r k; do
		balances -a "$k" c.blk >bal &&
		test_grep "spendable=5000000000 immature=0 nonce=0" bal || return 1
	done <"$SO"
'

test_expect_success 'a forged transfer from each: mkblock, verify and chain-append refuse it (bad-txns-sig)' '
	id=$(cat id) &&
	while read -r k; do
		forged_tx "$k" &&
		test_expect_code 1 mkblock -c c.blk --coinbase "$C" <tx 2>err &&
		test_grep "^mkblock: -:1: bad-txns-sig: " err &&
		mkblock -c c.blk --coinbase "$C" </dev/null >n.u &&
		sed "s/\$/ tx=$(sed "s/^tx //" tx)/" n.u | test-reseal >n.r && mine -q -j1 <n.r >n.m &&
		cp c.blk v.blk && cat n.m >>v.blk &&
		test_expect_code 1 verify v.blk 2>err &&
		test_grep "^verify: v.blk:11: bad-txns-sig: height 10: tx 1: " err &&
		cp c.blk app.blk &&
		test_expect_code 1 chain-append app.blk <n.m 2>err &&
		test_grep "^chain-append: -:1: bad-txns-sig: height 10: " err &&
		test_cmp c.blk app.blk || return 1
	done <"$SO"
'

test_expect_success 'a forged transfer with R of full order from each: mkblock and verify refuse it (bad-txns-sig)' '
	id=$(cat id) &&
	while read -r k; do
		unsigned="transfer:$k:$B:1000:0:0:m" &&
		test-ed25519 forge-full "$k" "$id:$unsigned" >f && sig=$(sed -n 1p f) && suf=$(sed -n 2p f) &&
		test "$(test-ed25519 plain "$k" "$id:$unsigned$suf" "$sig")" = ok &&
		echo "tx $unsigned$suf:$sig" >tx &&
		test_expect_code 1 mkblock -c c.blk --coinbase "$C" <tx 2>err &&
		test_grep "^mkblock: -:1: bad-txns-sig: " err &&
		mkblock -c c.blk --coinbase "$C" </dev/null >n.u &&
		sed "s/\$/ tx=$(sed "s/^tx //" tx)/" n.u | test-reseal >n.r && mine -q -j1 <n.r >n.m &&
		cp c.blk v.blk && cat n.m >>v.blk &&
		test_expect_code 1 verify v.blk 2>err &&
		test_grep "^verify: v.blk:11: bad-txns-sig: height 10: tx 1: " err || return 1
	done <"$SO"
'

test_expect_success 'a second signature of a real transfer (R = identity) is refused; the honest one is not' '
	sec=$(secret_of a.key) && id=$(cat id) &&
	mktx -k a.key -c c.blk "$B" 10 >honest &&
	unsigned=$(sed "s/^tx //; s/:[0-9a-f]*\$//" honest) &&
	sig=$(test-ed25519 r-small "$sec" "$ID" "$id:$unsigned") &&
	test "$(test-ed25519 plain "$A" "$id:$unsigned" "$sig")" = ok &&
	echo "tx $unsigned:$sig" >second &&
	test_expect_code 1 mkblock -c c.blk --coinbase "$C" <second 2>err &&
	test_grep "bad-txns-sig" err &&
	mkblock -c c.blk --coinbase "$C" <honest >n.u && test_grep "tx=$unsigned:" n.u
'

test_expect_success 'the node refuses the forged transfer (bad-txns-sig) and takes the honest one' '
	test_when_finished "node_stop n" &&
	id=$(cat id) && forged_tx "$ID" && node_init n c.blk && node_start n &&
	test_expect_code 1 peer-send "$(node_addr n)" <tx >out &&
	test_grep "^rejected tx bad-txns-sig " out &&
	peer-send "$(node_addr n)" <honest >out && test_grep "^accepted tx" out
'

test_expect_success 'mktx refuses to pay to a small-order or non-canonical account, and mkblock to mine to one' '
	cat "$SO" nc >weak &&
	while read -r k; do
		test_expect_code 1 mktx -k a.key -c c.blk "$k" 5 >out 2>err &&
		test_must_be_empty out && test_grep "^mktx: bad-account: " err &&
		test_expect_code 1 mkblock -c c.blk --coinbase "$k" </dev/null >out 2>err &&
		test_must_be_empty out && test_grep "^mkblock: bad-account: " err || return 1
	done <weak &&
	mktx -k a.key -c c.blk "$B" 5 >out && test_line_count = 1 out
'

test_expect_success 'mktx says which: not canonical (y >= p, or x = 0 with a sign bit), or of small order' '
	f30=ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff &&
	{ cat nc && echo "${ID%00}80" && echo "ec${f30}ff"; } >noncanon &&
	while read -r k; do
		test_expect_code 1 mktx -k a.key -c c.blk "$k" 5 2>err &&
		test_grep "^mktx: bad-account: .$k. is not a canonical key " err || return 1
	done <noncanon &&
	while read -r k; do
		test_expect_code 1 mktx -k a.key -c c.blk "$k" 5 2>err &&
		test_grep "^mktx: bad-account: .$k. is a point of small order: " err || return 1
	done <"$SO"
'

test_expect_success 'a key file whose account is a small-order point is refused' '
	printf "key secret=%s account=%s\n" "$(secret_of a.key)" "$ID" >so.key && chmod 600 so.key &&
	test_expect_code 1 mkkey -p so.key 2>err && test_grep bad-keyfile err &&
	test_expect_code 1 mktx -k so.key -c c.blk "$B" 5 2>err && test_grep bad-keyfile err
'

test_done
