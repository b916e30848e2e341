#!/bin/sh
test_description='chain-append: checked, locked, durable appends; crashes and concurrent writers'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-chain.sh

test_expect_success 'setup: 40 mined blocks after a genesis, as lines to send' '
	make_genesis src.blk && add_blocks src.blk "$A" 40 &&
	head -n 1 src.blk >genesis && tail -n +2 src.blk >blocks &&
	test_line_count = 40 blocks
'

test_expect_success 'a genesis line starts a new file and its hash is printed' '
	chain-append new.blk <genesis >ack &&
	field "$(cat genesis)" hash >expect && test_cmp expect ack &&
	test_cmp genesis new.blk
'

test_expect_success 'blocks are appended, each acknowledged with its hash' '
	cp genesis c.blk && head -n 5 blocks >five &&
	chain-append c.blk <five >ack && test_line_count = 5 ack &&
	for h in $(cat ack); do test_grep " hash=$h " c.blk || return 1; done &&
	verify c.blk >out && test_grep "^ok height=5 " out
'

test_expect_success 'a block that does not extend the tip: exit 4, nothing written' '
	cp genesis c4.blk && sed -n 2p blocks >second &&
	test_expect_code 4 chain-append c4.blk <second 2>err &&
	test_grep "^chain-append: -:1: bad-prevblk: height 1: " err &&
	test_cmp genesis c4.blk
'

test_expect_success 'a rejected line stops the run; what came before stays' '
	cp genesis c5.blk && head -n 2 blocks >in && echo "block height=3 junk" >>in &&
	sed -n 3,4p blocks >>in &&
	test_expect_code 1 chain-append c5.blk <in >ack 2>err &&
	test_line_count = 2 ack && test_grep "^chain-append: -:3: bad-syntax" err &&
	test_line_count = 3 c5.blk
'

test_expect_success 'no file is created for a bad genesis, nor for a non-genesis block' '
	sed "s/ nonce=[0-9]* / nonce=1 /" genesis >badg &&
	test_must_fail chain-append none.blk <badg &&
	test_path_is_missing none.blk &&
	head -n 1 blocks >b1 && test_expect_code 4 chain-append none.blk <b1 &&
	test_path_is_missing none.blk
'

test_expect_success 'an unfinished last line (a crash mid-write) is cut away' '
	cp genesis p.blk && head -n 1 blocks >>p.blk &&
	sed -n 2p blocks | head -c 100 >>p.blk &&
	test_must_fail verify p.blk 2>err && test_grep ":3: truncated" err &&
	sed -n 2,3p blocks >in &&
	chain-append p.blk <in >ack 2>err &&
	test_grep "cut 100 bytes of an unfinished last line" err &&
	test_line_count = 2 ack && verify p.blk >out && test_grep "^ok height=3 " out
'

test_expect_success 'a torn tail is cut even when the line offered is refused' '
	cp genesis q.blk && head -n 1 blocks >>q.blk && cp q.blk whole &&
	sed -n 2p blocks | head -c 100 >>q.blk &&
	head -n 1 blocks >b1 && test_expect_code 4 chain-append q.blk <b1 2>err &&
	test_grep "cut 100 bytes of an unfinished last line" err &&
	test_grep "^chain-append: -:1: duplicate: height 1: " err &&
	test_cmp whole q.blk && verify q.blk
'

test_expect_success 'a gzip chain is read but never appended to' '
	gzip -c c.blk >c.blk.gz && verify c.blk.gz >gz && verify c.blk >plain && test_cmp plain gz &&
	sed -n 6p blocks >b6 && cp c.blk.gz before.gz &&
	test_expect_code 2 chain-append c.blk.gz <b6 2>err && test_grep gzip err &&
	cmp before.gz c.blk.gz
'

test_expect_success 'the state cache: rebuilt when missing, corrupt or stale' '
	cp genesis s.blk && head -n 3 blocks | chain-append -q s.blk &&
	test_path_is_file s.blk.state &&
	rm s.blk.state && sed -n 4p blocks | chain-append -q s.blk &&
	test_random_bytes 200 >s.blk.state && sed -n 5p blocks | chain-append -q s.blk &&
	sed -n 6p blocks >>s.blk && sed -n 7p blocks | chain-append -q s.blk &&
	verify s.blk >out && test_grep "^ok height=7 " out
'

