# lib-proof.sh: computing what proofs claim, with sha256sum and xxd; source after test-lib.sh

# dsha_rev: SHA-256 twice of standard input, in display order (reversed)
dsha_rev() {
	sha256sum | cut -c1-64 | xxd -r -p | sha256sum | cut -c1-64 | fold -w2 | tac | tr -d '\n'
}

# txid_of TOKEN: a token's txid, computed apart from the tools
txid_of() {
	printf '%s' "$1" | dsha_rev
}

# pfield LINE NAME: the value of NAME= in a proof or result line
pfield() {
	printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# hex_work N: N blocks of work 2 each (bits 207fffff) in the tools' hex
hex_work() {
	printf '%x' $((2 * $1))
}
