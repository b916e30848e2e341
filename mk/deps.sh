#!/bin/sh
# deps.sh build|test|fuzz: install what the build, the tests or the fuzz targets need, or say how
set -u
what=$1
missing=
have_header() {
	printf '#include <%s>\n' "$1" | ${CC:-cc} -E - >/dev/null 2>&1
}
case $what in
build)
	command -v ${CC:-cc} >/dev/null 2>&1 || missing="$missing gcc"
	have_header openssl/evp.h || missing="$missing libssl-dev"
	have_header zlib.h || missing="$missing zlib1g-dev"
	;;
test)
	command -v prove >/dev/null 2>&1 || missing="$missing perl"
	command -v mandoc >/dev/null 2>&1 || missing="$missing mandoc"
	;;
fuzz)
	if ! command -v "${FUZZ_CC:-clang}" >/dev/null 2>&1; then
		missing="$missing clang libclang-rt-dev"
	elif ! printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' |
		"${FUZZ_CC:-clang}" -fsanitize=fuzzer,address,undefined -x c -o /dev/null - >/dev/null 2>&1; then
		missing="$missing libclang-rt-dev"
	fi
	have_header openssl/evp.h || missing="$missing libssl-dev"
	have_header zlib.h || missing="$missing zlib1g-dev"
	;;
esac
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "deps: installing$missing" >&2
	DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null ||
	{ echo "deps: apt-get install$missing failed" >&2; exit 1; }
	exit 0
fi
if [ "$what" = test ] && [ "$missing" = " mandoc" ]; then
	echo "deps: mandoc missing; the man page lint test will be skipped (sudo apt-get install mandoc)" >&2
	exit 0
fi
echo "deps: missing$missing; run: sudo apt-get install$missing" >&2
exit 1
