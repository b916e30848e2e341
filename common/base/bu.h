/* bu.h: errors, exit codes and small helpers shared by every module */
#ifndef BU_H
#define BU_H

#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>

enum {
	BU_EXIT_OK = 0,
	BU_EXIT_INVALID = 1,
	BU_EXIT_USAGE = 2,
	BU_EXIT_SYSTEM = 3,
	BU_EXIT_NOTTIP = 4,
	BU_EXIT_GAVEUP = 5,
};

/*
 * What kind of failure an error is: what callers branch on. The reason
 * word is the SPEC's name for people and peers; bu_fail derives the class
 * from the exit code and the few reason words that need their own class.
 */
enum bu_class {
	BU_C_NONE = 0,
	BU_C_SYSTEM,		/* memory, threads, crypto, the network: not the input */
	BU_C_IO,		/* reading or writing a file failed (reason io) */
	BU_C_USAGE,		/* the command line */
	BU_C_MALFORMED,		/* not a well-formed record or message (bad-syntax) */
	BU_C_INVALID,		/* well formed, and breaks a rule */
	BU_C_FORGED,		/* a signature that does not verify (bad-txns-sig) */
	BU_C_LATER,		/* not acceptable yet: ahead of the clock (time-too-new) */
	BU_C_NOTTIP,		/* does not follow the block before it (bad-prevblk) */
	BU_C_DUPLICATE,		/* in the chain already (duplicate) */
	BU_C_TRUNCATED,		/* the last line of a file has no newline (truncated) */
	BU_C_GAVEUP		/* a search ran out (mine) */
};

/* The longest path a tool takes (Linux PATH_MAX), and a buffer for one with a suffix (.state.key, .tmp). */
#define BU_PATHMAX 4096
#define BU_PATHBUF (BU_PATHMAX + 32)

/*
 * An error as the library reports it: a stable reason word in Bitcoin
 * Core's manner ("high-hash", "bad-diffbits", ...), a sentence for people,
 * and the exit status a command should give for it.
 */
struct bu_err {
	int code;		/* one of BU_EXIT_* */
	enum bu_class cls;
	char reason[40];
	char msg[256];
	const char *file;	/* where, when the error is about a record */
	uint64_t line;		/* 0: none */
	int64_t height;		/* -1: none */
};

/* Fill e (if not NULL) and return -1, so library code can `return bu_fail(...)`. */
int bu_fail(struct bu_err *e, int code, const char *reason, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* bu_fail with the arguments of the message as a va_list, for other variadic helpers. */
int bu_vfail(struct bu_err *e, int code, const char *reason, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
void bu_err_clear(struct bu_err *e);
/* The class of an error with this exit code and reason word. */
enum bu_class bu_class_of(int code, const char *reason);
/* The program name for messages; set once from main. */
extern const char *bu_progname;
void bu_setprogname(const char *argv0);
/* "prog: file:line: reason: height N: msg" on standard error. */
void bu_report(const struct bu_err *e);

/* Strict canonical decimal: no sign, no leading zero, fits max. 0 or -1. */
int bu_parse_u64(const char *s, size_t n, uint64_t max, uint64_t *out);
/* Lower-case hex of exactly 2*len digits into bytes. 0 or -1. */
int bu_unhex(const char *s, size_t n, unsigned char *out, size_t len);
void bu_hex(char *out, const unsigned char *in, size_t len);	/* writes 2*len + NUL */
/* Display order (reversed) for hashes. */
int bu_unhex_rev(const char *s, size_t n, unsigned char out[32]);
void bu_hex_rev(char out[65], const unsigned char in[32]);

/* Whether a and b hold the same n bytes, in time that does not depend on where they differ. */
int bu_equal_ct(const void *a, const void *b, size_t n);

/* Write all of buf, looping on short writes and EINTR. 0 or -1 (errno). */
int bu_write_all(int fd, const void *buf, size_t n);

/* The clock: BLOCKUTILS_NOW when set (seconds), else time(). -1 if malformed. */
int64_t bu_now(void);

/* Option numbers: strict decimal in [min, max]; 0 or -1 with e filled. */
int bu_opt_u64(const char *name, const char *s, uint64_t min, uint64_t max,
    uint64_t *out, struct bu_err *e);

void *bu_xmalloc_or_null(size_t n);

#endif
