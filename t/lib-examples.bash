#!/bin/bash
# lib-examples.bash: turn the examples of a man page or of the README, as a
# reader sees them, into a script, and check their output against what the
# page shows.
#
#   bash lib-examples.bash extract FILE DIR   DIR/script.bash, DIR/expect.N
#   bash lib-examples.bash check DIR          each shown output line is like
#                                             a line printed (its words and
#                                             numbers, not its hashes)
#
# An example is a line whose text starts with "$ " (after the indent), and
# the lines after it while it is not a whole command (bash -n says so: an
# open pipe, quote, loop or $( ), or a trailing backslash). The lines
# after a whole command, indented at least as much as its "$", are what
# the page says it prints, up to a blank line or a line indented less.
# A man page's examples are its EXAMPLES section as mandoc renders it;
# the README's are every such line in it.
set -u

render() {
	case $1 in
	*.[1-8])
		mandoc -Tascii -O width=1000 "$1" | col -bx |
			sed -n '/^EXAMPLES$/,/^[A-Z][A-Z ]*$/{/^[A-Z][A-Z ]*$/d;p;}'
		;;
	*) cat "$1" ;;
	esac
}

incomplete() {
	local err
	case $1 in *\\) return 0 ;; esac
	err=$(bash -n -c "$1" 2>&1) && return 1
	case $err in *"unexpected end of file"* | *"unexpected EOF"*) return 0 ;; esac
	return 1
}

# The commands go into the script as they are; one whose output the page
# shows is run with its standard output and error kept in out.N.
flush() {
	[ -n "$cmd" ] || return 0
	if [ -s "$dir/expect.$n" ]; then
		printf '{\n%s\n} >%q 2>&1\n' "$cmd" "$dir/out.$n" >>"$dir/script.bash"
	else
		printf '%s\n' "$cmd" >>"$dir/script.bash"
	fi
	cmd=
}

extract() {
	local file=$1 line text ind
	dir=$2 n=0 cmd="" open=0 outind=-1
	mkdir -p "$dir" && dir=$(cd "$dir" && pwd) && rm -f "$dir"/expect.* "$dir"/out.* || return 1
	printf 'set -eu -o pipefail\n' >"$dir/script.bash"
	while IFS= read -r line; do
		text=${line#"${line%%[! ]*}"}
		ind=$((${#line} - ${#text}))
		if [ "$open" = 1 ]; then
			cmd="$cmd
$line"
			incomplete "$cmd" || open=0
			continue
		fi
		case $text in
		'$ '*)
			[ -n "$cmd" ] && flush
			n=$((n + 1))
			cmd=${text#'$ '}
			outind=$ind
			: >"$dir/expect.$n"
			if incomplete "$cmd"; then open=1; fi
			continue
			;;
		esac
		if [ -n "$text" ] && [ "$outind" -ge 0 ] && [ "$ind" -ge "$outind" ]; then
			printf '%s\n' "$text" >>"$dir/expect.$n"
		else
			outind=-1
		fi
	done < <(render "$file")
	flush
	[ "$n" -gt 0 ] || { echo "$file: no examples" >&2; return 1; }
	[ "$open" = 0 ] || { echo "$file: example $n is not a whole command" >&2; return 1; }
}

# matches WANT GOT: the printed line GOT is one the page may show as WANT,
# word by word: a decimal number, alone or as key=N, must be the same
# (heights, amounts, counts are the page's); any other value of a key=
# word stands for any value of that key, and a word of hex digits or with
# dots (a hash, "6fd1...", a rate) for any such word; other words must be
# the same.
matches() {
	local -a w g
	local i a b
	read -ra w <<<"$1"
	read -ra g <<<"$2"
	[ "${#w[@]}" = "${#g[@]}" ] || return 1
	for i in "${!w[@]}"; do
		a=${w[i]} b=${g[i]}
		case $a in
		*=*)
			[[ $b == *=* && ${a%%=*} == "${b%%=*}" ]] || return 1
			case ${a#*=} in '' | *[!0-9]*) ;; *) [ "$a" = "$b" ] || return 1 ;; esac
			;;
		*[!0-9a-f.]*) [ "$a" = "$b" ] || return 1 ;;
		*[!0-9]*) [[ $b != *[!0-9a-f.]* ]] || return 1 ;;
		*) [ "$a" = "$b" ] || return 1 ;;
		esac
	done
}

check() {
	local dir=$1 e want got bad=0 found
	for e in "$dir"/expect.*; do
		[ -s "$e" ] || continue
		while IFS= read -r want; do
			found=0
			while IFS= read -r got; do
				if matches "$want" "$got"; then found=1; break; fi
			done <"${e/expect./out.}"
			if [ "$found" = 0 ]; then
				printf '%s: the page shows "%s", but no line printed is like it\n' \
					"${e##*/}" "$want"
				bad=1
			fi
		done <"$e"
	done
	return $bad
}

case ${1-} in
extract) extract "$2" "$3" ;;
check) check "$2" ;;
*) echo "usage: lib-examples.bash extract FILE DIR | check DIR" >&2; exit 2 ;;
esac
