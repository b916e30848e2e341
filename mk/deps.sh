#!/bin/sh
# deps.sh build|test: install what the build or the tests need, or say how
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
