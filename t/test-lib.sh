# test-lib.sh: the harness every t/tNNNN-*.sh sources; prints TAP (see README)
#
# Test bodies are strings run with eval; shellcheck cannot see that the
# functions and variables below are used by them.
# shellcheck disable=SC2034

test_usage_() {
	printf 'usage: sh %s [-v|--verbose] [-x] [-i|--immediate] [-d|--debug] [--root=DIR]\n' "$0"
	printf '       %*s [--run=LIST] [--stress[=N]]\n' "${#0}" ''
}

test_verbose_=
test_trace_=
test_immediate_=
test_debug_=
test_root_=
test_select_=
test_stress_=
for test_arg_
do
	case $test_arg_ in
	-v|--verbose) test_verbose_=t ;;
	-x) test_trace_=t ;;
	-i|--immediate) test_immediate_=t ;;
	-d|--debug) test_debug_=t ;;
	--root=?*) test_root_=${test_arg_#--root=} ;;
	--run=?*) test_select_=$(printf '%s' "${test_arg_#--run=}" | tr , ' ') ;;
	--stress) test_stress_=50 ;;
	--stress=*)
		test_stress_=${test_arg_#--stress=}
		case $test_stress_ in
		''|0*|*[!0-9]*) echo "$0: --stress wants a count of runs, not '$test_stress_'" >&2; exit 1 ;;
		esac ;;
	-h|--help) test_usage_; printf "%s\n" "${test_description-}"; exit 0 ;;
	*) test_usage_ >&2; exit 1 ;;
	esac
done
for test_arg_ in $test_select_
do
	case $test_arg_ in
	!*) test_arg_=${test_arg_#!} ;;
	esac
	case $test_arg_ in
	''|*[!0-9-]*|*-*-*|-) echo "$0: --run: '$test_arg_' is not a number or a range N-M" >&2; exit 1 ;;
	esac
done

# --stress: run this script again and again until it fails (its trash and
# output are kept) or N runs have passed; the runs' own options are the rest
if test -n "$test_stress_" && test -z "${TEST_STRESS_RUN-}"
then
	test_i_=1
	while test "$test_i_" -le "$test_stress_"
	do
		TEST_STRESS_RUN=$test_i_ sh "$0" "$@" >"${0%.sh}.stress-out" 2>&1 || {
			cat "${0%.sh}.stress-out"
			echo "stress: run $test_i_ of $test_stress_ failed; its output is above and in ${0%.sh}.stress-out" >&2
			exit 1
		}
		echo "stress: run $test_i_ of $test_stress_ passed"
		test_i_=$((test_i_ + 1))
	done
	rm -f "${0%.sh}.stress-out"
	echo "stress: all $test_stress_ runs passed"
	exit 0
fi

if test -n "${skip_all-}"
then
	printf '1..0 # SKIP %s\n' "$skip_all"
	exit 0
fi

if test -f ./test-lib.sh
then
	TEST_DIRECTORY=$(pwd)
elif test -z "${TEST_DIRECTORY-}" || ! test -f "$TEST_DIRECTORY/test-lib.sh"
then
	echo "test-lib.sh: run the tests from t/: cd t && sh ${0##*/}" >&2
	exit 1
fi

BU_BUILD=${BU_BUILD:-${TEST_DIRECTORY%/*}/build}
case $BU_BUILD in
/*) ;;
*) BU_BUILD=$(pwd)/$BU_BUILD ;;
esac
if test -d "$BU_BUILD"
then
	BU_BUILD=$(cd "$BU_BUILD" && pwd)
fi
PATH=$BU_BUILD/bin:$BU_BUILD/t:$PATH

# Only what a test sets itself may reach the tools.
for test_var_ in $(env | sed -n 's/^\(BLOCKUTILS_[A-Za-z0-9_]*\)=.*/\1/p')
do
	unset "$test_var_"
done
unset CDPATH
BLOCKUTILS_NOW=1700000000
LC_ALL=C
TZ=UTC
export TEST_DIRECTORY BU_BUILD PATH BLOCKUTILS_NOW LC_ALL TZ
case ${BU_SEED-} in
'') BU_SEED=$(od -An -N4 -tu4 /dev/urandom 2>/dev/null | tr -d ' ') || BU_SEED=$$ ;;
*[!0-9]*) echo "$0: BU_SEED must be a decimal number, not '$BU_SEED'" >&2; exit 1 ;;
esac
export BU_SEED

