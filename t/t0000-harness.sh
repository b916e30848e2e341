#!/bin/sh
test_description='the test harness: TAP, assertions, cleanups, prerequisites, waits'

. ./test-lib.sh

# run_sub_test STATUS NAME [OPTION...] <SCRIPT: write SCRIPT to NAME.sh and
# run it with its trash directory in this one; NAME.out and NAME.err get its
# standard output and error; fails unless it exits with STATUS
run_sub_test() {
	sub_status=$1
	sub_name=$2
	shift 2
	cat >"$sub_name.sh" || return 1
	sh "./$sub_name.sh" --root="$PWD" "$@" >"$sub_name.out" 2>"$sub_name.err"
	sub_rc=$?
	test "$sub_rc" = "$sub_status" && return 0
	echo "run_sub_test: $sub_name exited with $sub_rc, expected $sub_status" >&2
	sed 's/^/out: /' "$sub_name.out" >&2
	sed 's/^/err: /' "$sub_name.err" >&2
	return 1
}

# tap_lines NAME: the sub test's TAP output without comments, in NAME.tap
tap_lines() {
	sed '/^#/d' "$1.out" >"$1.tap"
}

# process_gone PID: PID has exited (a zombie nobody reaped counts as gone)
process_gone() {
	kill -0 "$1" 2>/dev/null || return 0
	read -r sub_stat <"/proc/$1/stat" || return 0
	case $sub_stat in
	*") Z "*) return 0 ;;
	esac
	return 1
}

