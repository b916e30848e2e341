/* chainfile.c: stream a chain file through chain_accept */
#include "chainfile.h"

#include <string.h>

#include "btc.h"

size_t
chain_line_limit(const struct chain *c)
{
	if (c->o.bitcoin)
		return 2 * BTC_MAX_BLOCK_BYTES + 1;
	if (c->empty)
		return MAXBLOCK_LIMIT;
	return c->p.maxblock;
}

int
chain_parse_line(const struct chain_opts *o, int empty, struct block *b, struct btc_block *bb,
    const char *line, size_t len, struct bu_err *e)
{
	int raw_ok = o->bitcoin || (o->headers_only && !empty);

	b->btc = NULL;
	if (o->bitcoin && len > 160 && memcmp(line, "block ", 6) != 0) {
		if (bb == NULL)
			return 1;
		if (btc_block_parse(bb, line, len, e) != 0)
			return -1;
		b->raw = 1;
		b->ntx = 0;
		b->h = bb->h;
		b->btc = bb;
		return 0;
	}
	if (!raw_ok && len == 160 && memchr(line, ' ', len) == NULL)
		return bu_fail(e, BU_EXIT_INVALID, "bad-syntax", empty ?
		    "a raw header: the first line of a chain of our own is its genesis block" :
		    "a raw header: a header file is checked with -H (headers only)");
	return block_parse(b, line, len, raw_ok, e);
}

int
chain_error_at(struct bu_err *e, const char *name, uint64_t lineno, const struct chain *c)
{
	e->file = name;
	e->line = lineno;
	if (e->height < 0)
		e->height = c->empty ? (c->o.sliced ? (int64_t)c->o.start_height : 0) :
		    (int64_t)c->height + 1;
	return -1;
}

int
chain_walk_lines(struct chain *c, struct lines *r, chain_each_fn each,
    void *arg, struct bu_err *e)
{
	struct btc_block bb;
	struct block b;
	const char *line;
	size_t len;
	int rc = 0, got;

	block_init(&b);
	btc_block_init(&bb);
	for (;;) {
		r->limit = chain_line_limit(c);
		got = lines_next(r, &line, &len, e);
		if (got == 0)
			break;
		if (got < 0 || chain_parse_line(&c->o, c->empty, &b, &bb, line, len, e) != 0 ||
		    chain_accept(c, &b, len, e) != 0) {
			rc = e->code == BU_EXIT_SYSTEM && got < 0 ? -1 :
			    chain_error_at(e, r->name, r->lineno, c);
			if (e->code == BU_EXIT_SYSTEM && got > 0)	/* lines.c names the file itself */
				e->file = r->name;
			break;
		}
		if (each != NULL && (rc = each(arg, &b, line, len, r)) != 0)
			break;
	}
	b.btc = NULL;
	block_free(&b);
	btc_block_free(&bb);
	return rc;
}

int
chain_walk(struct chain *c, const char *path, chain_each_fn each, void *arg,
    struct bu_err *e)
{
	struct lines r;
	int rc;

	if (lines_open(&r, path, MAXBLOCK_LIMIT, e) != 0)
		return -1;
	rc = chain_walk_lines(c, &r, each, arg, e);
	lines_close(&r);
	return rc;
}
