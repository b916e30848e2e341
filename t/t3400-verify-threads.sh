#!/bin/sh
test_description='verify on every core: the same summary and the same first error as the one-thread walk'

. ./test-lib.sh

# Every kernel this CPU runs, and thread counts from one to more than batches in flight.
kernels=$(test-grind -l 2>/dev/null | sed -n 's/ yes$//p')
threads='1 2 3 8'

# same FILE WALK-OPTIONS [VERIFY-OPTIONS...]: verify, with every kernel and
# thread count, prints and exits exactly as test-walk (chain_walk, one
# thread, lines one by one) does for FILE.
same() {
	sm_file=$1 sm_wopts=$2
	shift 2
	# shellcheck disable=SC2086
	{ test-walk $sm_wopts "$sm_file" >expect.out 2>expect.err; echo $? >expect.rc; } &&
	for sm_k in $kernels; do
		for sm_j in $threads; do
			{ BLOCKUTILS_KERNEL=$sm_k verify -j"$sm_j" "$@" "$sm_file" >out 2>err
			echo $? >rc; } &&
			test_cmp expect.out out && test_cmp expect.err err && test_cmp expect.rc rc ||
			{ echo "kernel $sm_k, $sm_j threads, $sm_file" >&2; return 1; }
		done
	done
}

# first_error_at FILE LINE: the expected error names FILE:LINE.
first_error_at() {
	test_grep "^verify: $1:$2: " expect.err
}

test_expect_success 'setup: a 6,000-block chain, its header file, a chain with transfers' '
	test-mkchain 6000 >c.blk && test_line_count = 6001 c.blk &&
	chain-headers c.blk >h.hdr && test_line_count = 6001 h.hdr &&
	test-mkchain -T 5 130 >t.blk &&
	cp "$TEST_DIRECTORY/t3000/mainnet-headers-0-4100.hex" main.hex
'

test_expect_success 'valid files: the same summary with every kernel and thread count' '
	same main.hex "-c bitcoin" --chain bitcoin && test_grep "^ok height=4100 " out &&
	same h.hdr -H -H && test_grep "^ok height=6000 " out &&
	same c.blk "" && test_grep "^ok height=6000 " out &&
	same t.blk "" && test_grep " txs=281 " out
'

# Lines at batch edges and near the first lines (whose median time past
# reaches back across batches), for every kind of damage.
lines='2 3 12 13 257 258 1025 1026 1027 4097 5999 6001'

test_expect_success 'a raw header with a byte that is not hex: parsed by a worker, reported in order' '
	for k in $lines; do
		sed "${k}s/^\(.\{20\}\)./\1g/" h.hdr >bad.hdr &&
		same bad.hdr -H -H && first_error_at bad.hdr $k &&
		test_grep "bad-syntax" expect.err || return 1
	done
'

test_expect_success 'a changed nonce, a line twice' '
	for k in $lines; do
		sed "${k}s/........\$/ffffffff/" h.hdr >nonce.hdr &&
		same nonce.hdr -H -H &&
		sed "${k}p" h.hdr >twice.hdr &&
		same twice.hdr -H -H && first_error_at twice.hdr $((k + 1)) || return 1
	done
'

test_expect_success 'a missing line, two lines swapped: the first line off the chain is named' '
	for k in $lines; do
		test $k = 6001 && continue
		sed "${k}d" h.hdr >gone.hdr &&
		same gone.hdr -H -H && first_error_at gone.hdr $k &&
		test_grep bad-prevblk expect.err &&
		sed "${k}{h;d};$((k + 1))G" h.hdr >swap.hdr &&
		same swap.hdr -H -H && first_error_at swap.hdr $k || return 1
	done
'

test_expect_success 'Bitcoin bits: off at a retarget height (the checker), and between (a worker)' '
	for k in 2017 3000 4033; do
		sed "${k}s/^\(.\{144\}\)../\1fe/" main.hex >bits.hex &&
		same bits.hex "-c bitcoin" --chain bitcoin && first_error_at bits.hex $k || return 1
	done
'

test_expect_success 'a rule the checker finds comes before a bad line after it in the same batch' '
	sed "300{h;d};301G;302s/^\(.\{5\}\)./\1x/" h.hdr >two.hdr &&
	same two.hdr -H -H && first_error_at two.hdr 300 && test_grep "bad-prevblk" expect.err &&
	sed "298{h;d};299G;300s/^\(.\{5\}\)./\1x/" h.hdr >two.hdr &&
	same two.hdr -H -H && first_error_at two.hdr 298 && test_grep "bad-prevblk" expect.err
'