test_expect_success 'an earlier line edited behind the cache is noticed' '
	cp s.blk e.blk && cp s.blk.state e.blk.state &&
	sed "3s/ nonce=[0-9]* / nonce=7 /" e.blk >e2 && cat e2 >e.blk &&
	sed -n 8p blocks >b8 && test_must_fail chain-append e.blk <b8 2>err &&
	test_grep "e.blk:3: " err
'

# kill_trial: send the rest of blocks one line at a time through a FIFO,
# each after the last was acknowledged; kill -9 the writer right after
# sending a random line, while that block is being checked and written.
kill_trial() {
	rm -f fifo && mkfifo fifo && : >ack &&
	{ chain-append k.blk <fifo >ack 2>/dev/null & } && pid=$! &&
	exec 3>fifo &&
	stop=$(test_random 4) && i=0 &&
	while read -r line; do
		printf "%s\n" "$line" >&3 && i=$((i + 1)) &&
		if [ $i -gt $stop ]; then kill -9 $pid; break; fi &&
		test_wait_until 10 "[ \$(wc -l <ack) -ge $i ]" || return 1
	done <rest
	exec 3>&-
	wait $pid 2>/dev/null
	return 0
}

test_expect_success 'kill -9 mid-append, many trials: a verifiable prefix, every ack kept' '
	cp genesis k.blk && sent=0 && trial=0 && torn=0 &&
	while [ $sent -lt 40 ] && [ $trial -lt 80 ]; do
		trial=$((trial + 1)) &&
		tail -n +$((sent + 1)) blocks >rest && kill_trial &&
		n=$(($(wc -l <k.blk) - 1)) &&
		if ! verify k.blk >/dev/null 2>err; then
			test_grep "truncated" err && torn=$((torn + 1)) &&
			n=$((n + 0))
		fi &&
		{ cat genesis && head -n $n blocks; } >expect &&
		head -n $((n + 1)) k.blk >got && test_cmp expect got &&
		for h in $(cat ack); do grep -q " hash=$h " got || return 1; done &&
		sent=$n || return 1
	done &&
	echo "trials=$trial torn=$torn" && test $trial -ge 10 &&
	tail -n +$((sent + 1)) blocks | chain-append -q k.blk &&
	test_cmp src.blk k.blk && verify k.blk
'

test_expect_success 'lines that wait are checked, written and fsynced as one group, then acknowledged' '
	test-mkchain 3000 >g.src && head -n 1 g.src >g.gen && tail -n +2 g.src >g.rest &&
	cp g.gen g.blk && chain-append g.blk <g.rest >ack && test_cmp g.src g.blk &&
	sed "s/^block height=[0-9]* hash=\([0-9a-f]*\) .*/\1/" g.rest >expect &&
	test_cmp expect ack &&
	sed -n "2,1000p" g.src >part && echo "block height=1000 junk" >>part &&
	cp g.gen p2.blk && test_expect_code 1 chain-append p2.blk <part >ack 2>err &&
	test_grep "^chain-append: -:1000: bad-syntax: height 1000: " err &&
	test_line_count = 999 ack && head -n 1000 g.src >expect && test_cmp expect p2.blk
'

# group_trial: the first 1000 blocks through a FIFO, each group acknowledged;
# then the other 1999 at once, and kill -9 when the file reaches a random
# size among them: in the middle of a group's write or before its fsync.
group_trial() {
	cp g.gen g.blk && rm -f f && mkfifo f && : >ack &&
	{ chain-append g.blk <f >ack 2>/dev/null & } && pid=$! &&
	exec 3>f &&
	head -n 1000 g.rest >&3 &&
	test_wait_until 30 "[ \$(wc -l <ack) -ge 1000 ]" &&
	s1=$(head -n 1001 g.src | wc -c) && s2=$(wc -c <g.src) &&
	at=$((s1 + $(test_random $((s2 - s1))))) &&
	{ test-killat -s "$at" $pid g.blk >/dev/null & } && kpid=$! &&
	{ tail -n +1001 g.rest >&3 2>/dev/null; exec 3>&-; } &&
	wait $kpid; killed=$?
	wait $pid 2>/dev/null
	return 0
}

# ack_torn ACKED N: a kill -9 while chain-append printed its group's hashes
# may leave the last one cut: what was printed of it is the start of the
# next hash, and that block is on disk too (printed means on disk)
ack_torn() {
	tail -c +$(($(wc -c <ack.full) + 1)) ack >ack.part &&
	if test -s ack.part
	then
		echo "# an acknowledgement cut at $(wc -c <ack.part) bytes" &&
		test "$(sed -n "$(($1 + 1))p" expect | cut -c "1-$(wc -c <ack.part)")" = "$(cat ack.part)" &&
		test $(($1 + 1)) -le $(($2 - 1))
	fi
}

