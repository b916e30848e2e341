/* grind.h: double SHA-256 of 80-byte headers, over nonce ranges or in batches, per CPU kernel */
#ifndef GRIND_H
#define GRIND_H

#include <stddef.h>
#include <stdint.h>

/*
 * Everything that does not depend on the nonce, worked out once per job by
 * grind_prepare: the midstate of the first 64 bytes, the state after the
 * three rounds of the second block that precede the nonce word, the
 * nonce-free parts of its message schedule, and the target.
 */
struct grind_job {
	uint32_t mid[8];	/* state after the first 64 header bytes */
	uint32_t w[16];		/* second block: header words 16-18, word 3 (nonce) 0, padding */
	uint32_t st3[8];	/* state a..h after rounds 0-2 of the second block */
	uint32_t r3a, r3e;	/* a and e after round 3 are these plus word 3 */
	uint32_t w16, w17;	/* schedule words free of the nonce */
	uint32_t w18c, w19c;	/* w18 = w18c + s0(w3), w19 = w19c + w3 */
	uint32_t w31c, w32c;	/* s0(w16) + w15, s0(w17) + w16 */
	uint32_t target[8];	/* little-endian limbs, target[7] most significant */
};

struct grind_kernel {
	const char *name;		/* "sha-ni", "avx512", "avx2", "c" */
	int (*supported)(void);		/* 1 if this CPU and OS can run it */
	/*
	 * Try count nonces first, first+step, ... (mod 2^32). Return 1 and set
	 * *found to the first of them, in that order, whose hash <= target,
	 * else 0. count is 1..2^32-1.
	 */
	int (*scan)(const struct grind_job *, uint32_t first, uint32_t step,
	    uint32_t count, uint32_t *found);
	/*
	 * The double SHA-256 of n headers, 80 bytes each one after another at
	 * hdr, into out (32 bytes each, in hash byte order), lanes at a time;
	 * any n (a short last group fills its lanes with the first header).
	 */
	void (*hash80)(const unsigned char *hdr, size_t n, unsigned char *out);
	/*
	 * n rounds of compressing lanes blocks side by side, with nothing
	 * loaded or stored between them: its rate is the kernel's lane limit,
	 * what its rounds allow (benchmarks). out gets a word of the result.
	 */
	void (*compress_n)(uint64_t n, uint32_t *out);
	unsigned lanes;		/* headers hashed side by side */
};

/*
 * header: the 80 header bytes (its nonce field is ignored). target: 256 bits,
 * little-endian (byte 31 most significant), as Bitcoin compares the hash.
 */
void grind_prepare(struct grind_job *, const unsigned char header[80],
    const unsigned char target[32]);
/* NULL-terminated: the compiled-in kernels, best first. */
const struct grind_kernel *const *grind_kernels(void);
/* By name; NULL if unknown. */
const struct grind_kernel *grind_find(const char *name);
/*
 * The best kernel this CPU supports; if BLOCKUTILS_KERNEL is set, that one,
 * or NULL when it is unknown or unsupported here.
 */
const struct grind_kernel *grind_best(void);
/*
 * For hashing headers, where every kernel gives the same digests: the best
 * one, or the portable one when BLOCKUTILS_KERNEL names none this CPU runs.
 */
const struct grind_kernel *grind_hasher(void);

#endif
