#!/bin/sh
test_description='the state cache is no one else'\''s: mode 0600, its owner, a keyed MAC; an edit is ignored'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-chain.sh

MUCH=1000000000000000

# mode FILE: its permission string as ls -l prints it
mode() {
	stat -c %A "$1"
}

# forged [KEYFILE]: c.blk's cache, with B's balance set to MUCH and the
# checksum recomputed (with the key in KEYFILE: the MAC)
forged() {
	cp good.state c.blk.state && chmod 600 c.blk.state &&
	test-state forge c.blk.state "$B" $MUCH "$@"
}

# believes: balances (the cache) says B has MUCH; trusts_not: it says 1
believes() {
	balances -a "$B" c.blk >bal && test_grep "spendable=$MUCH " bal
}
trusts_not() {
	balances -a "$B" c.blk >bal &&
	echo "account=$B spendable=1 immature=0 nonce=0" >expect && test_cmp expect bal
}

test_expect_success 'setup: a chain that pays B 1, its cache, a block where B pays 5' '
	setup_keys && make_genesis c.blk --maturity 1 && add_blocks c.blk a.key 3 &&
	mktx -k a.key -c c.blk "$B" 1 >pay && add_block c.blk a.key <pay &&
	cp c.blk.state good.state && cp c.blk good.blk &&
	id=$(verify c.blk | sed "s/.* chain=//") &&
	mktx -k b.key -i "$id" -n 0 "$C" 5 >tx &&
	mkblock -c c.blk --coinbase "$C" </dev/null >n.u &&
	sed "s/\$/ tx=$(sed "s/^tx //" tx)/" n.u | test-reseal >n.r && mine -q -j1 <n.r >spend &&
	cp c.blk v.blk && cat spend >>v.blk &&
	test_expect_code 1 verify v.blk 2>err && test_grep "v.blk:6: bad-txns-balance: height 5: " err
'

test_expect_success 'the cache and its key are written with mode 0600' '
	test "$(mode c.blk.state)" = "-rw-------" &&
	test "$(mode c.blk.state.key)" = "-rw-------" &&
	test_line_count = 1 c.blk.state.key && test_grep "^[0-9a-f]\{64\}\$" c.blk.state.key
'

test_expect_success 'a hand edit with its SHA-256 recomputed is ignored by every tool' '
	forged && trusts_not &&
	test_expect_code 1 mkblock -c c.blk --coinbase "$C" <tx 2>err &&
	test_grep "^mkblock: -:1: bad-txns-balance: " err &&
	test_expect_code 1 chain-append c.blk <spend 2>err &&
	test_grep "^chain-append: -:1: bad-txns-balance: height 5: " err &&
	test_cmp good.blk c.blk && verify c.blk
'

test_expect_success 'the key is what the cache trusts: an edit MACed with it is believed' '
	forged c.blk.state.key && believes
'

test_expect_success 'a cache others may write, or a key others may read, is not trusted' '
	forged c.blk.state.key && chmod 620 c.blk.state && trusts_not &&
	forged c.blk.state.key && chmod 602 c.blk.state && trusts_not &&
	forged c.blk.state.key && chmod 640 c.blk.state.key && trusts_not &&
	chmod 600 c.blk.state.key && believes
'

test_expect_success 'a cache or a key that is a symbolic link is not trusted' '
	forged c.blk.state.key && mv c.blk.state other.state &&
	ln -s other.state c.blk.state && trusts_not && rm c.blk.state &&
	mv other.state c.blk.state && believes &&
	mv c.blk.state.key other.key && ln -s other.key c.blk.state.key && trusts_not &&
	rm c.blk.state.key && mv other.key c.blk.state.key && believes
'

test_expect_success ROOT 'a cache or a key owned by another user is not trusted' '
	forged c.blk.state.key && chown 65534 c.blk.state && trusts_not &&
	chown 0 c.blk.state && believes &&
	chown 65534 c.blk.state.key && trusts_not && chown 0 c.blk.state.key && believes
'

test_expect_success 'chain-append replaces a key that is not the user'\''s alone and rewrites the cache' '
	cp good.state c.blk.state && cp c.blk.state.key old.key && chmod 644 c.blk.state.key &&
	add_block c.blk a.key </dev/null &&
	test "$(mode c.blk.state.key)" = "-rw-------" && ! cmp -s old.key c.blk.state.key &&
	test "$(mode c.blk.state)" = "-rw-------" &&
	balances c.blk >cached && rm c.blk.state && balances c.blk >walked && test_cmp walked cached
'

