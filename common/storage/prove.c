/* prove.c: find transactions in a chain and write the proof that they are there */
#include "prove.h"

#include <stdlib.h>
#include <string.h>

#include "btc.h"
#include "chainfile.h"
#include "hash.h"
#include "lines.h"
#include "proof.h"

/* One transaction sought: its txid and, once found, its proof line. */
struct target {
	unsigned char id[32];
	char *proof;
};

/* A query as asked, for the output order and the messages. */
struct asked {
	unsigned char id[32];
	enum prove_kind kind;
	const char *arg;	/* NULL: a txid of the list, spelled as id */
};

struct prover {
	const struct chain *c;
	struct asked *q;
	size_t nq, qcap;
	struct target *t;
	size_t nt;
	unsigned char (*ids)[32];	/* the block's txids, then room for the tree */
	size_t idcap;
	struct buf line, tok;
	int oom;
};

static int
oom(struct bu_err *e)
{
	return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
}

static int
cmp_id(const void *a, const void *b)
{
	return memcmp(a, b, 32);
}

static int
add_asked(struct prover *pv, const unsigned char id[32], enum prove_kind kind,
    const char *arg, struct bu_err *e)
{
	if (pv->nq == pv->qcap) {
		size_t ncap = pv->qcap ? 2 * pv->qcap : 64;
		void *p = realloc(pv->q, ncap * sizeof *pv->q);

		if (p == NULL)
			return oom(e);
		pv->q = p;
		pv->qcap = ncap;
	}
	memcpy(pv->q[pv->nq].id, id, 32);
	pv->q[pv->nq].kind = kind;
	pv->q[pv->nq].arg = arg;
	pv->nq++;
	return 0;
}

/* The txid a query stands for; a malformed one is a usage error. */
static int
query_id(const struct prove_query *q, unsigned char id[32], struct bu_err *e)
{
	struct buf tok = { 0 };
	size_t n = strlen(q->arg);

	if (q->kind == PQ_TXID) {
		if (bu_unhex_rev(q->arg, n, id) != 0)
			return bu_fail(e, BU_EXIT_USAGE, "usage",
			    "'%.80s' is not a txid of 64 lower-case hex digits", q->arg);
		return 0;
	}
	if (q->kind == PQ_DIGEST && (n == 0 || n % 2 != 0 ||
	    strspn(q->arg, "0123456789abcdef") != n))
		return bu_fail(e, BU_EXIT_USAGE, "usage",
		    "--digest: '%.80s' is not lower-case hex of whole bytes", q->arg);
	buf_str(&tok, "data:");
	text_escape(&tok, q->arg, n);
	if (tok.oom)
		return oom(e);
	sha256d(tok.p, tok.n, id);
	buf_free(&tok);
	return 0;
}

static int
read_list(struct prover *pv, const char *path, struct bu_err *e)
{
	unsigned char id[32];
	struct lines r;
	const char *line;
	size_t len;
	int got;

	if (lines_open(&r, path, 1024, e) != 0)
		return -1;
	while ((got = lines_next(&r, &line, &len, e)) > 0) {
		if (bu_unhex_rev(line, len, id) != 0) {
			got = bu_fail(e, BU_EXIT_INVALID, "bad-syntax",
			    "not a txid of 64 lower-case hex digits");
			break;
		}
		if (add_asked(pv, id, PQ_TXID, NULL, e) != 0) {
			lines_close(&r);
			return -1;
		}
	}
	if (got < 0 && e->code != BU_EXIT_SYSTEM) {
		e->file = r.name;
		e->line = r.lineno;
	}
	lines_close(&r);
	return got < 0 ? -1 : 0;
}

/* The distinct txids sought, sorted for bsearch. */
static int
make_targets(struct prover *pv, struct bu_err *e)
{
	unsigned char (*ids)[32] = malloc((pv->nq ? pv->nq : 1) * 32);
	size_t i;

	if (ids == NULL || (pv->t = calloc(pv->nq ? pv->nq : 1, sizeof *pv->t)) == NULL) {
		free(ids);
		return oom(e);
	}
	for (i = 0; i < pv->nq; i++)
		memcpy(ids[i], pv->q[i].id, 32);
	qsort(ids, pv->nq, 32, cmp_id);
	for (i = 0; i < pv->nq; i++)
		if (pv->nt == 0 || memcmp(ids[i], pv->t[pv->nt - 1].id, 32) != 0)
			memcpy(pv->t[pv->nt++].id, ids[i], 32);
	free(ids);
	return 0;
}

