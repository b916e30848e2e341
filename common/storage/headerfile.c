/* headerfile.c: write a chain's headers as it is walked */
#include "headerfile.h"

#include <errno.h>
#include <string.h>

#include "chainfile.h"

struct writer {
	const struct chain *c;
	FILE *out;
};

static int
each_block(void *arg, const struct block *b, const char *line, size_t len,
    const struct lines *r)
{
	struct writer *w = arg;
	unsigned char raw[80];
	char hex[162];

	(void)r;
	if (!w->c->o.bitcoin && !b->raw && w->c->height == 0 && !w->c->o.sliced) {
		fwrite(line, 1, len, w->out);
		fputc('\n', w->out);
	} else {
		header_bytes(raw, &b->h);
		bu_hex(hex, raw, 80);
		hex[160] = '\n';
		fwrite(hex, 1, 161, w->out);
	}
	return ferror(w->out) ? 1 : 0;
}

int
headerfile_write(const struct chain_opts *o, const char *path, FILE *out,
    struct bu_err *e)
{
	struct writer w;
	struct chain c;
	int rc;

	chain_init(&c, o);
	w.c = &c;
	w.out = out;
	rc = chain_walk(&c, path, each_block, &w, e);
	if (rc > 0)
		rc = bu_fail(e, BU_EXIT_SYSTEM, "io", "standard output: %s", strerror(errno));
	else if (rc == 0 && c.empty)
		rc = bu_fail(e, BU_EXIT_INVALID, "bad-syntax", "'%s': the chain has no blocks", path);
	chain_free(&c);
	return rc;
}
