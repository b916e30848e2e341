#!/bin/sh
test_description='mine on a terminal: the target, expected hashes, time spent and an eta; Ctrl-C ends the line'

. ./test-lib.sh

command -v script >/dev/null && test_set_prereq SCRIPT

# sigint_caught PID: the process has a handler for SIGINT (bit 2 of SigCgt)
sigint_caught() {
	mask=$(sed -n "s/^SigCgt:[[:space:]]*//p" "/proc/$1/status" 2>/dev/null) &&
	test -n "$mask" && test $((0x$mask & 2)) = 2
}

# shellcheck disable=SC2034 # used in the test bodies
ESC=$(printf '\033')
# shellcheck disable=SC2034
CR=$(printf '\r')

test_expect_success 'setup: a block that takes minutes, one that takes nothing' '
	mkblock --genesis --powlimit 1d00ffff --bits 1b00ffff >hard &&
	mkblock --genesis --powlimit 207fffff >easy
'

test_expect_success SCRIPT 'an easy block: the target and the expected hashes, no progress line left open' '
	script -qfec "mine -j1 easy >mined" ts >/dev/null 2>&1 &&
	test_grep "^mine: target 7fffff0\{58\}, 2 hashes expected" ts &&
	test_line_count = 1 mined &&
	test_grep -v "MH/s" ts
'

test_expect_success SCRIPT 'a hard block: progress with rate, hashes, time and eta; Ctrl-C ends the line and kills mine' '
	{ script -qfec "sh -c '"'"'echo \$\$ >pid; exec mine -j1 hard >mined'"'"'" ts >/dev/null 2>&1 & } &&
	test_wait_until 20 "grep -q \"eta \" ts" &&
	kill -INT "$(cat pid)" &&
	test_wait_until 20 "grep -q COMMAND_EXIT_CODE ts" &&
	test_grep "^mine: target 0\{12\}ffff0\{48\}, 2.815e+14 hashes expected" ts &&
	test_grep "mine: [0-9.]* MH/s, [0-9]* hashes, [0-9.]* s, eta [0-9.e+]* \(s\|min\|h\|days\|years\)" ts &&
	test_grep "eta [^$CR]*$ESC\[K$CR\$" ts &&
	test_grep "COMMAND_EXIT_CODE=\"130\"" ts &&
	test_must_be_empty mined
'

test_expect_success 'not a terminal: no progress at all; an interrupt still ends mine by the signal' '
	{ mine -j1 hard >mined 2>err & } && pid=$! &&
	test_when_finished "kill $pid 2>/dev/null || :" &&
	test_wait_until 20 "sigint_caught $pid" &&
	kill -INT $pid &&
	{ wait $pid; rc=$?; } &&
	test "$rc" = 130 &&
	test_must_be_empty err && test_must_be_empty mined
'

test_done