static struct target *
find(const struct prover *pv, const unsigned char id[32])
{
	return bsearch(id, pv->t, pv->nt, sizeof *pv->t, cmp_id);
}

static int
id_room(struct prover *pv, size_t n)
{
	void *p;

	if (2 * n + 1 <= pv->idcap)
		return 0;
	if ((p = realloc(pv->ids, (2 * n + 1) * 32)) == NULL)
		return -1;
	pv->ids = p;
	pv->idcap = 2 * n + 1;
	return 0;
}

/* The transaction token as a proof carries it: ours as it is, Bitcoin's in hex. */
static int
token(struct prover *pv, const struct block *b, size_t i, struct span *tok)
{
	if (b->btc == NULL) {
		*tok = b->txs[i].tok;
		return 0;
	}
	pv->tok.n = 0;
	if (buf_reserve(&pv->tok, 2 * b->btc->tx[i].len) != 0)
		return -1;
	bu_hex(pv->tok.p, b->btc->raw + b->btc->tx[i].off, b->btc->tx[i].len);
	pv->tok.n = 2 * b->btc->tx[i].len;
	tok->p = pv->tok.p;
	tok->n = pv->tok.n;
	return 0;
}

static int
emit(struct prover *pv, const struct chain *c, const struct block *b, size_t i,
    size_t n, struct target *t)
{
	struct proof p;

	memcpy(p.chain, c->id, 32);
	p.height = c->height;
	p.h = b->h;
	memcpy(p.txid, pv->ids[i], 32);
	p.index = (uint32_t)i;
	p.depth = merkle_branch((const unsigned char (*)[32])pv->ids, n, i, pv->ids + n,
	    p.branch);
	if (token(pv, b, i, &p.tok) != 0)
		return -1;
	pv->line.n = 0;
	proof_format(&pv->line, &p);
	if (pv->line.oom || (t->proof = strdup(pv->line.p)) == NULL)
		return -1;
	return 0;
}

static int
each_block(void *arg, const struct block *b, const char *line, size_t len,
    const struct lines *r)
{
	struct prover *pv = arg;
	size_t i, n = b->btc != NULL ? b->btc->ntx : b->raw ? 0 : b->ntx;

	(void)line, (void)len, (void)r;
	if (n == 0)
		return 0;
	if (id_room(pv, n) != 0)
		return pv->oom = 1;
	for (i = 0; i < n; i++) {
		if (b->btc != NULL)
			memcpy(pv->ids[i], b->btc->tx[i].txid, 32);
		else
			tx_id(pv->ids[i], &b->txs[i]);
	}
	for (i = 0; i < n; i++) {
		struct target *t = find(pv, pv->ids[i]);

		if (t != NULL && t->proof == NULL && emit(pv, pv->c, b, i, n, t) != 0)
			return pv->oom = 1;
	}
	return 0;
}

static void
prover_free(struct prover *pv)
{
	size_t i;

	for (i = 0; i < pv->nt; i++)
		free(pv->t[i].proof);
	free(pv->t);
	free(pv->q);
	free(pv->ids);
	buf_free(&pv->line);
	buf_free(&pv->tok);
}

static int
collect(struct prover *pv, const struct prove_query *q, size_t nq, const char *list,
    struct bu_err *e)
{
	unsigned char id[32];
	size_t i;

	for (i = 0; i < nq; i++)
		if (query_id(&q[i], id, e) != 0 || add_asked(pv, id, q[i].kind, q[i].arg, e) != 0)
			return -1;
	if (list != NULL && read_list(pv, list, e) != 0)
		return -1;
	return make_targets(pv, e);
}

static void
not_found(const struct asked *q, prove_report_fn report)
{
	static const char *const what[] = { "txid", "data record", "data record of digest" };
	struct bu_err e;
	char hex[65];

	if (q->arg == NULL)
		bu_hex_rev(hex, q->id);
	bu_fail(&e, BU_EXIT_INVALID, "not-in-chain", "%s '%.80s' is in no block of the chain",
	    what[q->kind], q->arg ? q->arg : hex);
	report(&e);
}

static int
output(const struct prover *pv, FILE *out, prove_report_fn report)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < pv->nq; i++) {
		const struct target *t = find(pv, pv->q[i].id);

		if (t->proof != NULL) {
			fputs(t->proof, out);
			continue;
		}
		not_found(&pv->q[i], report);
		rc = 1;
	}
	return rc;
}

