#!/bin/sh
test_description='peer-listen: low-work forks cost a bounded amount of disk and memory, nothing lasting'

. ./test-lib.sh
. "$TEST_DIRECTORY/lib-peer.sh"

size() { wc -c <"$1" | tr -d ' '; }

# peak_kib PID: the peak resident set of a running process, in KiB
peak_kib() {
	sed -n "s/^VmHWM:[^0-9]*\([0-9]*\) kB$/\1/p" "/proc/$1/status"
}

hello_line() {
	printf "hello chain=%s height=0 work=0 port=%s nonce=00000000000000%02d agent=raw\n" \
		"$(head -n 1 main.blk | sed "s/.* hash=\([0-9a-f]*\) .*/\1/")" "$1" "$2"
}

test_expect_success 'setup: 900 blocks, and 800 blocks of 120 KB forking at the genesis' '
	test-mkchain 900 >main.blk &&
	head -n 1 main.blk >gen.blk &&
	head -c 120000 /dev/zero | tr "\\0" x >data.txt && echo >>data.txt &&
	test-mkchain -c gen.blk -d data.txt -x ee 800 >big.part &&
	test_line_count = 800 big.part &&
	test "$(size big.part)" -gt 96000000
'

test_expect_success 'a client pushing them fills the side store up to its bound, no further' '
	test_when_finished "node_stop v" &&
	node_init v main.blk &&
	node_start v &&
	test_expect_code 1 peer-send "$(node_addr v)" <big.part >out &&
	grep "^side block" out >stored &&
	grep "^rejected block side-full" out >full &&
	test_line_count -gt 400 stored &&
	test_line_count -le 1024 stored &&
	test $(($(wc -l <stored) + $(wc -l <full))) = 800 &&
	test "$(size v/side.blk)" -le $((64 * 1024 * 1024)) &&
	peak=$(peak_kib "$(cat v/pid)") &&
	echo "# peak RSS $peak KiB" >&2 &&
	test "$peak" -lt 40960 &&
	peer-send --ping "$(node_addr v)" >pong &&
	test_path_is_missing v/bans &&
	cmp main.blk v/chain.blk
'

test_expect_success 'after a restart the side store holds no more than its bound' '
	test_when_finished "node_stop v" &&
	node_start v &&
	test "$(size v/side.blk)" -le $((64 * 1024 * 1024)) &&
	peer-send --ping "$(node_addr v)" >pong &&
	cmp main.blk v/chain.blk
'

test_expect_success 'from a peer, low-work blocks are not stored at all, and cost it nothing' '
	test_when_finished "node_stop v" &&
	rm -rf v && node_init v main.blk &&
	node_start v &&
	{ hello_line 4600 1 && head -n 50 big.part && echo "ping 00000000000000aa"; } >peer.in &&
	test-netcat -u "pong 00000000000000aa" "$(node_addr v)" <peer.in >peer.out &&
	test_grep "^pong 00000000000000aa" peer.out &&
	test_must_be_empty v/side.blk &&
	test_path_is_missing v/bans &&
	cmp main.blk v/chain.blk
'

test_done
