#!/bin/sh
test_description='bounded lines: an endless line or a gzip bomb ends every tool at the limit, with exit 1'

. ./test-lib.sh
. "$TEST_DIRECTORY"/lib-chain.sh
. "$TEST_DIRECTORY"/lib-peer.sh

CAP=33554432
# what a reader may take past the limit: its read-ahead and the pipe's buffer
SLACK=1048576
FEED=268435456

# stops_at LIMIT CMD...: CMD, reading endless zeros on standard input,
# exits 1 with bad-blk-length having taken at most LIMIT + SLACK bytes
stops_at() {
	sa_max=$(($1 + SLACK)) && shift &&
	{ test-feed -n "$FEED" 2>fed | "$@" >out 2>err; echo $? >rc; } &&
	echo 1 >expect && test_cmp expect rc &&
	test_grep "bad-blk-length: .*line longer than" err &&
	sa_fed=$(sed -n "s/^fed //p" fed) &&
	echo "fed $sa_fed, at most $sa_max" && test "$sa_fed" -le "$sa_max"
}

# file_stops_at LIMIT CMD... : the same with the endless line in the file
# z (a FIFO) that CMD names
file_stops_at() {
	fa_max=$(($1 + SLACK)) && shift &&
	rm -f z && mkfifo z &&
	{ test-feed -n "$FEED" >z 2>fed & } && fa_pid=$! &&
	{ "$@" >out 2>err; echo $? >rc; } && wait "$fa_pid" &&
	echo 1 >expect && test_cmp expect rc &&
	test_grep "z:1: bad-blk-length: .*line longer than $CAP bytes" err &&
	fa_fed=$(sed -n "s/^fed //p" fed) &&
	echo "fed $fa_fed, at most $fa_max" && test "$fa_fed" -le "$fa_max"
}

test_expect_success 'setup: keys and a chain with maxblock 5000' '
	setup_keys && make_genesis c.blk --maxblock 5000 --maturity 1 &&
	add_blocks c.blk a.key 2
'

test_expect_success 'verify /dev/zero ends at once, exit 1 with the reason' '
	test_expect_code 1 timeout 20 verify /dev/zero 2>err &&
	test_grep "^verify: /dev/zero:1: bad-blk-length: height 0: line longer than $CAP bytes\$" err
'

for cmd in verify "verify --chain bitcoin" "mine -q" "mkblock --genesis -d"; do
	test_expect_success "an endless line on standard input: $cmd stops at the cap" "
		stops_at \$CAP $cmd
	"
done

test_expect_success 'an endless line on standard input: chain-append stops at the cap' '
	cp c.blk a.blk && stops_at $CAP chain-append a.blk && test_cmp c.blk a.blk
'

test_expect_success 'after the chain is known its maxblock is the limit' '
	stops_at 5000 mkblock -c c.blk --coinbase "$A" &&
	stops_at 5000 mkblock -c c.blk --coinbase "$A" -d &&
	stops_at 5000 mkblock -k -c c.blk --coinbase "$A" &&
	head -n 1 c.blk >g && cp g g.blk && tail -n +2 c.blk >rest &&
	{ { cat rest && test-feed -n $FEED 2>fed; } | chain-append g.blk >ack 2>err; echo $? >rc; } &&
	echo 1 >expect && test_cmp expect rc &&
	test_grep "^chain-append: -:3: bad-blk-length: height 3: line longer than 5000 bytes" err &&
	test_line_count = 2 ack && test_cmp c.blk g.blk &&
	test "$(sed -n "s/^fed //p" fed)" -le $((5000 + SLACK))
'

for cmd in "verify z" "balances z" "mkblock -c z --coinbase \$A" "mktx -k a.key -c z \$B 1"; do
	test_expect_success "an endless line in the chain file: $cmd stops at the cap" "
		file_stops_at \$CAP $cmd
	"
done

test_expect_success 'a gzip bomb (one line of 2 GiB zeros in 2 MiB) is inflated only to the cap' '
	head -c 67108864 /dev/zero | gzip -9 >m.gz &&
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32; do
		cat m.gz || return 1
	done >bomb.gz &&
	test_expect_code 1 timeout 20 verify bomb.gz 2>err &&
	test_grep "^verify: bomb.gz:1: bad-blk-length: height 0: line longer than $CAP bytes\$" err &&
	{ test-feed bomb.gz 2>fed | verify >out 2>err; echo $? >rc; } &&
	echo 1 >expect && test_cmp expect rc && test_grep "bad-blk-length" err &&
	size=$(wc -c <bomb.gz) && fed=$(sed -n "s/^fed //p" fed) &&
	echo "fed $fed of $size" && test "$fed" -le $SLACK && test "$fed" -lt $((size / 2))
'