int
prove_run(const struct chain_opts *o, const char *path, const struct prove_query *q,
    size_t nq, const char *list, FILE *out, prove_report_fn report, struct bu_err *e)
{
	struct prover pv;
	struct chain c;
	int rc = -1;

	memset(&pv, 0, sizeof pv);
	chain_init(&c, o);
	pv.c = &c;
	if (collect(&pv, q, nq, list, e) != 0)
		goto out;
	if (chain_walk(&c, path, each_block, &pv, e) != 0) {
		if (pv.oom)
			oom(e);
		goto out;
	}
	if (c.empty) {
		bu_fail(e, BU_EXIT_INVALID, "bad-syntax", "'%s': the chain has no blocks", path);
		goto out;
	}
	rc = output(&pv, out, report);
out:
	prover_free(&pv);
	chain_free(&c);
	return rc;
}

static int
read_txids(const char *path, unsigned char (**ids)[32], size_t *n, struct bu_err *e)
{
	struct lines r;
	const char *line;
	size_t len, cap = 0;
	int got;

	*ids = NULL;
	*n = 0;
	if (lines_open(&r, path, 1024, e) != 0)
		return -1;
	while ((got = lines_next(&r, &line, &len, e)) > 0) {
		if (2 * *n + 2 > cap) {
			void *p = realloc(*ids, (cap = cap ? 2 * cap : 128) * 32);

			if (p == NULL) {
				got = oom(e);
				break;
			}
			*ids = p;
		}
		if (bu_unhex_rev(line, len, (*ids)[*n]) != 0) {
			got = bu_fail(e, BU_EXIT_INVALID, "bad-syntax",
			    "not a txid of 64 lower-case hex digits");
			break;
		}
		(*n)++;
	}
	if (got < 0 && e->code != BU_EXIT_SYSTEM) {
		e->file = r.name;
		e->line = r.lineno;
	}
	lines_close(&r);
	if (got == 0 && *n == 0)
		got = bu_fail(e, BU_EXIT_INVALID, "bad-syntax", "'%s': no txids", path);
	return got < 0 ? -1 : 0;
}

/* The root, after refusing what Bitcoin refuses: a repeated txid. */
static int
txids_root(unsigned char (*ids)[32], size_t n, unsigned char root[32], struct bu_err *e)
{
	int mutated;

	memcpy(ids + n, ids, n * 32);
	mutated = merkle_root(ids + n, n, root);
	memcpy(ids + n, ids, n * 32);
	if (mutated || ids_have_duplicate(ids + n, n))
		return bu_fail(e, BU_EXIT_INVALID, "bad-txns-duplicate", "%s",
		    mutated ? "repeated txids leave the merkle root as it was (CVE-2012-2459)" :
		    "two txids are equal");
	return 0;
}

static int
print_branch(unsigned char (*ids)[32], size_t n, const char *want,
    const unsigned char root[32], FILE *out, struct bu_err *e)
{
	unsigned char id[32], branch[MERKLE_MAX_DEPTH][32];
	char hex[65];
	size_t i, k, depth;

	if (bu_unhex_rev(want, strlen(want), id) != 0)
		return bu_fail(e, BU_EXIT_USAGE, "usage",
		    "'%.80s' is not a txid of 64 lower-case hex digits", want);
	for (i = 0; i < n && memcmp(ids[i], id, 32) != 0; i++)
		;
	if (i == n)
		return bu_fail(e, BU_EXIT_INVALID, "not-in-chain", "txid %s is not in the list", want);
	depth = merkle_branch((const unsigned char (*)[32])ids, n, i, ids + n, branch);
	fprintf(out, "branch txid=%s index=%zu branch=", want, i);
	for (k = 0; k < depth; k++) {
		bu_hex_rev(hex, branch[k]);
		fprintf(out, "%s%s", k ? "+" : "", hex);
	}
	bu_hex_rev(hex, root);
	fprintf(out, " root=%s\n", hex);
	return 0;
}

int
prove_txids(const char *path, char *const *txids, size_t n, FILE *out,
    struct bu_err *e)
{
	unsigned char (*ids)[32], root[32];
	char hex[65];
	size_t count, i;
	int rc = -1;

	if (read_txids(path, &ids, &count, e) != 0)
		goto out;
	if (txids_root(ids, count, root, e) != 0)
		goto out;
	if (n == 0) {
		bu_hex_rev(hex, root);
		fprintf(out, "merkle root=%s txs=%zu\n", hex, count);
	}
	for (i = 0; i < n; i++)
		if (print_branch(ids, count, txids[i], root, out, e) != 0)
			goto out;
	rc = 0;
out:
	free(ids);
	return rc;
}