test_expect_success 'tests run in a fresh trash directory with a fixed environment' '
	test "$PWD" = "$TRASH_DIRECTORY" &&
	case $TRASH_DIRECTORY in */trash.t0000-harness) ;; *) false ;; esac &&
	test "$HOME" = "$TRASH_DIRECTORY" &&
	test -z "$(ls -A)" &&
	test -f "$TEST_DIRECTORY/test-lib.sh" &&
	test "$BLOCKUTILS_NOW" = 1700000000 &&
	test "$LC_ALL" = C &&
	test "$TZ" = UTC &&
	case $BU_BUILD in /*) ;; *) false ;; esac &&
	case $PATH in "$BU_BUILD/bin:$BU_BUILD/t:"*) ;; *) false ;; esac &&
	case :$ASAN_OPTIONS: in *:exitcode=99:*) ;; *) false ;; esac &&
	case :$UBSAN_OPTIONS: in *:halt_on_error=1:*) ;; *) false ;; esac &&
	case :$UBSAN_OPTIONS: in *:exitcode=99:*) ;; *) false ;; esac
'

test_expect_success 'the caller cannot leak BLOCKUTILS_* into tests; sanitizer options are kept' '
	BLOCKUTILS_KERNEL=avx2 &&
	BLOCKUTILS_NOW=5 &&
	BLOCKUTILS_OTHER=x &&
	ASAN_OPTIONS=detect_leaks=1 &&
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 &&
	export BLOCKUTILS_KERNEL BLOCKUTILS_NOW BLOCKUTILS_OTHER ASAN_OPTIONS UBSAN_OPTIONS &&
	run_sub_test 0 env <<-\EOF &&
	. "$TEST_DIRECTORY/test-lib.sh"
	test_expect_success "show the environment" "
		env | sed -n /^BLOCKUTILS_/p >../env-seen &&
		echo \$ASAN_OPTIONS >>../env-seen &&
		echo \$UBSAN_OPTIONS >>../env-seen
	"
	test_done
	EOF
	cat >expect <<-\EOF &&
	BLOCKUTILS_NOW=1700000000
	detect_leaks=1:exitcode=99
	print_stacktrace=1:halt_on_error=1:exitcode=99
	EOF
	test_cmp expect env-seen
'

test_expect_success 'BU_BUILD defaults to ../build and is made absolute' '
	unset BU_BUILD &&
	run_sub_test 0 build-default <<-\EOF &&
	. "$TEST_DIRECTORY/test-lib.sh"
	echo "$BU_BUILD" >../build.out
	test_done
	EOF
	mkdir relative &&
	BU_BUILD=relative &&
	export BU_BUILD &&
	run_sub_test 0 build-relative <<-\EOF &&
	. "$TEST_DIRECTORY/test-lib.sh"
	echo "$BU_BUILD" >>../build.out
	test_done
	EOF
	printf "%s\n" "${TEST_DIRECTORY%/*}/build" "$PWD/relative" >expect &&
	test_cmp expect build.out
'

test_expect_success 'a cd or a variable set in one test does not leak' '
	mkdir sub &&
	cd sub &&
	leaked=yes
'

test_expect_success 'a cd or a variable set in one test does not leak (check)' '
	test "$PWD" = "$TRASH_DIRECTORY" &&
	test -z "${leaked-}"
'

test_expect_success 'test_must_fail accepts the failures of a tool (1..125 but 99)' '
	test_must_fail false &&
	test_must_fail sh -c "exit 1" &&
	test_must_fail sh -c "exit 5" &&
	test_must_fail sh -c "exit 125" &&
	test_must_fail env BU_X=2 sh -c "exit \$BU_X"
'

test_expect_success 'test_must_fail rejects success' '
	! test_must_fail true 2>err &&
	test_grep "command succeeded: true" err
'

test_expect_success 'test_must_fail rejects a command not found (126, 127)' '
	! test_must_fail bu-no-such-command 2>err &&
	test_grep "not found or not executable (exit 127)" err &&
	! test_must_fail env BU_X=1 bu-no-such-command 2>err &&
	test_grep "exit 127" err &&
	! test_must_fail sh -c "exit 126" 2>err &&
	test_grep "exit 126" err
'

test_expect_success 'test_must_fail rejects a death by signal' '
	! test_must_fail sh -c "kill -9 \$\$" 2>err &&
	test_grep "killed by signal 9" err &&
	! test_must_fail sh -c "kill -ABRT \$\$" 2>err &&
	test_grep "killed by signal 6" err
'

test_expect_success 'test_must_fail rejects a sanitizer report (99)' '
	! test_must_fail sh -c "exit 99" 2>err &&
	test_grep "sanitizer reported an error" err
'

test_expect_success 'test_expect_code wants exactly its code' '
	test_expect_code 0 true &&
	test_expect_code 1 false &&
	test_expect_code 3 sh -c "exit 3" &&
	! test_expect_code 3 sh -c "exit 4" 2>err &&
	test_grep "expected exit 3, got 4" err &&
	! test_expect_code 1 true 2>err &&
	test_grep "expected exit 1, got 0" err &&
	! test_expect_code 1 sh -c "exit 99" 2>err &&
	test_grep "sanitizer" err
'

test_expect_success 'test_cmp passes on equal files and shows a difference' '
	printf "a\nb\n" >one &&
	printf "a\nc\n" >two &&
	cp one same &&
	test_cmp one same >out &&
	test_must_be_empty out &&
	! test_cmp one two >out &&
	test_grep "^-b" out &&
	test_grep "^+c" out &&
	! test_cmp one missing 2>/dev/null
'

test_expect_success 'test_line_count' '
	printf "1\n2\n3\n" >three &&
	: >none &&
	test_line_count = 3 three &&
	test_line_count = 0 none &&
	test_line_count -gt 2 three &&
	test_line_count -lt 4 three &&
	test_line_count -ge 3 three &&
	! test_line_count -gt 3 three 2>err &&
	! test_line_count = 2 three 2>err &&
	test_grep "has 3 line(s), expected = 2" err &&
	! test_line_count = 0 missing 2>err
'

test_expect_success 'test_grep, and its -v meaning no line matches' '
	printf "alpha\nbeta\n" >words &&
	test_grep beta words &&
	test_grep -E "^(x|a)lp" words &&
	test_grep -e beta words &&
	test_grep -v gamma words &&
	test_grep ! gamma words &&
	test_grep -i -v GAMMA words &&
	! test_grep -v beta words 2>err &&
	test_grep "unexpected match" err &&
	! test_grep -E -v "^b" words &&
	! test_grep gamma words 2>err &&
	test_grep "^| alpha" err &&
	! test_grep alpha missing 2>err &&
	test_grep "is not a file" err
'

test_expect_success 'test_path_is_file, _is_dir, _is_missing, test_must_be_empty' '
	echo x >file &&
	: >empty &&
	mkdir dir &&
	ln -s nowhere dangling &&
	test_path_is_file file &&
	! test_path_is_file dir 2>err &&
	! test_path_is_file missing 2>err &&
	test_path_is_dir dir &&
	! test_path_is_dir file 2>err &&
	test_path_is_missing missing &&
	! test_path_is_missing file 2>err &&
	! test_path_is_missing dangling 2>err &&
	test_must_be_empty empty &&
	! test_must_be_empty file 2>err &&
	! test_must_be_empty missing 2>err
'

test_expect_success 'test_tick moves the clock by 600 s' '
	test_tick &&
	test "$BLOCKUTILS_NOW" = 1700000600 &&
	test_tick &&
	test "$BLOCKUTILS_NOW" = 1700001200
'

test_expect_success 'test_when_finished: last in, first out, with the body variables' '
	mkdir cleanup-dir &&
	cd cleanup-dir &&
	test_when_finished "echo 1 >>../order" &&
	test_when_finished "echo 2 >>../order" &&
	late=3 &&
	test_when_finished "echo \$late >>../order" &&
	test_when_finished "rm here" &&
	: >here
'

test_expect_success 'test_when_finished: last in, first out, with the body variables (check)' '
	printf "3\n2\n1\n" >expect &&
	test_cmp expect order &&
	test_path_is_missing cleanup-dir/here
'

test_expect_success 'a failing body shows its output; cleanups run; cleanup failures fail' '
	run_sub_test 1 cleanup <<-\EOF &&
	. "$TEST_DIRECTORY/test-lib.sh"
	test_expect_success "a failure" "
		test_when_finished \"echo ran >../cleanup-ran\" &&
		echo out-of-body &&
		echo err-of-body >&2 &&
		false
	"
	test_expect_success "a failing cleanup" "
		test_when_finished false
	"
	test_expect_success "a quiet pass" "
		echo unseen && echo unseen >&2
	"
	test_done
	EOF
	tap_lines cleanup &&
	cat >expect <<-\EOF &&
	not ok 1 - a failure
	not ok 2 - a failing cleanup
	ok 3 - a quiet pass
	1..3
	EOF
	test_cmp expect cleanup.tap &&
	test_path_is_file cleanup-ran &&
	test_grep "^# out-of-body$" cleanup.out &&
	test_grep "^# err-of-body$" cleanup.out &&
	test_grep "^# test_when_finished: cleanup failed (status 1): false$" cleanup.out &&
	test_grep "^# failed 2 among 3 test(s)$" cleanup.out &&
	test_grep -v unseen cleanup.out &&
	test_grep -v unseen cleanup.err &&
	test_grep "trash directory kept" cleanup.err &&
	test_path_is_dir trash.cleanup
'

test_expect_success 'test_when_finished stops a background process' '
	run_sub_test 0 daemon <<-\EOF &&
	. "$TEST_DIRECTORY/test-lib.sh"
	test_expect_success "start two and leave" "
		{ sleep 300 & } &&
		early=\$! &&
		{ sleep 300 & } &&
		late=\$! &&
		echo \$early \$late >../daemon.pids &&
		test_when_finished \"kill \$early\" &&
		test_when_finished \"kill \\\$late\"
	"
	test_done
	EOF
	read -r early late <daemon.pids &&
	test_wait_until 5 "process_gone $early" &&
	test_wait_until 5 "process_gone $late" &&
	test_path_is_missing trash.daemon
'

test_expect_success 'verbose mode shows the body output' '
	test_expect_code 1 sh ./cleanup.sh --root="$PWD" -v >verbose.out 2>verbose.err &&
	test_grep "^unseen$" verbose.err &&
	test_grep "^out-of-body$" verbose.err &&
	test_grep "^expecting success of cleanup.1 .a failure.:$" verbose.err &&
	test_grep -v "^# out-of-body" verbose.out
'

test_expect_success 'a prerequisite that is not met skips the test and says which' '
	run_sub_test 0 prereq <<-\EOF &&
	. "$TEST_DIRECTORY/test-lib.sh"
	test_set_prereq HAVE
	test_expect_success HAVE "runs with HAVE" "true"
	test_expect_success MISSING "needs MISSING" "false"
	test_expect_success HAVE,!HAVE,OTHER "needs too much" "false"
	test_expect_success !MISSING "runs without MISSING" "test_have_prereq HAVE"
	test_done
	EOF
	tap_lines prereq &&
	cat >expect <<-\EOF &&
	ok 1 - runs with HAVE
	ok 2 # skip needs MISSING (missing MISSING)
	ok 3 # skip needs too much (missing !HAVE,OTHER)
	ok 4 - runs without MISSING
	1..4
	EOF
	test_cmp expect prereq.tap &&
	test_grep "^# passed all 4 test(s) (2 skipped)$" prereq.out &&
	test_path_is_missing trash.prereq
'

test_expect_success 'built-in prerequisites' '
	if test "$(id -u)" = 0
	then
		test_have_prereq ROOT
	else
		! test_have_prereq ROOT
	fi &&
	if command -v mandoc >/dev/null
	then
		test_have_prereq MANDOC
	else
		! test_have_prereq MANDOC
	fi &&
	BU_SANITIZED=1 BU_TEST_EXPENSIVE=1 &&
	export BU_SANITIZED BU_TEST_EXPENSIVE &&
	run_sub_test 0 builtin-prereqs <<-\EOF &&
	. "$TEST_DIRECTORY/test-lib.sh"
	test_expect_success SANITIZED,EXPENSIVE "both" "true"
	test_done
	EOF
	BU_SANITIZED= BU_TEST_EXPENSIVE= &&
	run_sub_test 0 no-builtin-prereqs <<-\EOF &&
	. "$TEST_DIRECTORY/test-lib.sh"
	test_expect_success !SANITIZED,!EXPENSIVE "neither" "true"
	test_done
	EOF
	test_grep "^ok 1 - both$" builtin-prereqs.out &&
	test_grep "^ok 1 - neither$" no-builtin-prereqs.out
'

test_expect_success 'known breakages are TODO and do not fail the script' '
	run_sub_test 0 todo <<-\EOF &&
	. "$TEST_DIRECTORY/test-lib.sh"
	test_expect_failure "still broken" "false"
	test_expect_failure "fixed" "true"
	test_done
	EOF
	tap_lines todo &&
	cat >expect <<-\EOF &&
	not ok 1 - still broken # TODO known breakage
	ok 2 - fixed # TODO known breakage vanished
	1..2
	EOF
	test_cmp expect todo.tap
'

test_expect_success 'a # in a title is escaped for TAP' '
	run_sub_test 0 hash <<-\EOF &&
	. "$TEST_DIRECTORY/test-lib.sh"
	test_expect_success "issue #12 # SKIP not really" "true"
	test_done
	EOF
	test_grep "^ok 1 - issue \\\\#12 \\\\# SKIP not really$" hash.out
'

test_expect_success '-i stops at the first failure' '
	run_sub_test 1 immediate -i <<-\EOF &&
	. "$TEST_DIRECTORY/test-lib.sh"
	test_expect_success "first" "false"
	test_expect_success "second" "false"
	test_done
	EOF
	tap_lines immediate &&
	printf "not ok 1 - first\n1..1\n" >expect &&
	test_cmp expect immediate.tap
'

test_expect_success '--run takes numbers and ranges, ! leaves tests out; the others are skipped' '
	cat >select.sh <<-\EOF &&
	. "$TEST_DIRECTORY/test-lib.sh"
	for i in 1 2 3 4 5 6
	do
		test_expect_success "t$i" "echo $i >>../ran"
	done
	test_done
	EOF
	for sel in 1,3-4 "!2-5" "2- !6" -2; do
		rm -f ran &&
		sh ./select.sh --root="$PWD" --run="$sel" >out 2>err &&
		tr "\n" " " <ran >"ran.$sel" &&
		grep -c "# skip t[0-9] (--run)" out >"skipped.$sel" || return 1
	done &&
	printf "1 3 4 " >expect && test_cmp expect ran.1,3-4 &&
	printf "1 6 " >expect && test_cmp expect "ran.!2-5" &&
	printf "2 3 4 5 " >expect && test_cmp expect "ran.2- !6" &&
	printf "1 2 " >expect && test_cmp expect ran.-2 &&
	echo 3 >expect && test_cmp expect skipped.1,3-4 &&
	echo 4 >expect && test_cmp expect skipped.-2 &&
	test_expect_code 1 sh ./select.sh --root="$PWD" --run=a-b 2>err &&
	test_grep "is not a number or a range" err
'

test_expect_success '-x traces the commands of a body; a failing body shows the trace' '
	run_sub_test 1 trace -x <<-\EOF &&
	. "$TEST_DIRECTORY/test-lib.sh"
	test_expect_success "traced" "v=visible-word && test \$v = other"
	test_done
	EOF
	test_grep "^# + v=visible-word" trace.out &&
	test_grep "^# + test visible-word = other" trace.out
'

test_expect_success '--stress=N runs a script N times; it stops at the first failing run and keeps its output' '
	run_sub_test 0 steady --stress=4 <<-\EOF &&
	. "$TEST_DIRECTORY/test-lib.sh"
	test_expect_success "steady" "echo run >>../steady.count"
	test_done
	EOF
	test_line_count = 4 steady.count &&
	test_grep "^stress: all 4 runs passed" steady.out &&
	test_path_is_missing steady.stress-out &&
	run_sub_test 1 flaky --stress=10 <<-\EOF &&
	. "$TEST_DIRECTORY/test-lib.sh"
	test_expect_success "fails on the third run" "
		echo run >>../flaky.count &&
		test \$(wc -l <../flaky.count) -lt 3
	"
	test_done
	EOF
	test_line_count = 3 flaky.count &&
	test_grep "^stress: run 2 of 10 passed" flaky.out &&
	test_grep "^not ok 1 - fails on the third run" flaky.out &&
	test_grep "stress: run 3 of 10 failed" flaky.err &&
	test_grep "^not ok 1" flaky.stress-out &&
	test_path_is_dir trash.flaky &&
	test_expect_code 1 sh ./flaky.sh --root="$PWD" --stress=x 2>err &&
	test_grep "wants a count of runs" err
'

test_expect_success 'test_random and test_random_bytes replay with BU_SEED; a failure prints the seed' '
	cat >rnd.sh <<-\EOF &&
	. "$TEST_DIRECTORY/test-lib.sh"
	test_expect_success "draw" "
		{ test_random 1000000 && test_random 1000000; } >>../draws &&
		test_random_bytes 64 | od -An -tx1 >>../draws
	"
	test_expect_success "fails" "false"
	test_done
	EOF
	BU_SEED=42 && export BU_SEED &&
	test_expect_code 1 sh ./rnd.sh --root="$PWD" >out1 && mv draws d1 &&
	test_expect_code 1 sh ./rnd.sh --root="$PWD" >out2 && mv draws d2 &&
	test_cmp d1 d2 &&
	test_grep "^# replay the random inputs with BU_SEED=42\$" out1 &&
	head -n 2 d1 >nums && test "$(sort -u nums | wc -l)" = 2 &&
	BU_SEED=43 && test_expect_code 1 sh ./rnd.sh --root="$PWD" >out3 && mv draws d3 &&
	! cmp -s d1 d3 &&
	unset BU_SEED &&
	test_expect_code 1 sh ./rnd.sh --root="$PWD" >out4 &&
	test_grep "^# replay the random inputs with BU_SEED=[0-9][0-9]*\$" out4 &&
	BU_SEED=x && export BU_SEED && test_expect_code 1 sh ./rnd.sh --root="$PWD" 2>err &&
	test_grep "BU_SEED must be a decimal number" err
'

test_expect_success 'skip_all and test_skip_all' '
	run_sub_test 0 skip-all <<-\EOF &&
	skip_all="no frobnicator"
	. "$TEST_DIRECTORY/test-lib.sh"
	test_expect_success "never" "false"
	EOF
	echo "1..0 # SKIP no frobnicator" >expect &&
	test_cmp expect skip-all.out &&
	test_path_is_missing trash.skip-all &&
	run_sub_test 0 skip-later <<-\EOF &&
	. "$TEST_DIRECTORY/test-lib.sh"
	test_skip_all "no widget"
	EOF
	echo "1..0 # SKIP no widget" >expect &&
	test_cmp expect skip-later.out &&
	test_path_is_missing trash.skip-later
'

test_expect_success 'a script that ends without test_done fails' '
	run_sub_test 1 no-done <<-\EOF &&
	. "$TEST_DIRECTORY/test-lib.sh"
	test_expect_success "fine" "true"
	EOF
	test_grep "before test_done" no-done.err
'

test_expect_success 'misuse of the API is reported' '
	run_sub_test 1 misuse <<-\EOF &&
	. "$TEST_DIRECTORY/test-lib.sh"
	test_expect_success "no body"
	test_done
	EOF
	test_grep "bug in the test script: usage: test_expect_success" misuse.err
'

test_expect_success 'test_wait_for_file gives up after its timeout' '
	start=$(date +%s) &&
	! test_wait_for_file never 1 2>err &&
	end=$(date +%s) &&
	test_grep "never did not appear within 1 s" err &&
	test $((end - start)) -ge 1 &&
	test $((end - start)) -lt 10 &&
	: >empty &&
	! test_wait_for_file empty 1 2>err
'

test_expect_success 'test_wait_for_file returns once the file appears' '
	{ sleep 0.2 && echo 4242 >port.tmp && mv port.tmp port; } &
	writer=$! &&
	test_wait_for_file port &&
	wait $writer &&
	echo 4242 >expect &&
	test_cmp expect port
'

test_expect_success 'test_wait_until' '
	test_wait_until 1 true &&
	! test_wait_until 1 false 2>err &&
	test_grep "still false after 1 s: false" err &&
	{ sleep 0.2 && mkdir made; } &
	test_wait_until 10 "test -d made" &&
	wait
'

test_expect_success 'test_free_port hands out distinct unused ports' '
	p=$(test_free_port) &&
	q=$(test_free_port) &&
	test "$p" -ge 20000 &&
	test "$p" -le 60000 &&
	test "$q" -ge 20000 &&
	test "$p" != "$q" &&
	hex=$(printf ":%04X " "$p") &&
	! grep "$hex" /proc/net/tcp /proc/net/tcp6 2>/dev/null
'

test_done
