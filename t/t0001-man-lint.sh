#!/bin/sh
test_description='man pages: mandoc -Tlint clean, one per command, the required sections'

. ./test-lib.sh

# shellcheck disable=SC2034 # used in the test bodies
SRCDIR=${TEST_DIRECTORY%/*}

# man_lint ROOT: mandoc's warnings (and worse) for every page in ROOT/man
man_lint() {
	(
		cd "$1" || exit
		for page in man/man1/*.1 man/man5/*.5 man/man7/*.7
		do
			test -f "$page" || continue
			mandoc -Tlint -W warning "$page" 2>&1 ||
			echo "$page: mandoc -Tlint exited with $?"
		done
	)
}

# man_missing ROOT: the commands in ROOT/cmd that have no page in man (section 1)
man_missing() {
	(
		cd "$1" || exit
		for src in cmd/*.c
		do
			test -f "$src" || continue
			name=${src#cmd/}
			test -f "man/man1/${name%.c}.1" ||
			echo "$src: no man/man1/${name%.c}.1"
		done
	)
}

# man_sections ROOT: the sections each page in ROOT/man (section 1) lacks
man_sections() {
	(
		cd "$1" || exit
		for page in man/man1/*.1
		do
			test -f "$page" || continue
			for section in NAME SYNOPSIS DESCRIPTION 'EXIT STATUS' EXAMPLES 'SEE ALSO'
			do
				grep "^\.Sh \"\{0,1\}$section\"\{0,1\}[[:space:]]*$" "$page" >/dev/null ||
				echo "$page: no $section section"
			done
		done
	)
}

# a page to check the checks with: mandoc warns about the section order
write_pages() {
	mkdir -p fake/cmd fake/man/man1 fake/man/man5 &&
	: >fake/cmd/good.c &&
	: >fake/cmd/orphan.c &&
	cat >fake/man/man1/good.1 <<-\EOF &&
	.Dd November 21, 2026
	.Dt GOOD 1
	.Os
	.Sh NAME
	.Nm good
	.Nd do a good thing
	.Sh SYNOPSIS
	.Nm
	.Op Fl h
	.Ar file
	.Sh DESCRIPTION
	.Nm
	reads
	.Ar file .
	.Sh EXIT STATUS
	.Ex -std
	.Sh EXAMPLES
	.Dl $ good file
	.Sh SEE ALSO
	.Xr cat 1
	EOF
	cat >fake/man/man5/bad.5 <<-\EOF
	.Dd November 21, 2026
	.Dt BAD 5
	.Os
	.Sh NAME
	.Nm bad
	.Nd a page with sections out of order
	.Sh DESCRIPTION
	Text.
	.Sh SYNOPSIS
	.Nm
	EOF
}

test_expect_success MANDOC 'every man page is mandoc -Tlint clean' '
	man_lint "$SRCDIR" >lint &&
	test_must_be_empty lint
'

command -v groff >/dev/null && test_set_prereq GROFF

# man_groff ROOT: groff's warnings for every page in ROOT/man set at 80 columns, as man(1) does
man_groff() {
	(
		cd "$1" || exit
		for page in man/man1/*.1 man/man5/*.5 man/man7/*.7
		do
			test -f "$page" || continue
			groff -mandoc -Tutf8 -ww -rLL=80n -z "$page" 2>&1 | sed "s|^|$page: |"
		done
	)
}

test_expect_success GROFF 'no page gives a groff warning at 80 columns' '
	man_groff "$SRCDIR" >warnings &&
	test_must_be_empty warnings
'

test_expect_success GROFF 'the groff check catches a line that cannot be broken' '
	write_pages &&
	printf ".Sh BUGS\n.Bl -tag -width Ds\n.It %s\ntext\n.El\n" "$(printf "x%.0s" $(seq 120))" >>fake/man/man1/good.1 &&
	man_groff fake >warnings &&
	test_grep "good.1: .*warning.*break line" warnings
'

test_expect_success 'every command has a section-1 page in man/man1/' '
	man_missing "$SRCDIR" >missing &&
	test_must_be_empty missing
'

test_expect_success 'man finds each command'"'"'s page in the tree (man/man1, as installed)' '
	for src in "$SRCDIR"/cmd/*.c; do
		t=${src##*/} && t=${t%.c} &&
		MANPATH="$SRCDIR/man" man -w "$t" >where &&
		test_grep "/man/man1/$t.1\$" where || return 1
	done &&
	MANPATH="$SRCDIR/man" man -w 5 blockutils-chain >where && test_grep "/man/man5/" where &&
	MANPATH="$SRCDIR/man" man -w blockutils-protocol >where && test_grep "/man/man7/" where
'

test_expect_success 'every section-1 page has the required sections' '
	man_sections "$SRCDIR" >sections &&
	test_must_be_empty sections
'

test_expect_success MANDOC 'the lint check catches a warning' '
	write_pages &&
	man_lint fake >lint &&
	test_grep "^mandoc: man/man5/bad.5:9:2: WARNING: sections out of conventional order" lint &&
	test_grep "^man/man5/bad.5: mandoc -Tlint exited with [1-9]" lint &&
	test_grep -v good.1 lint
'

test_expect_success 'the completeness checks catch a missing page and section' '
	write_pages &&
	cp fake/man/man5/bad.5 fake/man/man1/bad.1 &&
	man_missing fake >missing &&
	echo "cmd/orphan.c: no man/man1/orphan.1" >expect &&
	test_cmp expect missing &&
	man_sections fake >sections &&
	cat >expect <<-\EOF &&
	man/man1/bad.1: no EXIT STATUS section
	man/man1/bad.1: no EXAMPLES section
	man/man1/bad.1: no SEE ALSO section
	EOF
	test_cmp expect sections
'

test_done
