/* pending.c: nonces taken by transfers in a file of tx lines */
#include "pending.h"

#include <stdlib.h>
#include <string.h>

#include "lines.h"
#include "record.h"

struct nonces {
	uint64_t *v;
	size_t n, cap;
};

static int
push(struct nonces *s, uint64_t v, struct bu_err *e)
{
	if (s->n == s->cap) {
		size_t ncap = s->cap ? 2 * s->cap : 64;
		uint64_t *p = realloc(s->v, ncap * sizeof *p);

		if (p == NULL)
			return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
		s->v = p;
		s->cap = ncap;
	}
	s->v[s->n++] = v;
	return 0;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int
read_nonces(struct lines *r, const unsigned char from[32], struct nonces *s,
    struct bu_err *e)
{
	const char *line;
	size_t len;
	struct tx t;
	int got;

	while ((got = lines_next(r, &line, &len, e)) > 0) {
		if (txline_parse(&t, line, len, e) != 0) {
			e->file = r->name;
			e->line = r->lineno;
			return -1;
		}
		if (t.kind == TX_TRANSFER && memcmp(t.u.tr.from, from, 32) == 0 &&
		    push(s, t.u.tr.nonce, e) != 0)
			return -1;
	}
	if (got < 0 && e->code != BU_EXIT_SYSTEM) {
		e->file = r->name;
		e->line = r->lineno;
	}
	return got;
}

int
pending_next_nonce(const char *path, const unsigned char from[32], uint64_t start,
    uint64_t *next, struct bu_err *e)
{
	struct nonces s = { NULL, 0, 0 };
	struct lines r;
	uint64_t n = start;
	size_t i;
	int rc;

	if (lines_open(&r, path, MAXBLOCK_LIMIT, e) != 0)
		return -1;
	r.torn_ok = 1;
	rc = read_nonces(&r, from, &s, e);
	lines_close(&r);
	if (rc == 0) {
		if (s.n > 0)
			qsort(s.v, s.n, sizeof *s.v, cmp_u64);
		for (i = 0; i < s.n; i++)
			if (s.v[i] == n && n < UINT64_MAX)
				n++;
		*next = n;
	}
	free(s.v);
	return rc;
}