test_expect_success 'corrupt or cut gzip data is invalid data (exit 1, bad-gzip), not an I/O error' '
	gzip -c c.blk >c.gz && size=$(wc -c <c.gz) &&
	head -c $((size - 10)) c.gz >cut.gz &&
	test_expect_code 1 verify cut.gz 2>err &&
	test_grep "^verify: cut.gz:[1-3]: bad-gzip: height [0-2]: corrupt gzip data (cut short)\$" err &&
	{ head -c 40 c.gz && printf "\377\377\377\377" && tail -c +45 c.gz; } >bad.gz &&
	test_expect_code 1 verify bad.gz 2>err && test_grep "^verify: bad.gz:1: bad-gzip: height 0: corrupt gzip data: " err &&
	test_expect_code 1 balances bad.gz 2>err && test_grep "bad-gzip" err &&
	seq 1000 | gzip -c >d.gz && head -c $(($(wc -c <d.gz) - 10)) d.gz >dcut.gz &&
	test_expect_code 1 mkblock -c c.blk --coinbase "$A" -d dcut.gz >out 2>err &&
	test_must_be_empty out && test_grep "^mkblock: dcut.gz:[0-9]*: bad-gzip: " err
'

test_expect_success 'a chain file whose last line has no newline is truncated, one byte of it too' '
	cp c.blk t.blk && printf x >>t.blk && test_expect_code 1 verify t.blk 2>err &&
	echo "verify: t.blk:4: truncated: height 3: last line has no newline (an interrupted write?)" >expect &&
	test_cmp expect err &&
	cp c.blk t.blk && printf "block height=3 ha" >>t.blk && test_expect_code 1 verify t.blk 2>err &&
	test_cmp expect err &&
	test_expect_code 1 balances t.blk 2>err &&
	test_grep "^balances: truncated: .t.blk.: its last line has no newline" err
'

test_expect_success 'a last line without a newline: maxblock - 1 bytes are truncated, maxblock bytes too long' '
	cp c.blk t.blk && printf "%04999d" 0 >>t.blk && test_expect_code 1 verify t.blk 2>err &&
	test_grep "^verify: t.blk:4: truncated: height 3: " err &&
	cp c.blk t.blk && printf "%05000d" 0 >>t.blk && test_expect_code 1 verify t.blk 2>err &&
	test_grep "^verify: t.blk:4: bad-blk-length: height 3: line longer than 5000 bytes\$" err &&
	printf "%05000d\n" 0 >>t.blk && test_expect_code 1 verify t.blk 2>err &&
	test_grep "^verify: t.blk:4: bad-blk-length: height 3: line longer than 5000 bytes\$" err
'

test_expect_success 'typed input: a last line of one byte without a newline is a line' '
	printf x >one && mkblock -c c.blk --coinbase "$A" -d one >out &&
	test_grep " tx=data:x\$" out &&
	printf "x\ny" >two && mkblock -c c.blk --coinbase "$A" -d two >out &&
	test_grep " tx=data:x tx=data:y\$" out
'

test_expect_success 'a plain file that starts with gzip'\''s first magic byte only is read as text' '
	printf "\037abc\n" >m && test_expect_code 1 verify m 2>err &&
	echo "verify: m:1: bad-syntax: height 0: record: not a block line" >expect && test_cmp expect err &&
	{ printf "\037" && cat c.blk; } >m && test_expect_code 1 verify m 2>err && test_cmp expect err
'

test_expect_success 'gzip: a second member cut in its header is cut short; two whole members are one stream' '
	gzip -c c.blk >c.gz && head -c 5 c.gz >part && cat c.gz part >cut.gz &&
	test_expect_code 1 verify cut.gz 2>err &&
	test_grep "^verify: cut.gz:4: bad-gzip: height 3: corrupt gzip data (cut short)\$" err &&
	head -n 2 c.blk | gzip -c >one.gz && tail -n +3 c.blk | gzip -c >two.gz &&
	cat one.gz two.gz >both.gz && verify both.gz >out && verify c.blk >expect && test_cmp expect out
'

test_expect_success 'a last tx line without a newline ends mkblock -k (it used to loop for ever)' '
	printf "tx data:x" >part &&
	(ulimit -f 64 && timeout 60 mkblock -k -c c.blk --coinbase "$A" part >out 2>err) &&
	test_must_be_empty err && test_line_count = 1 out && grep -q "data:x" out &&
	printf "tx zz" >part &&
	(ulimit -f 64 && timeout 60 mkblock -k -c c.blk --coinbase "$A" part >out 2>err) &&
	test_grep "^mkblock: part:1: bad-syntax: skipped: " err && test_line_count = 1 err &&
	test_line_count = 1 out && ! grep -q "zz" out
'

test_expect_success 'peer-send stops reading an endless line at the cap' '
	test_when_finished "node_stop n" &&
	node_init n c.blk && node_start n &&
	stops_at $CAP peer-send "$(node_addr n)" &&
	test_grep "^peer-send: -:1: bad-blk-length: line longer than $CAP bytes" err
'

test_expect_success 'the reader closed twice leaves standard input open' '
	printf "a\nb\n" >two &&
	test-lines close-twice <two >out &&
	printf "stdin open\nlines 2\n" >expect &&
	test_cmp expect out
'

test_done
