#!/bin/sh
test_description='make install and uninstall honour PREFIX and DESTDIR; every tool answers -h, --help and --version and refuses bad options by its name'

. ./test-lib.sh

# shellcheck disable=SC2034 # used in the test bodies
TOOLS='mkblock seal finalize mine verify chain-append mkkey mktx balances inspect chain-info chain-headers prove verify-proof peer-listen peer-send'

test_expect_success 'the list of tools is every cmd/*.c' '
	for src in "$TEST_DIRECTORY"/../cmd/*.c; do
		t=${src##*/} && t=${t%.c} &&
		case " $TOOLS " in *" $t "*) ;; *) echo "$t is not in TOOLS"; return 1 ;; esac
	done
'

test_expect_success 'make install puts the tools, man pages and completion under DESTDIR/PREFIX' '
	make -s -C "$TEST_DIRECTORY/.." B="$BU_BUILD" DESTDIR="$PWD/inst" PREFIX=/opt/bu install >out 2>&1 &&
	for t in $TOOLS; do
		test -x inst/opt/bu/bin/$t && test -f inst/opt/bu/share/man/man1/$t.1 &&
		test -f inst/opt/bu/share/bash-completion/completions/$t || return 1
	done &&
	test -f inst/opt/bu/share/man/man5/blockutils-chain.5 &&
	test -f inst/opt/bu/share/man/man7/blockutils-protocol.7 &&
	test -f inst/opt/bu/share/man/man7/blockutils.7 &&
	stat -c "%a %n" inst/opt/bu/bin/mkblock inst/opt/bu/share/man/man1/mkblock.1 \
		inst/opt/bu/share/man/man5/blockutils-chain.5 >modes &&
	cat >expect <<-\EOF &&
	755 inst/opt/bu/bin/mkblock
	644 inst/opt/bu/share/man/man1/mkblock.1
	644 inst/opt/bu/share/man/man5/blockutils-chain.5
	EOF
	test_cmp expect modes
'

test_expect_success 'warnings are errors for developers only (make DEVELOPER=1)' '
	# the suite may itself run under make DEVELOPER=1, which MAKEFLAGS passes down
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u DEVELOPER \
		make -s -n -B -C "$TEST_DIRECTORY/.." B="$PWD/nb" "$PWD/nb/obj/hex.o" >user &&
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u DEVELOPER \
		make -s -n -B -C "$TEST_DIRECTORY/.." B="$PWD/nb" DEVELOPER=1 "$PWD/nb/obj/hex.o" >dev &&
	test_grep -e "-Wall" user && test_grep -v -e "-Werror" user &&
	test_grep -e "-Wall .*-Werror" dev
'

test_expect_success 'make clean removes the build B names' '
	make -s -n -C "$TEST_DIRECTORY/.." B="$PWD/elsewhere" clean >out &&
	test_grep "rm -rf $PWD/elsewhere " out
'

test_expect_success 'man blockutils finds the overview page' '
	MANPATH="$PWD/inst/opt/bu/share/man" man -w blockutils >where &&
	test_grep "man7/blockutils.7" where
'

test_expect_success 'bash completion: each tool'"'"'s options from its --help, --chain networks' '
	cat >complete.bash <<-\EOF &&
	. inst/opt/bu/share/bash-completion/completions/mkblock
	complete -p $BU_TOOLS
	COMP_WORDS=(mkblock --gen); COMP_CWORD=1; _blockutils mkblock --gen mkblock
	echo "mkblock: ${COMPREPLY[*]}"
	COMP_WORDS=(verify --chain ""); COMP_CWORD=2; _blockutils verify "" --chain
	echo "verify: ${COMPREPLY[*]}"
	COMP_WORDS=(chain-info --a); COMP_CWORD=1; _blockutils chain-info --a chain-info
	echo "chain-info: ${COMPREPLY[*]}"
	EOF
	BU_TOOLS=$TOOLS bash complete.bash >out 2>err &&
	test_must_be_empty err &&
	test_grep "^complete -o filenames -F _blockutils mkblock" out &&
	test_grep "^mkblock: --genesis\$" out &&
	test_grep "^verify: bitcoin regtest\$" out &&
	test_grep "^chain-info: --account\$" out
'

test_expect_success 'make uninstall takes away what install put there, and nothing else' '
	mkdir -p inst/opt/bu/bin && echo mine >inst/opt/bu/bin/other-tool &&
	make -s -C "$TEST_DIRECTORY/.." B="$BU_BUILD" DESTDIR="$PWD/inst" PREFIX=/opt/bu uninstall >out 2>&1 &&
	find inst -type f -o -type l >left &&
	echo inst/opt/bu/bin/other-tool >expect &&
	test_cmp expect left
'

test_expect_success 'every tool: -h and --help print usage on stdout and exit 0; a bad option exits 2' '
	for t in $TOOLS; do
		$t -h >out 2>err && test_grep "^usage: $t" out && test_must_be_empty err &&
		$t --help >out2 2>err && test_cmp out out2 && test_must_be_empty err &&
		test_expect_code 2 $t --no-such-option >out 2>err &&
		test_grep "usage: $t" err || return 1
	done
'

test_expect_success 'every tool: --version names the tool and the suite, exits 0' '
	for t in $TOOLS; do
		$t --version >out 2>err && test_must_be_empty err &&
		test_grep "^$t (blockutils) [0-9][0-9.]*\$" out &&
		test_line_count = 1 out || return 1
	done
'

test_expect_success 'a bad option run by its path is named by the tool'"'"'s short name' '
	for t in $TOOLS; do
		test_expect_code 2 "$BU_BUILD/bin/$t" --no-such-option 2>err &&
		test_grep "^$t: unrecognized option .--no-such-option." err &&
		test_grep -v "/$t" err || return 1
	done
'

test_expect_success MANDOC 'usage() equals the SYNOPSIS of each man page' '
	for t in $TOOLS; do
		$t -h | sed "s/^usage: //; s/^ *//" | tr -s " \n" "  " | sed "s/ *\$//" >u &&
		mandoc -Tascii -O width=1000 "$TEST_DIRECTORY/../man/man1/$t.1" | col -b |
		sed -n "/^SYNOPSIS/,/^DESCRIPTION/p" | sed "1d;\$d" |
		tr -s " \n" "  " | sed "s/^ *//; s/ *\$//" >m &&
		test_cmp u m || return 1
	done
'

test_done
