#!/bin/sh
test_description='the block store alone (test-store): headers first, presync, best chain, invalid and mutated blocks'

. ./test-lib.sh

tip_hash() {
	tail -n 1 "$1" | sed 's/^block height=[0-9]* hash=\([0-9a-f]*\) .*/\1/'
}

# store_twice DIR: test-store DIR <cmd >out 2>log, and the same on a copy of
# DIR (made first) with its block lines parsed ahead by two helpers (-j 3, as
# peer-listen -j): the answers and the chain files must agree
store_twice() {
	rm -rf "$1.j3" && cp -R "$1" "$1.j3" &&
	test-store "$1" <cmd >out 2>log &&
	test-store -j 3 "$1.j3" <cmd >out.j3 2>log.j3 &&
	test_cmp out out.j3 &&
	test_cmp "$1/chain.blk" "$1.j3/chain.blk"
}

# as_peer P: headers messages of standard input as from peer P
as_peer() {
	sed "s/^headers /headers $1 /"
}

test_expect_success 'setup: a base chain and two branches' '
	test-mkchain 20 >base.blk &&
	test-mkchain -c base.blk -x aa 30 >l.part &&
	test-mkchain -c base.blk -x bb 5 >s.part &&
	cat base.blk l.part >l.blk &&
	cat base.blk s.part >s.blk
'

test_expect_success 'headers with more work are stored; the blocks to fetch are theirs, lowest first' '
	mkdir a && cp base.blk a/chain.blk &&
	{ test-headers -f 21 l.blk | as_peer 0 && echo best && echo "missing 5" && echo count; } >cmd &&
	test-store a <cmd >out &&
	cat >expect <<-EOF &&
	stored=30 best=50
	best 50 $(tip_hash l.blk)
	missing 21 22 23 24 25
	count 51
	EOF
	test_cmp expect out
'

test_expect_success 'headers are hashed alike by every kernel, and by the portable one when BLOCKUTILS_KERNEL names none' '
	for k in c nope; do
		rm -rf "a.$k" && mkdir "a.$k" && cp base.blk "a.$k/chain.blk" &&
		BLOCKUTILS_KERNEL=$k test-store "a.$k" <cmd >"out.$k" &&
		test_cmp out "out.$k" || return 1
	done
'

test_expect_success 'headers of a fork with less work are not stored' '
	mkdir b && cp l.blk b/chain.blk &&
	{ test-headers -f 21 s.blk | as_peer 0 && echo count && echo best; } >cmd &&
	test-store b >out <cmd &&
	cat >expect <<-EOF &&
	stored=0 best=-1
	count 51
	best 50 $(tip_hash l.blk)
	EOF
	test_cmp expect out
'

test_expect_success 'blocks in any order: the tip moves once the heavier branch is whole, the file cut in place' '
	rm -rf c && mkdir c && cp s.blk c/chain.blk &&
	ino=$(ls -i c/chain.blk | cut -d" " -f1) &&
	{
		test-headers -f 21 l.blk | as_peer 0 &&
		sed "s/^/block /" l.part | sed -n "1!G;h;\$p" &&
		echo tip
	} >cmd &&
	store_twice c &&
	head -n 1 out >first && echo "stored=30 best=50" >expect && test_cmp expect first &&
	sed -n "2,30p" out | sort -u >mid && echo side >expect && test_cmp expect mid &&
	sed -n 31p out >last && echo accepted >expect && test_cmp expect last &&
	echo "tip 50 $(tip_hash l.blk)" >expect && tail -n 1 out >got && test_cmp expect got &&
	test_cmp l.blk c/chain.blk && verify -q c/chain.blk &&
	test "$(ls -i c/chain.blk | cut -d" " -f1)" = "$ino" &&
	test_grep "reorg depth=5 fork=20 height=50" log
'

test_expect_success 'a long fork with less work at first: presync, then the same headers again are stored' '
	test-mkchain -c base.blk -x cc 2500 >s2.part &&
	test-mkchain -c base.blk -x dd 3000 >l2.part &&
	cat base.blk s2.part >s2.blk && cat base.blk l2.part >l2.blk &&
	rm -rf d && mkdir d && cp s2.blk d/chain.blk &&
	test-headers -f 21 l2.blk | as_peer 3 >h2 &&
	test_line_count = 2 h2 &&
	{ cat h2 && echo count && cat h2 && echo best; } >cmd &&
	test-store d >out <cmd &&
	f=$(tip_hash base.blk) &&
	c2020=$(sed -n 2021p l2.blk | sed "s/.* hash=\([0-9a-f]*\) .*/\1/") &&
	cat >expect <<-EOF &&
	stored=0 best=-1 ask=$c2020
	stored=0 best=-1 ask=$f
	count 2521
	stored=1004 best=1024 ask=$c2020
	stored=1996 best=3020
	best 3020 $(tip_hash l2.blk)
	EOF
	test_cmp expect out
