# lib-btc.sh: raw Bitcoin transactions for tests, in hex; source after test-lib.sh

# varint N: Bitcoin's compact size of N (below 2^32), in hex
varint() {
	if [ "$1" -lt 253 ]; then
		printf '%02x' "$1"
	elif [ "$1" -le 65535 ]; then
		printf 'fd%02x%02x' $(($1 & 255)) $(($1 >> 8))
	else
		printf 'fe%02x%02x%02x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) \
		    $(($1 >> 16 & 255)) $(($1 >> 24))
	fi
}

# zeros N: N zero bytes in hex
zeros() {
	head -c $((2 * $1)) /dev/zero | tr '\0' '0'
}

# repeat HEXBYTE N: a byte N times
repeat() {
	head -c "$2" /dev/zero | tr '\0' 'x' | sed "s/x/$1/g"
}

# push_bytes HEX: a script element (compact size, bytes)
push_bytes() {
	printf '%s%s' "$(varint $((${#1} / 2)))" "$1"
}

# cb SCRIPTSIG [w]: a coinbase paying 50 coins to OP_TRUE. With w: a
# BIP141 commitment output (zeros, for test-btcblock -c to fill in) and
# the 32-byte witness reserved value.
cb() {
	if [ "${2:-}" = w ]; then
		printf '020000000001'
	else
		printf '02000000'
	fi
	printf '01%sffffffff%sffffffff' "$(zeros 32)" "$(push_bytes "$1")"
	if [ "${2:-}" = w ]; then
		printf '0200f2052a010000000151000000000000000026' &&
		printf '6a24aa21a9ed%s' "$(zeros 32)"
		printf '0120%s' "$(zeros 32)"
	else
		printf '0100f2052a010000000151'
	fi
	printf '00000000\n'
}

# tx1 PREVBYTE VALUE SCRIPT: spends output 0 of txid PREVBYTE x 32; one
# output of VALUE (16 hex, little-endian) to SCRIPT (hex)
tx1() {
	printf '0100000001%s0000000000ffffffff01%s%s00000000\n' "$(repeat "$1" 32)" "$2" \
	    "$(push_bytes "$3")"
}

# wtx1 PREVBYTE ITEM: the same with one output of 1 to OP_TRUE, and one
# witness item ITEM (hex) for its input
wtx1() {
	printf '01000000000101%s0000000000ffffffff0101000000000000000151' "$(repeat "$1" 32)"
	printf '01%s00000000\n' "$(push_bytes "$2")"
}

# replace_once FILE OLD NEW: FILE with the first OLD (a plain string) made NEW
replace_once() {
	awk -v old="$2" -v new="$3" '!done && (i = index($0, old)) {
		$0 = substr($0, 1, i - 1) new substr($0, i + length(old)); done = 1 } { print }' "$1"
}

# header_hash HEX: the display hash of a 160-hex header, by sha256sum and xxd
header_hash() {
	printf '%s' "$1" | cut -c1-160 | xxd -r -p | sha256sum | cut -c1-64 | xxd -r -p |
	    sha256sum | cut -c1-64 | fold -w2 | tac | tr -d '\n'
}