test_expect_success 'kill -9 in the middle of a group: what was acknowledged is kept, the rest a prefix' '
	trial=0 cut=0 &&
	while [ $trial -lt 20 ] && [ $cut -lt 3 ]; do
		trial=$((trial + 1)) && group_trial &&
		n=$(wc -l <g.blk) && acked=$(wc -l <ack) &&
		head -n "$n" g.src >expect && head -n "$n" g.blk >got && test_cmp expect got &&
		head -n "$((acked + 1))" g.rest | sed "s/^block height=[0-9]* hash=\([0-9a-f]*\) .*/\1/" >expect &&
		head -n "$acked" ack >ack.full && head -n "$acked" expect >expect.full &&
		test_cmp expect.full ack.full && test "$acked" -ge 1000 && test "$acked" -le $((n - 1)) &&
		ack_torn "$acked" "$n" &&
		if [ $killed = 0 ] && [ "$(wc -c <g.blk)" -gt "$(head -n "$n" g.blk | wc -c)" -o \
		    $((n - 1)) -gt "$acked" ]; then
			cut=$((cut + 1))
		fi || return 1
	done &&
	echo "trials=$trial groups cut=$cut" && test $cut -ge 1 &&
	tail -n +$((n + 1)) g.src >more && chain-append -q g.blk <more 2>err &&
	test_cmp g.src g.blk && verify g.blk
'

test_expect_success 'acknowledgements that cannot be written stop chain-append after their group' '
	test-mkchain 10010 >big.src && head -n 1 big.src >big.blk && tail -n +2 big.src >big.rest &&
	test_expect_code 3 chain-append big.blk <big.rest >/dev/full 2>err &&
	test_grep "^chain-append: standard output: No space left on device\$" err &&
	test_line_count = 1 err && test_line_count = 10001 big.blk &&
	head -n 10001 big.src >expect && test_cmp expect big.blk &&
	tail -n +10001 big.rest | chain-append big.blk >ack && test_line_count = 10 ack &&
	test_cmp big.src big.blk
'

test_expect_success 'two writers at once never interleave lines' '
	cp genesis w.blk &&
	writer() {
		while read -r line; do
			printf "%s\n" "$line" | chain-append -q w.blk 2>/dev/null
			rc=$? && { [ $rc = 0 ] || [ $rc = 4 ]; } || return 1
		done <blocks
	} &&
	{ writer >w1.out & } && p1=$! && { writer >w2.out & } && p2=$! &&
	wait $p1 && wait $p2 &&
	test_cmp src.blk w.blk && verify w.blk
'

command -v flock >/dev/null 2>&1 && test_set_prereq FLOCK

test_expect_success FLOCK 'a writer waits for the lock another holds (flock), then appends' '
	cp genesis l.blk &&
	head -n 1 blocks >b1 &&
	(
		exec 9<l.blk && flock -x 9 &&
		{ chain-append -q l.blk <b1 & } &&
		sleep 1 && wc -l <l.blk >during && flock -u 9 && wait $!
	) &&
	echo 1 >expect && test_cmp expect during &&
	test_line_count = 2 l.blk && head -n 2 src.blk >expect && test_cmp expect l.blk
'

test -d /proc/self/fd && test_set_prereq PROCFD

test_expect_success FLOCK,PROCFD 'a chain file replaced while a writer waited for its lock: the writer appends to the new one' '
	cp genesis r.blk && cp genesis r.new && head -n 1 blocks >b1 &&
	(
		exec 9<r.blk && flock -x 9 &&
		{ chain-append -q r.blk <b1 & } && pid=$! &&
		test_wait_until 10 "ls -l /proc/$pid/fd | grep -q \"/r.blk\\\$\"" &&
		mv r.new r.blk && flock -u 9 && wait $pid &&
		cat <&9 >old
	) &&
	test_cmp genesis old &&
	head -n 2 src.blk >expect && test_cmp expect r.blk
'

test_expect_success 'usage' '
	test_expect_code 2 chain-append && test_expect_code 2 chain-append a b c &&
	chain-append -h >out && test_grep "^usage: chain-append" out
'

test_done
