#!/bin/sh
test_description='make install honours PREFIX and DESTDIR; every tool answers -h and refuses bad options'

. ./test-lib.sh

TOOLS='mkblock mine verify chain-append mkkey mktx balances chain-headers prove verify-proof peer-listen peer-send'

test_expect_success 'make install puts the tools and man pages under DESTDIR/PREFIX' '
	make -s -C "$TEST_DIRECTORY/.." B="$BU_BUILD" DESTDIR="$PWD/inst" PREFIX=/opt/bu install >out 2>&1 &&
	for t in $TOOLS; do
		test -x inst/opt/bu/bin/$t && test -f inst/opt/bu/share/man/man1/$t.1 || return 1
	done &&
	test -f inst/opt/bu/share/man/man5/blockutils-chain.5 &&
	test -f inst/opt/bu/share/man/man7/blockutils-protocol.7
'

test_expect_success 'every tool: -h prints usage on stdout and exits 0; a bad option exits 2' '
	for t in $TOOLS; do
		$t -h >out 2>err && test_grep "^usage: $t" out && test_must_be_empty err &&
		test_expect_code 2 $t --no-such-option >out 2>err &&
		test_grep "usage: $t" err || return 1
	done
'

test_expect_success MANDOC 'usage() equals the SYNOPSIS of each man page' '
	for t in $TOOLS; do
		$t -h | sed "s/^usage: //; s/^ *//" | tr -s " \n" "  " | sed "s/ *\$//" >u &&
		mandoc -Tascii -O width=1000 "$TEST_DIRECTORY/../man/$t.1" | col -b |
		sed -n "/^SYNOPSIS/,/^DESCRIPTION/p" | sed "1d;\$d" |
		tr -s " \n" "  " | sed "s/^ *//; s/ *\$//" >m &&
		test_cmp u m || return 1
	done
'

test_done
