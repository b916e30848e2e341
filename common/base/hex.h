/* hex.h: lower-case hex digits to bytes, many digits an instruction where the CPU allows */
#ifndef HEX_H
#define HEX_H

#include <stddef.h>

/*
 * Exactly 2*len lower-case hex digits at s to len bytes at out: 0, or -1
 * when any byte of s is not a digit (out is then unspecified). No branch
 * depends on the digits: one check of all of them at the end.
 */
int hex_decode(const char *s, unsigned char *out, size_t len);
/* The same by table, one byte at a time: what hex_decode falls back to. */
int hex_decode_table(const char *s, unsigned char *out, size_t len);
/* The AVX2 path alone; -2 when this CPU has no AVX2 (or it is not compiled in). */
int hex_decode_avx2(const char *s, unsigned char *out, size_t len);

#endif
