#!/bin/sh
test_description='docs that run: every example of the README and of each man page, as written'

. ./test-lib.sh

# shellcheck disable=SC2034 # used in the test bodies
SRCDIR=${TEST_DIRECTORY%/*}
EX="bash $TEST_DIRECTORY/lib-examples.bash"

command -v bash >/dev/null && command -v setsid >/dev/null && command -v timeout >/dev/null &&
	test_set_prereq BASH
command -v jq >/dev/null && test_set_prereq JQ
command -v shellcheck >/dev/null && test_set_prereq SHELLCHECK

# The inputs a page may name without making them: the Bitcoin files of the
# source tree (t/t3000, and regtest's first blocks), under their own names.
fixtures() {
	cp "$TEST_DIRECTORY"/t3000/* "$TEST_DIRECTORY/t3300/regtest-chain.hex" "$1"/
}

# run_examples FILE DIR: extract FILE's examples into DIR and run them
# there in a session of their own, each command stopping the run if it
# fails (set -eu -o pipefail); fail when one does, when they leave a
# process running, or when output they show is like no line printed.
run_examples() {
	$EX extract "$1" "$2" &&
	(
		cd "$2" &&
		timeout 180 setsid -w bash -c 'echo $$ >.sid; exec bash ./script.bash' >log 2>&1
	)
	rc=$?
	left=$(ps -e -o pid= -o sid= | awk -v s="$(cat "$2/.sid" 2>/dev/null)" '$2 == s { print $1 }')
	if test -n "$left"; then
		echo "$1: the examples left processes running: $left"
		# shellcheck disable=SC2086 # one pid a word
		kill $left 2>/dev/null
	fi
	if test -n "$left" || test "$rc" != 0; then
		echo "$1: the examples failed (exit $rc):"
		for f in "$2/log" "$2"/out.*; do
			test -f "$f" && sed "s,^,| ${f##*/}: ," "$f"
		done
		return 1
	fi
	$EX check "$2"
}

