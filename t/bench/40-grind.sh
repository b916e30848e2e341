#!/bin/sh
# 40-grind.sh: each mining kernel beside its own lane limit, one thread and every core
set -eu
: "${BU_BUILD:?run through make bench}"
echo "== grind kernels: mining (MH/s = million double hashes of an 80-byte header per second)"
echo "   beside each kernel's lane limit: its compressions run side by side with nothing else"
echo "   to do, two a nonce; a kernel skips a few rounds of the two, so it may pass 1.00"
"$BU_BUILD/t/bench-grind" -t "${BU_BENCH_SECONDS:-1.5}"