# test_add_option_ VAR KEY=VALUE: append KEY=VALUE to VAR unless KEY is there
test_add_option_() {
	test_val_=
	eval "test_val_=\${$1-}"
	case ":$test_val_:" in
	*":${2%%=*}="*) ;;
	*) eval "$1=\${test_val_:+\$test_val_:}\$2" ;;
	esac
	export "${1?}"
}
test_add_option_ ASAN_OPTIONS exitcode=99
test_add_option_ UBSAN_OPTIONS halt_on_error=1
test_add_option_ UBSAN_OPTIONS exitcode=99

test_bug_() {
	echo "bug in the test script: $*" >&2
	exit 1
}

# test_quote_ STRING: STRING single-quoted for eval
test_quote_() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

test_prereqs_=' '

test_set_prereq() {
	test $# = 1 || test_bug_ "usage: test_set_prereq NAME"
	test_prereqs_="$test_prereqs_$1 "
}

# test_have_prereq NAME[,NAME...]: all are set (!NAME: NAME is not set);
# leaves the unmet ones in test_missing_prereq_
test_have_prereq() {
	test $# = 1 || test_bug_ "usage: test_have_prereq NAME[,NAME...]"
	test_missing_prereq_=
	test_list_=$1,
	while test -n "$test_list_"
	do
		test_p_=${test_list_%%,*}
		test_list_=${test_list_#*,}
		case $test_p_ in
		'') continue ;;
		!*) case $test_prereqs_ in *" ${test_p_#!} "*) ;; *) continue ;; esac ;;
		*) case $test_prereqs_ in *" $test_p_ "*) continue ;; esac ;;
		esac
		test_missing_prereq_=${test_missing_prereq_:+$test_missing_prereq_,}$test_p_
	done
	test -z "$test_missing_prereq_"
}

test_have_ipv6_() {
	if test -r /proc/net/if_inet6
	then
		grep '^00000000000000000000000000000001 ' /proc/net/if_inet6 >/dev/null
	else
		ip -6 addr show lo 2>/dev/null | grep 'inet6 ::1/' >/dev/null
	fi
}

test "${BU_SANITIZED-}" = 1 && test_set_prereq SANITIZED
command -v mandoc >/dev/null 2>&1 && test_set_prereq MANDOC
test_have_ipv6_ && test_set_prereq IPV6
test "$(id -u)" = 0 && test_set_prereq ROOT
test -n "${BU_TEST_EXPENSIVE-}" && test_set_prereq EXPENSIVE