'

test_expect_success 'presync gives up when the headers sent again differ' '
	test-mkchain -c base.blk -x ee 3000 >other.part &&
	cat base.blk other.part >other.blk &&
	rm -rf e && mkdir e && cp s2.blk e/chain.blk &&
	test-headers -f 21 other.blk | as_peer 1 >ho &&
	{ cat h2 | sed "s/^headers 3 /headers 1 /" && cat ho && echo count; } >cmd &&
	test-store e >out <cmd 2>log &&
	test_grep "do not match; given up" log &&
	tail -n 1 out >got && echo "count 2521" >expect && test_cmp expect got
'

test_expect_success 'an invalid block marks itself and its descendants; the best header falls back' '
	test-mkchain -c base.blk -x ff -i 4 10 >bad.part &&
	cat base.blk bad.part >bad.blk &&
	rm -rf f && mkdir f && cp base.blk f/chain.blk &&
	{
		test-headers -f 21 bad.blk | as_peer 0 &&
		sed "s/^/block /" bad.part &&
		echo best && echo tip &&
		test-headers -f 26 bad.blk | as_peer 1
	} >cmd &&
	store_twice f &&
	sed -n "2,4p" out | sort -u >got && echo accepted >expect && test_cmp expect got &&
	sed -n 5p out >got && echo "invalid bad-cb-amount" >expect && test_cmp expect got &&
	sed -n 6p out >got && echo "invalid bad-cb-amount punish" >expect && test_cmp expect got &&
	sed -n "7,12p" out | sort -u >got && echo "invalid duplicate-invalid" >expect && test_cmp expect got &&
	sed -n 13p out >got && echo "best 23 $(sed -n 24p bad.blk | sed "s/.* hash=\([0-9a-f]*\) .*/\1/")" >expect &&
	test_cmp expect got &&
	tail -n 1 out >got && echo "stored=0 best=-1 invalid=bad-prevblk" >expect && test_cmp expect got
'

test_expect_success 'a block whose transactions do not match its header leaves the header good' '
	rm -rf g && mkdir g && cp base.blk g/chain.blk &&
	sed -n 1p l.part >one &&
	sed "s/tx=coinbase:21:/tx=coinbase:21:/; s/:aa\$/:ab/" one >mutated &&
	! cmp -s one mutated &&
	{ sed "s/^/block /" mutated && sed "s/^/block /" one && echo tip; } >cmd &&
	store_twice g &&
	cat >expect <<-EOF &&
	invalid bad-merkle punish
	accepted
	tip 21 $(tip_hash one)
	EOF
	test_cmp expect out
'

test_expect_success 'a block ahead of the clock is not yet acceptable, and not invalid' '
	t=$(tail -n 1 base.blk | sed "s/.* time=\([0-9]*\) .*/\1/") &&
	BLOCKUTILS_NOW=1700003000 test-mkchain -c base.blk -s $((1700009000 - t)) -x 11 1 >future.blk &&
	rm -rf h && mkdir h && cp base.blk h/chain.blk &&
	sed "s/^/block /" future.blk >cmd && echo count >>cmd &&
	test-store h >out <cmd &&
	printf "later time-too-new\ncount 21\n" >expect && test_cmp expect out &&
	sed "s/^/block /" future.blk >cmd &&
	BLOCKUTILS_NOW=1700003000 test-store h >out <cmd &&
	echo accepted >expect && test_cmp expect out
'

test_expect_success 'a block whose parent is unknown is not stored' '
	rm -rf i && mkdir i && cp base.blk i/chain.blk &&
	sed -n 2p l.part | sed "s/^/block /" >cmd && echo count >>cmd &&
	store_twice i &&
	printf "orphan bad-prevblk\ncount 21\n" >expect && test_cmp expect out
'

test_expect_success 'helpers parse the lines ahead: a line that does not parse is judged in its place' '
	rm -rf j && mkdir j && cp base.blk j/chain.blk &&
	{
		sed -n 1p l.part | sed "s/^/block /" &&
		echo "block block height=x" &&
		sed -n 2p l.part | sed "s/ hash=/ hash=0/; s/^/block /" &&
		sed -n "2,3p" l.part | sed "s/^/block /" && echo tip
	} >cmd &&
	store_twice j &&
	cat >expect <<-EOF &&
	accepted
	invalid bad-syntax punish
	invalid bad-syntax punish
	accepted
	accepted
	tip 23 $(sed -n 3p l.part | sed "s/.* hash=\([0-9a-f]*\) .*/\1/")
	EOF
	test_cmp expect out
'

test_done
