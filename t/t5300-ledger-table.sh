#!/bin/sh
test_description='the ledger: its table grows before it fills, a rollback deletes what came after the mark and keeps every older account reachable, the coinbase queue survives its growth'

. ./test-lib.sh

# k BYTE N: a key whose first 8 bytes are BYTE (so its slot is BYTE modulo
# the table size, on either byte order) and whose last bytes are N
k() {
	printf "%02x%02x%02x%02x%02x%02x%02x%02x%048x\n" $1 $1 $1 $1 $1 $1 $1 $1 $2
}

# thirty accounts in slots 1-30 and W in the last slot of the first table
# (64), committed; after the mark X (W's slot taken: it wraps to slot 0)
# and Z, which grows the table to 128: X is moved first, to its slot, and
# W lands behind it. Rolling back deletes X: W must be shifted into its slot.
# shifted_back BYTE: that, with W and X starting with BYTE
shifted_back() {
	W=$(k $1 1) && X=$(k $1 2) && Z=$(k 80 3) &&
	{
		i=1 && while [ $i -le 30 ]; do
			echo "cb 0 $(k $i 0) $i" && i=$((i + 1)) || return 1
		done &&
		echo "cb 0 $W 1000" && echo commit && echo count &&
		echo mark && echo "cb 1 $X 7" && echo "cb 1 $Z 9" && echo count &&
		echo rollback && echo count && echo "get $W" && echo "get $X" &&
		echo "get $Z" && echo "mature 1" && echo "get $W" && echo "get $(k 30 0)" &&
		echo "get $X"
	} >cmds &&
	test-ledger 1 <cmds >out &&
	cat >expect <<-EOF &&
	count 31
	count 33
	count 31
	$W balance=0 immature=1000 nonce=0
	$X none
	$Z none
	$W balance=1000 immature=0 nonce=0
	$(k 30 0) balance=30 immature=0 nonce=0
	$X none
	EOF
	test_cmp expect out
}

test_expect_success 'rollback across the end of the table: the account wrapped behind the deleted one is found' '
	shifted_back 255
'

test_expect_success 'rollback: an account right behind the deleted one, in the deleted slot'\''s home, is found' '
	shifted_back 63
'

test_expect_success 'a rollback undoes every change after the mark, the first one too' '
	A=$(k 5 1) B=$(k 6 2) C=$(k 7 3) &&
	printf "%s\n" "cb 0 $A 10" commit mark "cb 1 $B 20" "cb 1 $C 30" "cb 1 $A 5" \
	    rollback "get $A" "get $B" "get $C" count "mature 5" "get $A" "get $B" >cmds &&
	test-ledger 1 <cmds >out &&
	cat >expect <<-EOF &&
	$A balance=0 immature=10 nonce=0
	$B none
	$C none
	count 1
	$A balance=10 immature=0 nonce=0
	$B none
	EOF
	test_cmp expect out
'

test_expect_success 'the table grows before it fills: a 65th account is looked up and made' '
	i=0 && while [ $i -lt 64 ]; do
		echo "cb 0 $(k $i 0) 1" && i=$((i + 1)) || return 1
	done >cmds &&
	printf "%s\n" "get $(k 64 1)" "cb 0 $(k 64 1) 2" count "get $(k 64 1)" >>cmds &&
	timeout 20 test-ledger 1 <cmds >out &&
	cat >expect <<-EOF &&
	$(k 64 1) none
	count 65
	$(k 64 1) balance=0 immature=2 nonce=0
	EOF
	test_cmp expect out
'

# Ten coinbases mature and are committed: the queue ring starts at entry 10.
# Then 65 more: the 65th grows the ring, copying entries 10-73 (of a ring of
# 64, so entries 64-73 sit at the start of the old one); all must mature.
test_expect_success 'the coinbase queue grows after it wrapped: every pending coinbase matures' '
	i=0 && while [ $i -lt 10 ]; do
		echo "cb $i $(k 1 $i) $((i + 1))" && i=$((i + 1)) || return 1
	done >cmds &&
	printf "%s\n" "mature 109" commit >>cmds &&
	i=0 && while [ $i -lt 65 ]; do
		echo "cb $((110 + i)) $(k 2 $i) $((1000 + i))" && i=$((i + 1)) || return 1
	done >>cmds &&
	echo commit >>cmds && echo "mature 300" >>cmds &&
	i=0 && while [ $i -lt 10 ]; do
		echo "get $(k 1 $i)" && i=$((i + 1)) || return 1
	done >>cmds &&
	i=0 && while [ $i -lt 65 ]; do
		echo "get $(k 2 $i)" && i=$((i + 1)) || return 1
	done >>cmds &&
	timeout 20 test-ledger 100 <cmds >out &&
	i=0 && while [ $i -lt 10 ]; do
		echo "$(k 1 $i) balance=$((i + 1)) immature=0 nonce=0" && i=$((i + 1)) || return 1
	done >expect &&
	i=0 && while [ $i -lt 65 ]; do
		echo "$(k 2 $i) balance=$((1000 + i)) immature=0 nonce=0" && i=$((i + 1)) || return 1
	done >>expect &&
	test_cmp expect out
'

test_expect_success 'test-ledger refuses a bad command' '
	echo "get 12" >bad && test_expect_code 2 test-ledger 1 <bad 2>err &&
	test_grep "line 1: bad command" err
'

test_done
