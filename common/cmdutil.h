/* cmdutil.h: what every command does the same way: usage errors, exits, stdout */
#ifndef CMDUTIL_H
#define CMDUTIL_H

#include <stdint.h>

#include "bu.h"

struct chain;

void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void opt_u64_or_exit(const char *name, const char *s, uint64_t min, uint64_t max,
    uint64_t *out);
int64_t now_or_exit(void);
/* Report e; its exit status, with BU_EXIT_NOTTIP mapped to nottip. */
int report_exit(const struct bu_err *e, int nottip);
void fatal(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
void print_summary(const struct chain *c);
/* Flush and close standard output: 0, or 3 with a message. */
int close_stdout(void);

#endif
