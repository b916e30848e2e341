#!/bin/sh
test_description='peer-listen: hostile peers lose their connection (and are banned where due)'

. ./test-lib.sh
. "$TEST_DIRECTORY/lib-peer.sh"

# hello_line PORT NONCE [WORK]: the hello of a raw TCP client (test-netcat)
# that says it listens on PORT, with work WORK (0)
hello_line() {
	printf "hello chain=%s height=0 work=%s port=%s nonce=00000000000000%02d agent=hostile\n" \
		"$(head -n 1 base.blk | sed "s/.* hash=\([0-9a-f]*\) .*/\1/")" "${3:-0}" "$1" "$2"
}

test_expect_success 'setup' '
	test-mkchain 3 >base.blk &&
	test-mkchain -c base.blk 2 >next.blk &&
	node_init a base.blk &&
	node_init b base.blk
'

honest_pair() {
	test_when_finished "node_stop a && node_stop b" &&
	node_start a --hello-timeout 1 &&
	node_start b --connect "$(node_addr a)" &&
	test_wait_until 10 "grep -q \"connected $(node_addr a)\" b/log"
}

test_expect_success 'an invalid block ends the connection and bans the peer' '
	honest_pair &&
	sed "s/ nonce=[0-9]* / nonce=7 /" next.blk | head -n 1 >bad.blk &&
	{ hello_line 4444 1 && cat bad.blk; } >hostile.in &&
	test-netcat "$(node_addr a)" <hostile.in >hostile.out &&
	test_grep "^reject block high-hash" hostile.out &&
	test_grep "ban 127.0.0.1:4444 " a/log &&
	test_grep "^ban addr=127.0.0.1:4444 until=[0-9]* reason=high-hash\$" a/bans &&
	hello_line 4444 2 >again.in &&
	test-netcat "$(node_addr a)" <again.in >again.out &&
	test_grep "disconnected .*: banned\|banned" a/log &&
	peer-send "$(node_addr a)" <next.blk >out &&
	node_wait_height b 5
'

test_expect_success 'an over-long line ends the connection before it is buffered' '
	honest_pair &&
	{ hello_line 4445 3 && head -c 2000000 /dev/zero | tr "\\0" x; } >long.in &&
	test-netcat "$(node_addr a)" <long.in >/dev/null &&
	test_wait_until 10 "grep -q \"ban 127.0.0.1:4445 .*line-too-long\" a/log"
'

test_expect_success 'a hello whose work is not canonical hex (a leading zero) bans the peer' '
	test_when_finished "node_stop a" &&
	node_start a && n=$(grep -c "s: bad-hello\$" a/log || :) &&
	hello_line 4448 6 0a >lead.in &&
	test-netcat "$(node_addr a)" <lead.in >lead.out &&
	test_wait_until 10 "[ \$(grep -c \"^peer-listen: ban 127.0.0.1:[0-9]* for [0-9]* s: bad-hello\\\$\" a/log) -gt $n ]"
'

test_expect_success 'random bytes end the connection' '
	honest_pair &&
	test_random_bytes 4096 >random.in &&
	printf "\\n" >>random.in &&
	test-netcat "$(node_addr a)" <random.in >/dev/null &&
	test_wait_until 10 "grep -q \"ban 127.0.0.1:[0-9]* .*\\(bad-message\\|no-hello\\|line-too-long\\)\" a/log"
'

test_expect_success 'a silent connection is closed after the hello timeout' '
	honest_pair &&
	test-netcat -w 5 "$(node_addr a)" </dev/null >silent.out &&
	test_grep "^hello " silent.out &&
	test_wait_until 10 "grep -q \"no hello in time\" a/log"
'

test_expect_success 'a flood of unknown block invs costs one getheaders' '
	honest_pair &&
	{
		hello_line 4447 5 &&
		i=0 &&
		while test $i -lt 2200
		do
			printf "inv block %064x\n" $i
			i=$((i + 1))
		done &&
		echo "inv"
	} >flood.in &&
	test-netcat "$(node_addr a)" <flood.in >flood.out &&
	test_grep "ban 127.0.0.1:4447 .*bad-inv" a/log &&
	grep "^getheaders " flood.out >asked &&
	test_line_count = 1 asked
'

test_expect_success 'a flood of tx invs ends the connection' '
	honest_pair &&
	{
		hello_line 4446 4 &&
		i=0 &&
		while test $i -lt 2200
		do
			printf "inv tx %064x\n" $i
			i=$((i + 1))
		done
	} >flood.in &&
	test-netcat "$(node_addr a)" <flood.in >/dev/null &&
	test_wait_until 10 "grep -q \"ban 127.0.0.1:4446 .*inv-flood\" a/log" &&
	test-mkchain -c a/chain.blk 1 >more.blk &&
	peer-send "$(node_addr a)" <more.blk >out &&
	node_wait_height b 6 &&
	test_cmp a/chain.blk b/chain.blk
'

test_done
