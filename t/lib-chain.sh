# lib-chain.sh: building test chains quickly; source after test-lib.sh

# The accounts of the fixture keys t3100/{a,b,c}.key.
A=7e95e60d35eb61502c537435d3d82484ced927bcf6956cf9c6926e4e582674ae
B=cfe22cf07e2cf1ea69dcf883fdfd0493ed68370642e9b352597ce606d6b9dbe1
C=c7e372127e1d530ef1cf4a09e7b66340ec6aff7eff7cf75285f788aba61da413

# setup_keys: copies of the fixture keys in the trash directory, mode 0600
# as mkkey makes them (git keeps no modes), checked against A, B and C.
setup_keys() {
	for k in a b c; do
		cp "$TEST_DIRECTORY/t3100/$k.key" "$k.key" && chmod 600 "$k.key" || return 1
	done
	test "$(mkkey -p a.key)" = "$A" && test "$(mkkey -p b.key)" = "$B" &&
	test "$(mkkey -p c.key)" = "$C"
}

# make_genesis CHAIN [mkblock options]: a mined genesis, appended to CHAIN
make_genesis() {
	mg_chain=$1
	shift
	mkblock --genesis --powlimit 207fffff "$@" >"$mg_chain.g" &&
	mine -q -j1 <"$mg_chain.g" >"$mg_chain.gm" &&
	chain-append -q "$mg_chain" <"$mg_chain.gm" &&
	rm -f "$mg_chain.g" "$mg_chain.gm"
}

# add_block CHAIN ACCOUNT [mkblock options] < txs: the next block, mined and appended
add_block() {
	ab_chain=$1 ab_to=$2
	shift 2
	mkblock -c "$ab_chain" --coinbase "$ab_to" "$@" >"$ab_chain.n" &&
	mine -q -j1 <"$ab_chain.n" >"$ab_chain.m" &&
	chain-append -q "$ab_chain" <"$ab_chain.m" &&
	rm -f "$ab_chain.n" "$ab_chain.m"
}

# add_blocks CHAIN ACCOUNT N: N empty blocks
add_blocks() {
	abs_i=0
	while [ "$abs_i" -lt "$3" ]; do
		add_block "$1" "$2" </dev/null || return 1
		abs_i=$((abs_i + 1))
	done
}

# field LINE NAME: the value of NAME= in a record
field() {
	printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1
}
