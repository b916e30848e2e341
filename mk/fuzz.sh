#!/bin/sh
# fuzz.sh TARGET...: run each libFuzzer target of $FB/fuzz for $FUZZ_SECONDS, one at a time
#
# New inputs go to $FB/corpus/TARGET (the seeds in t/fuzz/corpus/TARGET are
# read, never written); a crash or a failed check leaves its input in
# $FB/artifacts/TARGET-* and makes the run fail. $FUZZ_FLAGS is passed on
# (e.g. -runs=10000000). The last lines of each log are printed: libFuzzer's
# cov: and ft: figures and the number of runs.
set -u
FB=${FB:-build-fuzz}
secs=${FUZZ_SECONDS:-60}
status=0
for t
do
	mkdir -p "$FB/corpus/$t" "$FB/artifacts" "$FB/logs"
	dict=
	test -f "t/fuzz/$t.dict" && dict="-dict=t/fuzz/$t.dict"
	seeds=
	test -d "t/fuzz/corpus/$t" && seeds="t/fuzz/corpus/$t"
	log=$FB/logs/$t.log
	echo "fuzz: $t for ${secs}s" >&2
	# shellcheck disable=SC2086 # FUZZ_FLAGS and dict are lists of words
	if ! "$FB/fuzz/$t" -max_total_time="$secs" -print_final_stats=1 \
		-artifact_prefix="$FB/artifacts/$t-" -rss_limit_mb=4096 $dict ${FUZZ_FLAGS:-} \
		"$FB/corpus/$t" $seeds >"$log" 2>&1
	then
		echo "fuzz: $t FAILED; see $log and $FB/artifacts/$t-*" >&2
		tail -n 40 "$log" >&2
		status=1
		continue
	fi
	grep -E '^#[0-9]+[[:space:]]+DONE|^stat::number_of_executed_units|^stat::peak_rss_mb' "$log" |
	sed "s/^/fuzz: $t: /" >&2
done
exit $status
