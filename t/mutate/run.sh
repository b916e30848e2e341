#!/bin/sh
# t/mutate/run.sh [ID-PREFIX...]: mutation testing of common/ (make mutate).
#
# Reads t/mutate/mutants, a list of entries separated by blank lines:
#
#     id: chain-mtp-10
#     file: common/core/chain.c
#     from: <an exact snippet of one line of the file>
#     to: <what it becomes>
#     tests: t3100-verify-rules.sh t3000-verify-bitcoin.sh
#     equivalent: <why the mutated program behaves the same>   (optional)
#
# Lines starting with # are comments.  An entry is keyed by its snippet, not a
# line number: a snippet found other than exactly once is reported "stale".
# The tree is copied (tracked and untracked, not ignored files) into a temporary
# directory with its own build directory, so the real tree is never mutated.
# For each mutant: apply, build (a mutant that does not compile is reported
# and not counted), run the scripts it names; only when they all pass, run the
# whole suite (prove -j2).  Prints killed/survived/equivalent per mutant, the
# totals, the score killed/(killed+survived) and the wall time.  Exits 1 when a
# mutant survived or an entry is stale.
set -u
LC_ALL=C; export LC_ALL
top=$(cd "$(dirname "$0")/../.." && pwd)
list=${MUTANTS_LIST:-$top/t/mutate/mutants}
jobs=${MUTATE_JOBS:-2}
# MUTATE_QUICK=1: only the scripts an entry names, not the whole suite after them
quick=${MUTATE_QUICK:-}
# MUTATE_TIMEOUT: seconds a prove run may take; a mutant that hangs a test is killed
tmo=${MUTATE_TIMEOUT:-300}
start=$(date +%s)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bu-mutate.XXXXXX") || exit 2
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

(cd "$top" && git ls-files -z --cached --others --exclude-standard |
	xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
	tar --null -T - -cf -) | (mkdir -p "$tmp/tree" && cd "$tmp/tree" && tar -xf -) || exit 2
tree=$tmp/tree
B=$tmp/build
# MUTATE_CHECK=1: only check that every entry applies (its snippet is in its file once)
check=${MUTATE_CHECK:-}
if [ -n "$check" ]; then
	:
elif echo "mutate: building the unmutated tree in $tree" &&
	! (cd "$tree" && make -s DEVELOPER=1 B="$B" >"$tmp/build.log" 2>&1); then
	cat "$tmp/build.log"; echo "mutate: the unmutated tree does not build" >&2; exit 2
fi

# one entry per record: id, file, from, to, tests, equivalent, separated by \037
entries=$(awk -v RS= -v FS='\n' '
{
	id = file = from = to = tests = eq = ""
	for (i = 1; i <= NF; i++) {
		l = $i
		if (l ~ /^#/) continue
		if (sub(/^id: /, "", l)) id = l
		else if (sub(/^file: /, "", l)) file = l
		else if (sub(/^from: /, "", l)) from = l
		else if (sub(/^to: /, "", l)) to = l
		else if (sub(/^tests:/, "", l)) tests = l
		else if (sub(/^equivalent: /, "", l)) eq = l
	}
	if (id != "") printf "%s\037%s\037%s\037%s\037%s\037%s\n", id, file, from, to, tests, eq
}' "$list")

killed=0 survived=0 equiv=0 nocomp=0 stale=0
survivors='' stales=''
prefixes=$*
printf '%s\n' "$entries" | {
while IFS=$(printf '\037') read -r id file from to tests eq; do
	[ -n "$id" ] || continue
	want_id=0
	if [ -z "$prefixes" ]; then want_id=1; else
		for p in $prefixes; do case $id in "$p"*) want_id=1;; esac; done
	fi
	[ $want_id -eq 1 ] || continue
	src=$tree/$file
	n=$(FROM=$from perl -0777 -ne '$n = () = /\Q$ENV{FROM}\E/g; print $n' "$src" 2>/dev/null)
	if [ "$n" != 1 ]; then
		printf '%-28s stale (%s: snippet found %s times)\n' "$id" "$file" "${n:-0}"
		stale=$((stale + 1)); stales="$stales $id"; continue
	fi
	[ -z "$check" ] || continue
	if [ -n "$eq" ]; then
		printf '%-28s equivalent (%s)\n' "$id" "$eq"
		equiv=$((equiv + 1)); continue
	fi
	cp -p "$src" "$tmp/orig"
	FROM=$from TO=$to perl -0777 -i -pe 's/\Q$ENV{FROM}\E/$ENV{TO}/' "$src"
	t0=$(date +%s)
	if ! (cd "$tree" && nice make -s -j2 DEVELOPER=1 B="$B" >"$tmp/mbuild.log" 2>&1); then
		printf '%-28s not compiling\n' "$id"
		nocomp=$((nocomp + 1))
	else
		verdict=survived how=
		if [ -n "$tests" ]; then
			# shellcheck disable=SC2086
			if ! (cd "$tree/t" && BU_BUILD=$B timeout "$tmo" nice prove -j"$jobs" $tests >"$tmp/prove.log" 2>&1); then
				verdict=killed how="by$tests"
			fi
		fi
		if [ $verdict = survived ] && [ -z "$quick" ]; then
			if ! (cd "$tree/t" && BU_BUILD=$B timeout "$tmo" nice prove -j"$jobs" t[0-9]*.sh >"$tmp/prove.log" 2>&1); then
				verdict=killed how="by the whole suite: $(grep -o '^t[0-9][^ ]*\.sh' "$tmp/prove.log" | tr '\n' ' ' | sed 's/ $//')"
				[ -n "$how" ] || how="by the whole suite"
			fi
		fi
		if [ $verdict = killed ]; then
			killed=$((killed + 1))
		else
			survived=$((survived + 1)); survivors="$survivors $id"
		fi
		printf '%-28s %s %s (%ss)\n' "$id" $verdict "$how" $(( $(date +%s) - t0 ))
	fi
	cp -p "$tmp/orig" "$src"
	touch "$src"
done
total=$((killed + survived))
if [ $total -gt 0 ]; then
	score=$(awk -v k=$killed -v t=$total 'BEGIN { printf "%.1f%%", 100 * k / t }')
else
	score=n/a
fi
echo "mutate: killed $killed, survived $survived, equivalent $equiv, not compiling $nocomp, stale $stale"
echo "mutate: score $killed/$total = $score"
[ -z "$survivors" ] || echo "mutate: survivors:$survivors"
[ -z "$stales" ] || echo "mutate: stale:$stales"
echo "mutate: wall time $(( $(date +%s) - start ))s"
[ $survived -eq 0 ] && [ $stale -eq 0 ]
}
