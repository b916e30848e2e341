/* proofcheck.c: proofs checked alone, then their headers found in one walk of the chain */
#include "proofcheck.h"

#include <stdlib.h>
#include <string.h>

#include "chainfile.h"
#include "json.h"
#include "lines.h"
#include "proof.h"

struct item {
	struct proof_result r;
	const char *file;	/* where the proof line is */
	uint64_t line;
	unsigned char hash[32];	/* of the proof's header */
	int found;		/* that header is the chain's at its height */
	u256 before;		/* the chain's work below it */
};

struct slot;

struct checker {
	const struct chain *c;
	struct item *it;
	size_t n, cap;
	struct slot *order;	/* items by height */
	size_t next;		/* the first of order not yet reached by the walk */
	u256 work;		/* of the blocks walked so far */
	int bitcoin;
};

void
proof_result_json(struct buf *out, const struct proof_result *r)
{
	const struct bu_err *e = &r->err;
	struct json j;
	char work[65];

	json_start(&j, out);
	json_bool(&j, "ok", r->ok);
	if (!r->ok) {
		if (e->file != NULL)
			json_cstr(&j, "file", e->file);
		json_num(&j, "line", e->line);
		if (e->height >= 0)
			json_int(&j, "height", e->height);
		else
			json_null(&j, "height");
		json_cstr(&j, "reason", e->reason);
		json_cstr(&j, "message", e->msg);
		json_finish(&j);
		return;
	}
	json_num(&j, "height", r->height);
	json_hash(&j, "txid", r->txid);
	json_num(&j, "index", r->index);
	json_num(&j, "confirmations", r->confirmations);
	u256_hex(work, &r->work);
	json_cstr(&j, "work", work);
	json_hash(&j, "chain", r->chain);
	json_finish(&j);
}

static int
oom(struct bu_err *e)
{
	return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
}

static int
push(struct checker *k, struct bu_err *e)
{
	if (k->n == k->cap) {
		size_t ncap = k->cap ? 2 * k->cap : 64;
		void *p = realloc(k->it, ncap * sizeof *k->it);

		if (p == NULL)
			return oom(e);
		k->it = p;
		k->cap = ncap;
	}
	memset(&k->it[k->n], 0, sizeof k->it[0]);
	k->n++;
	return 0;
}

static void
check_line(struct checker *k, struct item *it, const char *line, size_t len,
    const struct lines *r)
{
	struct proof p;
	int parsed;

	it->file = r->name;
	it->line = r->lineno;
	parsed = proof_parse(&p, line, len, &it->r.err) == 0;
	it->r.ok = parsed && proof_check(&p, k->bitcoin, &it->r.err) == 0;
	if (!it->r.ok) {
		it->r.err.file = r->name;
		it->r.err.line = r->lineno;
		it->r.err.height = parsed ? (int64_t)p.height : -1;
		return;
	}
	it->r.height = p.height;
	memcpy(it->r.txid, p.txid, 32);
	memcpy(it->r.chain, p.chain, 32);
	memcpy(it->hash, p.hash, 32);
	it->r.index = p.index;
}

static int
read_proofs(struct checker *k, const char *path, struct bu_err *e)
{
	struct lines r;
	const char *line;
	size_t len;
	int got;

	if (lines_open(&r, path, MAXBLOCK_LIMIT + 4096, e) != 0)
		return -1;
	while ((got = lines_next(&r, &line, &len, e)) > 0) {
		if (push(k, e) != 0) {
			lines_close(&r);
			return -1;
		}
		check_line(k, &k->it[k->n - 1], line, len, &r);
	}
	if (got < 0 && e->code != BU_EXIT_SYSTEM) {
		e->file = r.name;
		e->line = r.lineno;
	}
	lines_close(&r);
	return got;
}

/* Where a proof is in the checker, by height: the walk meets them in this order. */
struct slot {
	uint32_t height;
	size_t i;
};