# d.blk, named d_chain, maturity 2: blocks 1-4 pay A, block 4 carries A -> B 1,
# A -> C 2 and A -> D 3, block 5 pays C: A and C each have one pending
# coinbase (heights 4 and 5), B and D none
D=$(test-ed25519 pub 0000000000000000000000000000000000000000000000000000000000000007)
test_expect_success 'setup: a second chain with four accounts and two pending coinbases' '
	make_genesis d.blk --maturity 2 --name d_chain && add_blocks d.blk a.key 3 &&
	mktx -k a.key -c d.blk "$B" 1 >pay && mktx -k a.key -c d.blk -n 1 "$C" 2 >>pay &&
	mktx -k a.key -c d.blk -n 2 "$D" 3 >>pay &&
	add_block d.blk a.key <pay && add_block d.blk "$C" </dev/null &&
	cp d.blk.state dgood.state && rm d.blk.state && balances d.blk >walked &&
	test_line_count = 4 walked && test_grep "account=$C spendable=2 immature=5000000000 " walked &&
	cp dgood.state d.blk.state && balances d.blk >cached && test_cmp walked cached
'

# dforged EDIT...: d.blk's cache with the test-state edit EDIT (its MAC
# made with the key), then B's balance forged to MUCH in the same way;
# dtrusts_not: balances shows the walked figures; dbelieves: B has MUCH
dforged() {
	cp dgood.state d.blk.state && chmod 600 d.blk.state &&
	{ [ $# -eq 0 ] || test-state "$@" d.blk.state.key; } &&
	test-state forge d.blk.state "$B" $MUCH d.blk.state.key
}
dtrusts_not() {
	balances d.blk >bal && test_cmp walked bal
}
dbelieves() {
	balances -a "$B" d.blk >bal && test_grep "spendable=$MUCH " bal
}

test_expect_success 'a cache edited with its key is believed (what the next tests break)' '
	dforged && dbelieves
'

test_expect_success 'a cache of another format version or of another build'\''s layout is not trusted' '
	dforged bump d.blk.state version && dtrusts_not &&
	dforged bump d.blk.state layout && dtrusts_not
'

test_expect_success 'a cache whose chain name is not canonical text (a raw space or comma, a needless escape) is not trusted' '
	dforged swap d.blk.state d_chain "d chain" && dtrusts_not &&
	dforged swap d.blk.state d_chain "d,chain" && dtrusts_not &&
	dforged swap d.blk.state d_chain d%41ain && dtrusts_not &&
	dforged swap d.blk.state d_chain d%2Cain && dbelieves
'

test_expect_success 'a cache with a byte after its last record is not trusted' '
	dforged extend d.blk.state && dtrusts_not
'

test_expect_success 'a cache that says it checked one line more than its height is not trusted' '
	dforged bump d.blk.state lineno && dtrusts_not
'

# B and D have no pending coinbase: whichever of the two records is read
# last, a ledger that took both would hold one account for the two
test_expect_success 'a cache with an account twice is not trusted' '
	cp dgood.state d.blk.state && test-state rekey d.blk.state "$B" "$D" d.blk.state.key &&
	dtrusts_not &&
	cp dgood.state d.blk.state && test-state rekey d.blk.state "$D" "$B" d.blk.state.key &&
	dtrusts_not
'

test_expect_success 'a cache whose account has spendable + immature above UINT64_MAX is not trusted' '
	cp dgood.state d.blk.state && test-state forge d.blk.state "$A" 18446744073709551615 d.blk.state.key &&
	dtrusts_not
'

test_expect_success 'a cache whose immature balance is not the sum of its pending coinbases is not trusted' '
	dforged set d.blk.state "$C" immature 0 && dtrusts_not &&
	dforged set d.blk.state "$C" immature 4999999999 && dtrusts_not &&
	dforged set d.blk.state "$C" pending-amount 4999999999 && dtrusts_not &&
	dforged set d.blk.state "$C" pending-amount 0 && dtrusts_not
'

test_expect_success 'a cache with a pending coinbase above its height, or one that has matured, is not trusted' '
	dforged set d.blk.state "$C" pending-height 6 && dtrusts_not &&
	dforged set d.blk.state "$A" pending-height 3 && dtrusts_not
'

test_expect_success 'a cache cut short inside a field is not trusted, whatever follows it' '
	cp d.blk.state.key saved.key && test_when_finished "cp saved.key d.blk.state.key" &&
	cp dgood.state d.blk.state && test-state cut-name d.blk.state d.blk.state.key &&
	test "$(mode d.blk.state.key)" = "-rw-------" && dtrusts_not
'

test_expect_success 'a trusted cache is used: an edit before the tip that keeps size and time goes unseen' '
	add_block c.blk a.key </dev/null && touch -r c.blk stamp &&
	sed "2s/ version=1 / version=2 /" c.blk >e && ! cmp -s e c.blk &&
	test "$(wc -c <e)" = "$(wc -c <c.blk)" &&
	cat e >c.blk && touch -r stamp c.blk &&
	balances c.blk >out && test_expect_code 1 verify c.blk 2>err &&
	test_grep "c.blk:2: high-hash: height 1: " err &&
	rm c.blk.state && test_expect_code 1 balances c.blk 2>err && test_grep "c.blk:2: high-hash: height 1: " err
'

test_done