page_test() {
	page=$1
	shift
	test_expect_success "$@" "examples of $page run" '
		mkdir "ex-'"$page"'" && fixtures "ex-'"$page"'" &&
		run_examples "$SRCDIR/man/man'"${page##*.}/$page"'" "ex-'"$page"'"
	'
}

test_expect_success BASH 'the extractor: commands, continued lines, shown output' '
	cat >page <<-\EOF &&
	Some prose.

	    $ X=$(echo one |
	        tr o O)
	    $ echo "$X two=2 hash=ab12"
	    One two=2 hash=...
	    $ for i in 1 2; do
	        echo "n=$i"
	      done
	    n=2
	Prose again, not output.
	EOF
	$EX extract page d &&
	test_must_be_empty d/expect.1 &&
	test_grep "^One two=2 hash=...\$" d/expect.2 &&
	test_grep "^n=2\$" d/expect.3 &&
	test_grep -v "Prose" d/expect.3 &&
	(cd d && bash script.bash) &&
	$EX check d
'

test_expect_success BASH 'the check fails for an unset variable, a failing command, a wrong key or number' '
	printf "    \$ echo \"\$FRIEND\"\n" >unset &&
	$EX extract unset u && test_must_fail bash u/script.bash 2>err &&
	test_grep "FRIEND: unbound variable" err &&
	printf "    \$ false | cat\n    \$ echo reached\n" >fails &&
	$EX extract fails f && (cd f && test_must_fail bash script.bash >out) &&
	test_must_be_empty f/out &&
	printf "    \$ echo ok height=1 hash=ab\n    ok weight=1 hash=...\n    ok height=2 hash=...\n" >wrong &&
	$EX extract wrong w && (cd w && bash script.bash) &&
	test_must_fail $EX check w >out &&
	test_grep "shows \"ok weight=1 hash=...\", but no line printed is like it" out &&
	test_grep "shows \"ok height=2 hash=...\"" out &&
	printf "    \$ echo ok height=1 hash=ab\n    ok height=1 hash=cd...\n" >right &&
	$EX extract right r && (cd r && bash script.bash) && $EX check r
'

test_expect_success BASH 'a run that leaves a process behind fails' '
	printf "    \$ sleep 30 &\n" >stray &&
	mkdir s && test_must_fail run_examples stray s >out &&
	test_grep "left processes running" out
'

page_test balances.1 BASH,MANDOC,JQ
page_test chain-append.1 BASH,MANDOC
page_test chain-headers.1 BASH,MANDOC
page_test chain-info.1 BASH,MANDOC,JQ
page_test finalize.1 BASH,MANDOC
page_test inspect.1 BASH,MANDOC,JQ
page_test mine.1 BASH,MANDOC
page_test mkblock.1 BASH,MANDOC
page_test mkkey.1 BASH,MANDOC
page_test mktx.1 BASH,MANDOC
page_test peer-listen.1 BASH,MANDOC
page_test peer-send.1 BASH,MANDOC
page_test prove.1 BASH,MANDOC,JQ
page_test seal.1 BASH,MANDOC
page_test verify.1 BASH,MANDOC,JQ
page_test verify-proof.1 BASH,MANDOC,JQ
page_test blockutils.7 BASH,MANDOC
page_test blockutils-protocol.7 BASH,MANDOC

test_expect_success BASH,MANDOC 'examples of blockutils-chain.5 run, on a chain with a memo' '
	. "$TEST_DIRECTORY/lib-chain.sh" &&
	mkdir ex-chain && cd ex-chain && setup_keys &&
	make_genesis chain.blk --maturity 1 && add_block chain.blk "$A" </dev/null &&
	mktx -k a.key -c chain.blk -m "rent, march" "$B" 1000 >txs &&
	add_block chain.blk "$A" <txs &&
	cd .. && run_examples "$SRCDIR/man/man5/blockutils-chain.5" ex-chain
'

test_expect_success MANDOC 'the records blockutils-chain.5 shows are whole: hash, merkle root, what is signed' '
	mandoc -Tascii -O width=1000 "$SRCDIR/man/man5/blockutils-chain.5" | col -bx |
	sed -n "/^EXAMPLES/,/^SEE ALSO/p" | sed "s/^ *//" >examples &&
	grep "^block height=\|^tx transfer:" examples >records &&
	test_line_count = 2 records &&
	inspect records >decoded &&
	test_grep -v DIFFERS decoded &&
	id=$(sed -n "s/^block height=0 hash=\([0-9a-f]*\) .*/\1/p" records) &&
	tok=$(sed -n "s/^tx \(transfer:.*\):[0-9a-f]*\$/\1/p" records) &&
	test_grep -x "$id:$tok" examples
'

test_expect_success BASH,JQ 'every page with a section-1 command has run above' '
	for page in "$SRCDIR"/man/man[157]/*.[157]; do
		name=${page##*/} &&
		{ test "$name" = blockutils-chain.5 ||
		grep -q "^page_test $name " "$TEST_DIRECTORY/t0010-docs-examples.sh"; } ||
		{ echo "$name: no test runs its examples"; return 1; }
	done
'

test_expect_success BASH,MANDOC,SHELLCHECK 'the examples are shellcheck clean (warnings and errors)' '
	for f in "$SRCDIR/README" "$SRCDIR"/man/man[157]/*.[157]; do
		d=sc-${f##*/} &&
		$EX extract "$f" "$d" &&
		shellcheck -s bash -S warning "$d/script.bash" >"$d/lint" ||
		{ echo "${f##*/}:"; cat "$d/lint"; return 1; }
	done
'

test_expect_success BASH,JQ 'the README: a whole session, as written' '
	mkdir readme && ln -s "$TEST_DIRECTORY" readme/t &&
	run_examples "$SRCDIR/README" readme &&
	test_path_is_file readme/session/chain.blk &&
	test "$(wc -l <readme/session/chain.blk)" -gt 101
'

test_done