static int
by_height(const void *a, const void *b)
{
	const struct slot *x = a, *y = b;

	if (x->height != y->height)
		return x->height < y->height ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static int
sort_items(struct checker *k, struct bu_err *e)
{
	size_t i;

	if ((k->order = malloc((k->n ? k->n : 1) * sizeof *k->order)) == NULL)
		return oom(e);
	for (i = 0; i < k->n; i++)
		k->order[i] = (struct slot){ k->it[i].r.height, i };
	qsort(k->order, k->n, sizeof *k->order, by_height);
	return 0;
}

/* At each block: the proofs of its height learn whether it is theirs, and the work below. */
static int
each_block(void *arg, const struct block *b, const char *line, size_t len,
    const struct lines *r)
{
	struct checker *k = arg;
	uint32_t height = k->c->height;
	unsigned char hash[32];

	(void)line, (void)len, (void)r;
	header_hash(hash, &b->h);
	while (k->next < k->n && k->order[k->next].height < height)
		k->next++;
	for (; k->next < k->n && k->order[k->next].height == height; k->next++) {
		struct item *it = &k->it[k->order[k->next].i];

		it->found = memcmp(hash, it->hash, 32) == 0;
		it->before = k->work;
	}
	k->work = k->c->work;
	return 0;
}

/* What the walk says of a proof that holds by itself. */
static void
settle(struct item *it, const struct chain *c, uint32_t first)
{
	struct proof_result *r = &it->r;
	char want[65], got[65];

	if (memcmp(r->chain, c->id, 32) != 0) {
		bu_hex_rev(want, c->id);
		bu_hex_rev(got, r->chain);
		bu_fail(&r->err, BU_EXIT_INVALID, "bad-proof-chain",
		    "the proof is for chain %s, the headers are of chain %s", got, want);
	} else if (r->height < first || r->height > c->height) {
		bu_fail(&r->err, BU_EXIT_INVALID, "bad-proof-header",
		    "the headers hold heights %lu to %lu only", (unsigned long)first,
		    (unsigned long)c->height);
	} else if (!it->found) {
		bu_fail(&r->err, BU_EXIT_INVALID, "bad-proof-header",
		    "the proof's block is not the chain's block at its height");
	} else {
		r->confirmations = (uint64_t)c->height - r->height + 1;
		u256_sub(&r->work, &c->work, &it->before);
		return;
	}
	r->ok = 0;
}

long
proofcheck_run(const struct chain_opts *o, const char *headers,
    char *const *paths, size_t n, proof_result_fn each, void *arg, struct bu_err *e)
{
	struct chain_opts ho = *o;
	struct checker k;
	struct chain c;
	long bad = -1;
	size_t i;

	memset(&k, 0, sizeof k);
	ho.headers_only = 1;
	chain_init(&c, &ho);
	k.c = &c;
	k.bitcoin = o->bitcoin;
	for (i = 0; i < n; i++)
		if (read_proofs(&k, paths[i], e) != 0)
			goto out;
	if (sort_items(&k, e) != 0 || chain_walk(&c, headers, each_block, &k, e) != 0)
		goto out;
	if (c.empty) {
		bu_fail(e, BU_EXIT_INVALID, "bad-syntax", "'%s': no headers", headers);
		goto out;
	}
	for (bad = 0, i = 0; i < k.n; i++) {
		struct item *it = &k.it[i];

		if (it->r.ok) {
			settle(it, &c, o->sliced ? o->start_height : 0);
			if (!it->r.ok) {
				it->r.err.file = it->file;
				it->r.err.line = it->line;
				it->r.err.height = (int64_t)it->r.height;
			}
		}
		bad += !it->r.ok;
		each(arg, &it->r);
	}
out:
	free(k.it);
	free(k.order);
	chain_free(&c);
	return bad;
}

void
proof_result_format(FILE *out, const struct proof_result *r)
{
	char txid[65], chain[65], work[65];

	bu_hex_rev(txid, r->txid);
	bu_hex_rev(chain, r->chain);
	u256_hex(work, &r->work);
	fprintf(out, "ok height=%lu txid=%s index=%lu confirmations=%llu work=%s chain=%s\n",
	    (unsigned long)r->height, txid, (unsigned long)r->index,
	    (unsigned long long)r->confirmations, work, chain);
}