test_expect_success 'the reader stops the walk in order: a cut last line, an empty line, a long line' '
	head -c -1 h.hdr >cut.hdr && same cut.hdr -H -H && first_error_at cut.hdr 6001 &&
	test_grep truncated expect.err &&
	sed "4000s/.*//" h.hdr >empty.hdr && same empty.hdr -H -H &&
	first_error_at empty.hdr 4000 &&
	{ head -n 2000 h.hdr && printf "%01000001d\n" 0 && tail -n +2001 h.hdr; } >long.hdr &&
	same long.hdr -H -H && first_error_at long.hdr 2001 && test_grep bad-blk-length expect.err
'

test_expect_success 'gzip, inflated on a thread of its own: the same lines, errors after them' '
	verify -H h.hdr >plain &&
	gzip -c h.hdr >h.hdr.gz && same h.hdr.gz -H -H && test_cmp plain out &&
	head -n 3000 h.hdr | gzip -c >m.gz && tail -n +3001 h.hdr | gzip -c >>m.gz &&
	same m.gz -H -H && test_cmp plain out &&
	size=$(wc -c <h.hdr.gz) && head -c $((size / 2)) h.hdr.gz >cut.gz &&
	same cut.gz -H -H && test_grep "corrupt gzip data" expect.err &&
	sed "5000s/^\(.\{7\}\)./\1z/" h.hdr | gzip -c >bad.gz &&
	same bad.gz -H -H && first_error_at bad.gz 5000
'

test_expect_success 'block lines: a bad merkle root; a bad link on the same line comes first' '
	sed "3000s/tx=coinbase:2999:/tx=coinbase:2998:/" c.blk >m.blk &&
	same m.blk "" && first_error_at m.blk 3000 && test_grep bad-merkle expect.err &&
	prev=$(sed -n "10s/.* prev=\([0-9a-f]*\) .*/\1/p" c.blk) &&
	sed "3000s/tx=coinbase:2999:/tx=coinbase:2998:/; 3000s/ prev=[0-9a-f]* / prev=$prev /" \
	    c.blk >m.blk &&
	same m.blk "" && first_error_at m.blk 3000 && test_grep bad-prevblk expect.err
'

# resign LINE SED-SCRIPT: t.blk with block line LINE edited, its merkle root and hash redone, mined.
resign() {
	sed -n "${1}p" t.blk | sed "$2" >one && test-reseal <one >one.r && mine -q -j1 <one.r >one.m &&
	{ head -n $(($1 - 1)) t.blk && cat one.m && tail -n +$(($1 + 1)) t.blk; } >bad.blk
}

test_expect_success 'transfers: a bad signature is found by any thread, reported in order' '
	resign 120 "s/:1:0:92::0/:1:0:92::1/; t; s/:1:0:92::./:1:0:92::0/" && same bad.blk "" &&
	first_error_at bad.blk 120 && test_grep "bad-txns-sig: height 119: tx 3: " expect.err
'

test_expect_success 'transfers: a nonce out of order before a bad signature is reported first' '
	resign 121 "s/\(tx=transfer:[^ ]*:96::[0-9a-f]*\) \(tx=transfer:[^ ]*:97::[0-9a-f]*\)/\2 \1/
	    s/:1:0:98::0/:1:0:98::1/; t; s/:1:0:98::./:1:0:98::0/" && same bad.blk "" &&
	first_error_at bad.blk 121 && test_grep "bad-txns-nonce: height 120: tx 2: " expect.err
'

test_expect_success 'whole Bitcoin blocks go through the checker, in order with headers' '
	cp "$TEST_DIRECTORY/t3300/regtest-chain.hex" r.hex &&
	same r.hex "-c regtest" --chain regtest && test_grep "^ok " out
'

test_expect_success !SANITIZED 'memory does not grow with the chain: 60,000 headers against 5,000' '
	test-mkchain 60000 >long.blk && chain-headers long.blk >long.hdr &&
	head -n 5001 long.hdr >short.hdr &&
	test-elapsed -r verify -q -H short.hdr >s && test-elapsed -r verify -q -H long.hdr >l &&
	read -r _ s_kb <s && read -r _ l_kb <l &&
	echo "peak RSS: $s_kb KiB on 5,000, $l_kb KiB on 60,000 headers" &&
	test "$l_kb" -lt $((s_kb + 4096))
'

test_expect_success 'threads and kernel: bounds and names' '
	test_expect_code 2 verify -j 0 h.hdr && test_expect_code 2 verify -j 257 h.hdr &&
	test_expect_code 2 env BLOCKUTILS_KERNEL=sha-17 verify h.hdr 2>err &&
	test_grep "BLOCKUTILS_KERNEL" err
'

test_done
