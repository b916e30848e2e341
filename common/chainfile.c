/* chainfile.c: stream a chain file through chain_accept */
#include "chainfile.h"

size_t
chain_line_limit(const struct chain *c)
{
	if (c->empty)
		return MAXBLOCK_LIMIT;
	if (c->o.bitcoin)
		return 4096;
	return c->p.maxblock;
}

static int
at(struct bu_err *e, const struct lines *r, const struct chain *c)
{
	e->file = r->name;
	e->line = r->lineno;
	if (e->height < 0)
		e->height = c->empty ? (c->o.sliced ? (int64_t)c->o.start_height : 0) :
		    (int64_t)c->height + 1;
	return -1;
}

int
chain_walk_lines(struct chain *c, struct lines *r, chain_each_fn each,
    void *arg, struct bu_err *e)
{
	struct block b;
	const char *line;
	size_t len;
	int rc = 0, got;

	block_init(&b);
	for (;;) {
		r->limit = chain_line_limit(c);
		got = lines_next(r, &line, &len, e);
		if (got == 0)
			break;
		if (got < 0 || block_parse(&b, line, len, c->o.bitcoin, e) != 0 ||
		    chain_accept(c, &b, len, e) != 0) {
			rc = e->code == BU_EXIT_SYSTEM && got < 0 ? -1 : at(e, r, c);
			if (e->code == BU_EXIT_SYSTEM)
				e->file = r->name;
			break;
		}
		if (each != NULL && (rc = each(arg, &b, line, len, r)) != 0)
			break;
	}
	block_free(&b);
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