test_name_=${0##*/}
test_name_=${test_name_%.sh}
test_root_=${test_root_:-$TEST_DIRECTORY}
case $test_root_ in
/*) ;;
*) test_root_=$(pwd)/$test_root_ ;;
esac
TRASH_DIRECTORY=$test_root_/trash.$test_name_
test_state_=$TRASH_DIRECTORY.state
HOME=$TRASH_DIRECTORY
export TRASH_DIRECTORY HOME

test_count_=0
test_failures_=0
test_skipped_=0
test_broken_=0
test_fixed_=0
test_done_called_=
test_sleep_=

test_remove_trash_() {
	cd "$test_root_" || return 1
	rm -rf "$TRASH_DIRECTORY" 2>/dev/null && return 0
	chmod -R u+rwx "$TRASH_DIRECTORY" 2>/dev/null
	rm -rf "$TRASH_DIRECTORY"
}

test_exit_() {
	test_exit_rc_=$?
	rm -rf "$test_state_"
	if test -z "$test_done_called_"
	then
		echo "$0: exited with status $test_exit_rc_ before test_done; trash kept: $TRASH_DIRECTORY" >&2
		test "$test_exit_rc_" != 0 || exit 1
	fi
}
trap test_exit_ EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

test_remove_trash_ || exit 1
mkdir -p "$TRASH_DIRECTORY" "$test_state_" || exit 1
: >"$test_state_/ports"
cd "$TRASH_DIRECTORY" || exit 1

# test_when_finished CMD: run CMD (with eval, in the current directory) once
# the test body is over, whether it passed or not; last registered runs first
test_when_finished() {
	test -n "${test_in_body_-}" || test_bug_ "test_when_finished outside a test body"
	{
		printf 'test_cleanup_one_ %s %s\n' "$(test_quote_ "$PWD")" "$(test_quote_ "$*")" &&
		cat "$test_state_/cleanup"
	} >"$test_state_/cleanup.new" &&
	mv -f "$test_state_/cleanup.new" "$test_state_/cleanup"
}

test_cleanup_one_() {
	(
		cd "$1" || exit
		test_cmd_=$2
		set --
		eval "$test_cmd_"
	)
	test_one_rc_=$?
	if test "$test_one_rc_" != 0
	then
		echo "test_when_finished: cleanup failed (status $test_one_rc_): $2" >&2
		test_cleanup_rc_=$test_one_rc_
	fi
}

# runs in the body's subshell as it exits: the cleanups see its variables
test_body_exit_() {
	test_body_rc_=$?
	test_cleanup_rc_=0
	# shellcheck source=/dev/null
	. "$test_state_/cleanup"
	test "$test_body_rc_" = 0 && test_body_rc_=$test_cleanup_rc_
	exit "$test_body_rc_"
}

test_eval_() {
	if test -n "$test_trace_"
	then
		set -x
		eval "$test_body_"
		{ test_eval_rc_=$?; set +x; } 2>/dev/null
		return "$test_eval_rc_"
	fi
	eval "$test_body_"
}

# test_selected_ N: whether --run (numbers and ranges, ! to leave out) takes test N
test_selected_() {
	test -n "$test_select_" || return 0
	test_sel_in_=
	test_sel_neg_only_=t
	for test_sel_ in $test_select_
	do
		test_sel_not_=
		case $test_sel_ in
		!*) test_sel_not_=t; test_sel_=${test_sel_#!} ;;
		*) test_sel_neg_only_= ;;
		esac
		case $test_sel_ in
		*-*) test_lo_=${test_sel_%-*}; test_hi_=${test_sel_#*-} ;;
		*) test_lo_=$test_sel_; test_hi_=$test_sel_ ;;
		esac
		if test "$1" -ge "${test_lo_:-1}" && { test -z "$test_hi_" || test "$1" -le "$test_hi_"; }
		then
			if test -n "$test_sel_not_"
			then
				test_sel_in_=no
			else
				test_sel_in_=yes
			fi
		fi
	done
	case $test_sel_in_ in
	yes) return 0 ;;
	no) return 1 ;;
	esac
	test -n "$test_sel_neg_only_"
}

test_run_() {
	: >"$test_state_/cleanup"
	(
		test_in_body_=t
		trap test_body_exit_ EXIT
		trap 'exit 129' HUP
		trap 'exit 130' INT
		trap 'exit 143' TERM
		cd "$TRASH_DIRECTORY" || exit
		test_eval_
	) </dev/null
}

# test_start_ FUNCTION [PREREQ] TITLE BODY: count the test, parse the
# arguments; fails when the test is to be skipped (and says so)
test_start_() {
	test_fn_=$1
	shift
	test_prereq_=
	case $# in
	2) ;;
	3) test_prereq_=$1; shift ;;
	*) test_bug_ "usage: $test_fn_ [PREREQ] TITLE BODY" ;;
	esac
	test_title_=$1
	test_body_=$2
	test_count_=$((test_count_ + 1))
	case $test_title_ in
	*'#'*) test_title_=$(printf '%s\n' "$test_title_" | sed 's/#/\\#/g') ;;
	esac
	if ! test_selected_ "$test_count_"
	then
		printf 'ok %d # skip %s (--run)\n' "$test_count_" "$test_title_"
		test_skipped_=$((test_skipped_ + 1))
		return 1
	fi
	if test -n "$test_prereq_" && ! test_have_prereq "$test_prereq_"
	then
		printf 'ok %d # skip %s (missing %s)\n' "$test_count_" "$test_title_" "$test_missing_prereq_"
		test_skipped_=$((test_skipped_ + 1))
		return 1
	fi
	if test -n "$test_verbose_"
	then
		printf "expecting %s of %s.%d '%s':\n" "${test_fn_#test_expect_}" \
			"$test_name_" "$test_count_" "$test_title_" >&2
		printf '%s\n' "$test_body_" | sed '/^[[:space:]]*$/d' >&2
	fi
	return 0
}

test_run_captured_() {
	if test -n "$test_verbose_"
	then
		test_run_ >&2 2>&1
	else
		test_run_ >"$test_state_/out" 2>&1
	fi
}

# test_report_failure_ DIRECTIVE: the not ok line, the body, the output
test_report_failure_() {
	printf 'not ok %d - %s%s\n' "$test_count_" "$test_title_" "$1"
	printf '%s\n' "$test_body_" | sed -e '/^[[:space:]]*$/d' -e 's/^/#	/'
	if test -z "$test_verbose_" && test -s "$test_state_/out"
	then
		echo '# output:'
		sed 's/^/# /' "$test_state_/out"
	fi
}

test_expect_success() {
	test_start_ test_expect_success "$@" || return 0
	if test_run_captured_
	then
		printf 'ok %d - %s\n' "$test_count_" "$test_title_"
		return 0
	fi
	test_report_failure_ ''
	test_failures_=$((test_failures_ + 1))
	if test -n "$test_immediate_"
	then
		echo "$0: stopped at the first failure (-i)" >&2
		test_done
	fi
}

test_expect_failure() {
	test_start_ test_expect_failure "$@" || return 0
	if test_run_captured_
	then
		printf 'ok %d - %s # TODO known breakage vanished\n' "$test_count_" "$test_title_"
		test_fixed_=$((test_fixed_ + 1))
	else
		test_report_failure_ ' # TODO known breakage'
		test_broken_=$((test_broken_ + 1))
	fi
}

test_summary_() {
	test_extra_=
	test "$test_skipped_" = 0 || test_extra_="$test_extra_, $test_skipped_ skipped"
	test "$test_broken_" = 0 || test_extra_="$test_extra_, $test_broken_ known breakage(s)"
	test "$test_fixed_" = 0 || test_extra_="$test_extra_, $test_fixed_ known breakage(s) vanished"
	test -z "$test_extra_" || test_extra_=" (${test_extra_#, })"
}

test_done() {
	test_done_called_=t
	printf '1..%d\n' "$test_count_"
	test_summary_
	if test "$test_failures_" != 0
	then
		printf '# failed %d among %d test(s)%s\n' "$test_failures_" "$test_count_" "$test_extra_"
		printf '# replay the random inputs with BU_SEED=%s\n' "$BU_SEED"
		echo "$0: trash directory kept: $TRASH_DIRECTORY" >&2
		exit 1
	fi
	printf '# passed all %d test(s)%s\n' "$test_count_" "$test_extra_"
	if test -n "$test_debug_"
	then
		echo "$0: trash directory kept (-d): $TRASH_DIRECTORY" >&2
	elif ! test_remove_trash_
	then
		echo "$0: cannot remove $TRASH_DIRECTORY" >&2
	fi
	exit 0
}

test_skip_all() {
	test "$test_count_" = 0 || test_bug_ "test_skip_all after $test_count_ test(s)"
	test_done_called_=t
	printf '1..0 # SKIP %s\n' "$1"
	test_remove_trash_
	exit 0
}

# test_must_fail [env VAR=VAL...] CMD ARGS...: CMD fails the way a tool
# refuses bad input (1..125): not found, a signal or a sanitizer report
# (99, see ASAN_OPTIONS above) do not count
test_must_fail() {
	"$@"
	test_rc_=$?
	if test "$test_rc_" = 0
	then
		echo "test_must_fail: command succeeded: $*" >&2
	elif test "$test_rc_" = 99
	then
		echo "test_must_fail: sanitizer reported an error (exit 99): $*" >&2
	elif test "$test_rc_" = 126 || test "$test_rc_" = 127
	then
		echo "test_must_fail: command not found or not executable (exit $test_rc_): $*" >&2
	elif test "$test_rc_" -gt 128
	then
		echo "test_must_fail: killed by signal $((test_rc_ - 128)) (exit $test_rc_): $*" >&2
	elif test "$test_rc_" -gt 125
	then
		echo "test_must_fail: unexpected exit $test_rc_: $*" >&2
	else
		return 0
	fi
	return 1
}

# test_expect_code N CMD ARGS...: CMD exits with exactly N
test_expect_code() {
	test $# -ge 2 || test_bug_ "usage: test_expect_code N CMD [ARGS...]"
	test_want_=$1
	shift
	"$@"
	test_rc_=$?
	test "$test_rc_" = "$test_want_" && return 0
	test_why_=
	test "$test_rc_" != 99 || test_why_=' (a sanitizer report?)'
	echo "test_expect_code: expected exit $test_want_, got $test_rc_$test_why_: $*" >&2
	return 1
}

test_cmp() {
	test $# = 2 || test_bug_ "usage: test_cmp EXPECTED ACTUAL"
	diff -u "$1" "$2"
}

# test_line_count OP N FILE, OP one of = != -eq -ne -lt -le -gt -ge
test_line_count() {
	test $# = 3 || test_bug_ "usage: test_line_count OP N FILE"
	case $1 in
	=) test_op_=-eq ;;
	!=) test_op_=-ne ;;
	-eq|-ne|-lt|-le|-gt|-ge) test_op_=$1 ;;
	*) test_bug_ "test_line_count: bad operator $1" ;;
	esac
	case $2 in
	''|*[!0-9]*) test_bug_ "test_line_count: bad count $2" ;;
	esac
	if ! test -f "$3"
	then
		echo "test_line_count: $3 is not a file" >&2
		return 1
	fi
	test_n_=$(($(wc -l <"$3")))
	test "$test_n_" "$test_op_" "$2" && return 0
	echo "test_line_count: $3 has $test_n_ line(s), expected $1 $2:" >&2
	cat "$3" >&2
	return 1
}

# test_grep [-v|!] [GREP-OPTIONS] PATTERN FILE: -v (among the options) or a
# leading ! means no line matches; grep's own -v is not available
test_grep() {
	test_neg_=
	if test "${1-}" = '!'
	then
		test_neg_=t
		shift
	fi
	test_n_=$#
	test_opts_=t
	while test "$test_n_" -gt 0
	do
		test_a_=$1
		shift
		test_n_=$((test_n_ - 1))
		if test -n "$test_opts_"
		then
			case $test_a_ in
			-v) test_neg_=t; continue ;;
			--) test_opts_= ;;
			-e|-f)
				test "$test_n_" -gt 0 || test_bug_ "test_grep: $test_a_ needs an argument"
				set -- "$@" "$test_a_"
				test_a_=$1
				shift
				test_n_=$((test_n_ - 1))
				;;
			-?*) ;;
			*) test_opts_= ;;
			esac
		fi
		set -- "$@" "$test_a_"
	done
	test $# -ge 2 || test_bug_ "usage: test_grep [-v] [GREP-OPTIONS] PATTERN FILE"
	test_file_=
	eval "test_file_=\${$#}"
	if ! test -f "$test_file_"
	then
		echo "test_grep: $test_file_ is not a file" >&2
		return 1
	fi
	if test -z "$test_neg_"
	then
		grep "$@" && return 0
		echo "test_grep: no match for grep $* in $test_file_:" >&2
	else
		grep "$@" || return 0
		echo "test_grep: unexpected match (above) for grep $* in $test_file_:" >&2
	fi
	sed 's/^/| /' "$test_file_" >&2
	return 1
}

test_path_is_file() {
	test -f "$1" && return 0
	echo "test_path_is_file: $1 is not a file" >&2
	ls -ld "$1" >&2
	return 1
}

test_path_is_dir() {
	test -d "$1" && return 0
	echo "test_path_is_dir: $1 is not a directory" >&2
	ls -ld "$1" >&2
	return 1
}

test_path_is_missing() {
	! test -e "$1" && ! test -L "$1" && return 0
	echo "test_path_is_missing: $1 exists" >&2
	ls -ld "$1" >&2
	return 1
}

test_must_be_empty() {
	test_path_is_file "$1" || return 1
	test -s "$1" || return 0
	echo "test_must_be_empty: $1 is not empty:" >&2
	sed 's/^/| /' "$1" >&2
	return 1
}

test_set_sleep_() {
	if sleep 0.01 2>/dev/null
	then
		test_sleep_=0.02
		test_per_second_=50
	else
		test_sleep_=1
		test_per_second_=1
	fi
}

test_check_seconds_() {
	case $2 in
	''|*[!0-9]*) test_bug_ "$1: bad timeout $2" ;;
	esac
}

# test_poll_ SECONDS CONDITION: eval CONDITION until it holds or time is up;
# counting sleeps never stops early, the clock (read every ~0.5 s) stops a
# loaded machine from stretching the wait far beyond SECONDS
test_poll_() {
	test -n "$test_sleep_" || test_set_sleep_
	test_left_=$(($1 * test_per_second_))
	test_deadline_=$(($(date +%s) + $1 + 1))
	until eval "$2"
	do
		test "$test_left_" -gt 0 || return 1
		if test $((test_left_ % 25)) = 0 && test "$(date +%s)" -ge "$test_deadline_"
		then
			return 1
		fi
		sleep "$test_sleep_"
		test_left_=$((test_left_ - 1))
	done
}


# test_wait_until SECONDS CONDITION: poll CONDITION (eval) until it holds
test_wait_until() {
	test $# = 2 || test_bug_ "usage: test_wait_until SECONDS CONDITION"
	test_check_seconds_ test_wait_until "$1"
	test_poll_ "$1" "$2" && return 0
	echo "test_wait_until: still false after $1 s: $2" >&2
	return 1
}

# test_wait_for_file FILE [SECONDS]: wait (10 s by default) until FILE
# exists and is not empty
test_wait_for_file() {
	test $# = 1 || test $# = 2 || test_bug_ "usage: test_wait_for_file FILE [SECONDS]"
	test_check_seconds_ test_wait_for_file "${2:-10}"
	test_poll_ "${2:-10}" "test -s $(test_quote_ "$1")" && return 0
	echo "test_wait_for_file: $1 did not appear within ${2:-10} s" >&2
	return 1
}


# test_random BELOW and test_random_bytes N: replayable random input. Each
# call gives the next number in [0, BELOW), or N bytes, of the script's
# seed: BU_SEED if set, else a new one, printed when a test fails
test_random() {
	test $# = 1 || test_bug_ "usage: test_random BELOW"
	test-random -n "$1" "$(test_random_key_)"
}

test_random_bytes() {
	test $# = 1 || test_bug_ "usage: test_random_bytes N"
	test-random -c "$1" "$(test_random_key_)"
}

test_random_key_() {
	test_k_=0
	read -r test_k_ <"$test_state_/random" 2>/dev/null
	echo $((test_k_ + 1)) >"$test_state_/random"
	echo "$BU_SEED.$test_count_.$test_k_"
}

test_random_() {
	test_r_=$(od -An -N2 -tu2 /dev/urandom 2>/dev/null) &&
	test_r_=$((test_r_)) ||
	test_r_=$(($$ * 7919 + $(date +%s) * 104729 + test_try_))
}

# test_free_port: a TCP port nobody on this host uses now and that this
# script has not handed out yet; racy (another process may bind it before
# the test does), so tools under test should be able to pick their own
# port (port 0) and report it in a file
test_free_port() {
	test_lo_=20000
	test_hi_=60000
	if read -r test_a_ test_b_ 2>/dev/null </proc/sys/net/ipv4/ip_local_port_range &&
		test "$test_a_" -gt 21000 2>/dev/null
	then
		test_hi_=$((test_a_ - 1))
	fi
	test_try_=0
	while test "$test_try_" -lt 100
	do
		test_try_=$((test_try_ + 1))
		test_random_
		test_port_=$((test_lo_ + test_r_ % (test_hi_ - test_lo_ + 1)))
		! grep "^$test_port_\$" "$test_state_/ports" >/dev/null || continue
		test_hex_=$(printf ':%04X ' "$test_port_")
		if test -r /proc/net/tcp
		then
			! cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | grep "$test_hex_" >/dev/null || continue
		else
			! ss -Htan 2>/dev/null | grep ":$test_port_ " >/dev/null || continue
		fi
		echo "$test_port_" >>"$test_state_/ports"
		echo "$test_port_"
		return 0
	done
	echo "test_free_port: no free port found" >&2
	return 1
}

# test_tick: the clock moves on by one block spacing; in a test body, only
# for the rest of that body
test_tick() {
	BLOCKUTILS_NOW=$((BLOCKUTILS_NOW + 600))
	export BLOCKUTILS_NOW
}
