/* cmdutil.c: exits and messages shared by the commands (never used by library code) */
#include "cmdutil.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btc.h"
#include "chain.h"
#include "state.h"

static void __attribute__((noreturn, format(printf, 2, 0)))
vdie(int status, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", bu_progname);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	exit(status);
}

void
cmd_init(char *argv[])
{
	bu_setprogname(argv[0] != NULL ? argv[0] : "blockutils");
	if (argv[0] != NULL)
		argv[0] = (char *)bu_progname;
}

void
print_version(void)
{
	printf("%s (blockutils) %s\n", bu_progname, BU_VERSION);
	exit(close_stdout());
}

void
usage_why(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", bu_progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdie(BU_EXIT_USAGE, fmt, ap);
}

void
fatal(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdie(status, fmt, ap);
}

void
opt_u64_or_exit(const char *name, const char *s, uint64_t min, uint64_t max,
    uint64_t *out)
{
	struct bu_err e;

	if (bu_opt_u64(name, s, min, max, out, &e) != 0)
		usage_error("%s", e.msg);
}

int64_t
now_or_exit(void)
{
	int64_t now = bu_now();

	if (now < 0)
		usage_error("BLOCKUTILS_NOW is not a number of seconds");
	return now;
}

void
chain_net_or_exit(struct chain_opts *o, const char *name)
{
	if ((o->net = btc_net_byname(name)) == NULL)
		usage_error("unknown chain '%s' (bitcoin and regtest are built in)", name);
	o->bitcoin = 1;
}

void
chain_from_or_exit(struct chain_opts *o, const char *height)
{
	uint64_t v;

	opt_u64_or_exit("--from", height, 0, UINT32_MAX, &v);
	o->sliced = 1;
	o->start_height = (uint32_t)v;
}

void
chain_opts_check(const struct chain_opts *o)
{
	if (o->sliced && !o->bitcoin)
		usage_error("--from needs --chain (a chain of our own starts at its genesis)");
}

int
report_exit(const struct bu_err *e, int nottip)
{
	bu_report(e);
	if (e->code == BU_EXIT_NOTTIP)
		return nottip;
	return e->code ? e->code : BU_EXIT_INVALID;
}

void
chain_load_or_exit(struct chain *c, const char *path)
{
	struct chain_opts o = { 0 };
	struct bu_err e;

	o.now = now_or_exit();
	chain_init(c, &o);
	if (chain_load(c, path, &e) != 0)
		exit(report_exit(&e, BU_EXIT_INVALID));
	if (c->empty)
		fatal(BU_EXIT_INVALID, "'%s': the chain has no blocks", path);
}

void
print_summary(const struct chain *c)
{
	char tip[65], work[65];
	uint32_t f = 0;

	bu_hex_rev(tip, c->tip);
	u256_hex(work, &c->work);
	printf("ok height=%lu hash=%s work=%s txs=%llu", (unsigned long)c->height, tip, work,
	    (unsigned long long)c->ntx);
	/* SPEC section 7: the genesis is final from the start; -H reads no final record */
	if (chain_permissioned(c) && !c->o.headers_only) {
		chain_final_height(c, &f);
		printf(" final=%lu", (unsigned long)f);
	}
	printf(" chain=%s\n", c->idhex);
}

int
close_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		fprintf(stderr, "%s: standard output: %s\n", bu_progname, strerror(errno));
		return BU_EXIT_SYSTEM;
	}
	return 0;
}
