#!/bin/sh
# 40-grind.sh: mining kernel speeds, one thread and all cores, against OpenSSL's SHA-256
set -eu
: "${BU_BUILD:?run through make bench}"
echo "== grind kernels (MH/s = million double hashes of an 80-byte header per second)"
echo "   scaling = MH/s all / (threads x MH/s 1t); got = CPU share the threads had (1.00: idle cores);"
echo "   last column = all-thread hashes per CPU-second / one thread's (scaling with the machine's noise taken out)"
"$BU_BUILD/t/bench-grind" -t "${BU_BENCH_SECONDS:-1.5}"
