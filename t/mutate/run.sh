#!/bin/sh
# t/mutate/run.sh: mutation testing (make mutate; not part of make test).
#
#	sh t/mutate/run.sh [ID-PREFIX...]
#
# Each mutant of t/mutate/mutants (a small bug a developer could write) is
# applied to a copy of the tree, built, and tested: first the scripts it
# names, then, when they all pass, the whole suite. A test that fails kills
# the mutant; a mutant no test kills survives. The working tree is never
# touched. Prints one line per mutant, then the score:
# killed / (killed + survived). Exit 0 when no mutant survived, else 1.
#	sh t/mutate/run.sh --check
#
# only checks the list: every mutant's text is in its file exactly once
# (the suite runs this, so an edit that makes a mutant stale is seen).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
list=${BU_MUTANTS:-$top/t/mutate/mutants}
if test "${1-}" = --check; then
	awk -v top="$top" '
		function flush() {
			if (id == "") return
			if (file == "" || from == "") { print id ": no file or from"; bad++ }
			else {
				n = 0
				while ((getline l < (top "/" file)) > 0) {
					s = l
					while ((k = index(s, from)) > 0) { n++; s = substr(s, k + length(from)) }
				}
				close(top "/" file)
				if (n != 1) { print id ": its text is in " file " " n " times, not once"; bad++ }
			}
			count++
			id = file = from = ""
		}
		/^#/ { next }
		/^$/ { flush(); next }
		/^mutant / { id = substr($0, 8) }
		/^file / { file = substr($0, 6) }
		/^from / { from = substr($0, 6) }
		END { flush(); printf "mutate: %d mutants, %d stale\n", count, bad; exit bad > 0 }
	' "$list"
	exit
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/bu-mutate.XXXXXX") || exit 3
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

start=$(date +%s)
(cd "$top" && tar cf - Makefile mk cmd common t man completion README) | (cd "$work" && tar xf -) ||
	exit 3
rm -rf "$work"/t/trash.*
echo "mutate: building the unmutated tree in $work"
make -s -C "$work" >/dev/null 2>"$work/build.err" || { cat "$work/build.err"; exit 3; }

# wanted ID: whether the arguments select the mutant ID
wanted() {
	test $# -ge 2 || return 0
	w_id=$1 && shift
	for w_p; do
		case $w_id in "$w_p"*) return 0 ;; esac
	done
	return 1
}

# apply FILE FROM TO: replace the one occurrence of FROM in FILE; 1 when
# FROM is not there exactly once (a stale mutant)
apply() {
	FROM=$2 TO=$3 awk '
		BEGIN { from = ENVIRON["FROM"]; to = ENVIRON["TO"] }
		{ lines[NR] = $0 }
		END {
			n = 0
			for (i = 1; i <= NR; i++) {
				s = lines[i]
				while ((k = index(s, from)) > 0) { n++; s = substr(s, k + length(from)) }
			}
			if (n != 1) exit 1
			for (i = 1; i <= NR; i++) {
				k = index(lines[i], from)
				if (k > 0) lines[i] = substr(lines[i], 1, k - 1) to substr(lines[i], k + length(from))
				print lines[i]
			}
		}' "$1" >"$work/mutated" || return 1
	cp "$1" "$work/original" && cat "$work/mutated" >"$1"
}

run_tests() {
	(cd "$work/t" && for s in $1; do
		BU_BUILD=$work/build sh "$s" >/dev/null 2>&1 || exit 1
	done) || return 1
	(cd "$work/t" && BU_BUILD=$work/build prove -j2 t[0-9]*.sh >/dev/null 2>&1)
}

killed=0 survived=0 equivalent=0 stale=0 broken=0
survivors=
one() {
	wanted "$id" "$@" || return 0
	if test -n "$equiv"; then
		equivalent=$((equivalent + 1))
		printf '%-34s equivalent: %s\n' "$id" "$equiv"
		return 0
	fi
	f=$work/$file
	if ! apply "$f" "$from" "$to"; then
		stale=$((stale + 1))
		printf '%-34s STALE: the text is not in %s exactly once\n' "$id" "$file"
		return 0
	fi
	if ! make -s -C "$work" >/dev/null 2>&1; then
		broken=$((broken + 1))
		printf '%-34s does not build (not counted)\n' "$id"
	elif run_tests "$tests"; then
		survived=$((survived + 1))
		survivors="$survivors $id"
		printf '%-34s SURVIVED\n' "$id"
	else
		killed=$((killed + 1))
		printf '%-34s killed\n' "$id"
	fi
	cat "$work/original" >"$f"
}

id='' file='' tests='' from='' to='' equiv=''
while IFS= read -r line || test -n "$line"; do
	case $line in
	'#'*) continue ;;
	'') test -z "$id" || one "$@"; id='' file='' tests='' from='' to='' equiv=''; continue ;;
	'mutant '*) id=${line#mutant } ;;
	'file '*) file=${line#file } ;;
	'tests '*) tests=${line#tests } ;;
	'from '*) from=${line#from } ;;
	'to '*) to=${line#to } ;;
	'to') to= ;;
	'equivalent '*) equiv=${line#equivalent } ;;
	*) echo "mutate: $list: what is '$line'?" >&2; exit 3 ;;
	esac
done <"$list"
test -z "$id" || one "$@"
make -s -C "$work" >/dev/null 2>&1

total=$((killed + survived))
secs=$(($(date +%s) - start))
if test "$total" -gt 0; then
	score="$((killed * 100 / total)).$((killed * 1000 / total % 10))%"
else
	score=-
fi
echo "mutate: killed $killed, survived $survived, equivalent $equivalent, not building $broken, stale $stale; score $score; $secs s"
test -z "$survivors" || echo "mutate: survivors:$survivors"
test "$stale" = 0 && test "$survived" = 0
