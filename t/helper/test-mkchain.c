/* test-mkchain: build a long easy chain fast (genesis powlimit 207fffff, empty blocks) */
/*
 * Usage: test-mkchain [-c chain] [-x extrahex] [-r retarget] [-s step] [-t time0]
 *        [-i k] [-d file | -R | -T n] [-S keyfile ...] count
 * -r sets the genesis retarget (0), -s the seconds between blocks (about one,
 * just above median time past), -t the genesis time; -i k makes the k-th new
 * block invalid (its coinbase pays one unit too much) and builds the rest on it;
 * -d puts each line of file in every block as a data record; -R puts one
 * record "record HEIGHT" in each block; -T n pays the coinbases to a fixed
 * key and, once they are mature, puts n transfers from it in each block.
 * -S keyfile, once for each signer (1 to 64), makes the chain permissioned
 * (SPEC section 7): the genesis lists the keys' accounts as its signers with
 * the least quorum, and each block is paid to and sealed by the signers in
 * turn (the next in ascending order whose turn the rotation rule allows),
 * then mined; -S excludes -x, -i and -T, and with -c the chain's signers
 * must be those keys.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "ed25519.h"
#include "hash.h"
#include "keyfile.h"
#include "ledger.h"
#include "merkle.h"
#include "chain.h"
#include "state.h"
#include "transfer.h"

static void
die(const struct bu_err *e)
{
	bu_report(e);
	exit(e->code ? e->code : 1);
}

/* Grind the nonce of line until the proof of work holds; the mined line goes to out. */
static void
grind(const char *line, size_t len, struct buf *out)
{
	struct block b;
	struct bu_err e;
	u256 target, h;

	block_init(&b);
	if (block_parse(&b, line, len, 0, &e) != 0)
		die(&e);
	compact_decode(b.h.bits, &target);
	for (b.h.nonce = 0;; b.h.nonce++) {
		header_hash(b.hash, &b.h);
		u256_from_le(&h, b.hash);
		if (u256_cmp(&h, &target) <= 0)
			break;
	}
	out->n = 0;
	block_format(out, &b);
	block_free(&b);
}

/* Pay one unit more than the block may: a mined block that breaks rule 5. */
static void
overpay(struct buf *line)
{
	struct block b;
	struct bu_err e;
	struct buf cb = { 0 }, out = { 0 };
	unsigned char (*ids)[32];
	size_t i;

	block_init(&b);
	if (block_parse(&b, line->p, line->n - 1, 0, &e) != 0)
		die(&e);
	tok_coinbase(&cb, b.txs[0].u.cb.height, b.txs[0].u.cb.to, b.txs[0].u.cb.amount + 1,
	    b.txs[0].u.cb.extra.p, b.txs[0].u.cb.extra.n);
	b.txs[0].tok.p = cb.p;
	b.txs[0].tok.n = cb.n;
	if ((ids = malloc(b.ntx * 32)) == NULL)
		exit(3);
	for (i = 0; i < b.ntx; i++)
		tx_id(ids[i], &b.txs[i]);
	merkle_root(ids, b.ntx, b.h.merkle);
	free(ids);
	block_format(&out, &b);
	grind(out.p, out.n - 1, line);
	block_free(&b);
	buf_free(&cb);
	buf_free(&out);
}

/* A file holding the one data record of block i. */
static const char *
record_file(char *path, long i)
{
	FILE *f = fopen(path, "w");

	if (f == NULL || fprintf(f, "record %ld\n", i) < 0 || fclose(f) != 0) {
		fprintf(stderr, "test-mkchain: %s: cannot write\n", path);
		exit(3);
	}
	return path;
}

static void
accept_line(struct chain *c, const struct buf *line)
{
	struct block b;
	struct bu_err e;

	block_init(&b);
	if (block_parse(&b, line->p, line->n - 1, 0, &e) != 0 ||
	    chain_accept(c, &b, line->n - 1, &e) != 0)
		die(&e);
	block_free(&b);
	fwrite(line->p, 1, line->n, stdout);
}

/* n transfers of 1 unit from the key sec (account from) to an account of its own, into path. */
static const char *
transfers_file(char *path, const struct chain *c, const unsigned char sec[32],
    const unsigned char from[32], long n)
{
	const struct account *a = ledger_get(&c->ledger, from);
	struct transfer t = { .amount = 1 };
	struct buf out = { 0 };
	struct bu_err e;
	FILE *f;
	long i;

	memcpy(t.from, from, 32);
	memset(t.to, 0x22, 32);
	t.nonce = a != NULL ? a->nonce : 0;
	for (i = 0; i < n; i++, t.nonce++)
		if (transfer_sign(&out, c->idhex, sec, &t, "", &e) != 0)
			die(&e);
	if ((f = fopen(path, "w")) == NULL || fwrite(out.p, 1, out.n, f) != out.n ||
	    fclose(f) != 0) {
		fprintf(stderr, "test-mkchain: %s: cannot write\n", path);
		exit(3);
	}
	buf_free(&out);
	return path;
}

/* The signers of -S: their keys, ascending by account. */
struct signers {
	struct signer {
		unsigned char pub[32], sec[32];
	} k[SIGNERS_MAX];
	uint32_t n;
	char text[SIGNERS_MAX * SIGNER_TEXT];	/* "<key>+<key>..." as the params write it */
};

static int
cmp_signer(const void *a, const void *b)
{
	return memcmp(a, b, 32);
}

static void
add_signer(struct signers *s, const char *path)
{
	struct bu_err e;

	if (s->n == SIGNERS_MAX) {
		fprintf(stderr, "test-mkchain: -S: at most %d signers\n", SIGNERS_MAX);
		exit(2);
	}
	if (keyfile_read(path, s->k[s->n].sec, s->k[s->n].pub, &e) != 0)
		die(&e);
	s->n++;
}

/* Sort the signers and write them as the params do. */
static void
sort_signers(struct signers *s)
{
	uint32_t i;

	qsort(s->k, s->n, sizeof s->k[0], cmp_signer);
	for (i = 0; i < s->n; i++) {
		if (i > 0 && memcmp(s->k[i - 1].pub, s->k[i].pub, 32) == 0) {
			fprintf(stderr, "test-mkchain: -S: the same key twice\n");
			exit(2);
		}
		bu_hex(s->text + i * SIGNER_TEXT, s->k[i].pub, 32);
		s->text[i * SIGNER_TEXT + 64] = '+';
	}
}

/* The signer to seal the block after c's tip: the next in turn that the rotation allows. */
static const struct signer *
next_signer(const struct chain *c, const struct signers *s)
{
	uint32_t i, last;

	for (i = 0; i < s->n; i++) {
		const struct signer *k = &s->k[(c->height + i) % s->n];
		int idx = chain_signer_index(c, k->pub);

		if (idx >= 0 && chain_rotation_ok(c, idx, &last))
			return k;
	}
	fprintf(stderr, "test-mkchain: -S: no key is a signer of the chain free to seal block %lu\n",
	    (unsigned long)c->height + 1);
	exit(1);
}

static void
genesis(struct chain *c, int64_t t0, uint32_t retarget, const struct signers *s)
{
	struct genesis_opts g = {
		.p = { .spacing = 600, .retarget = retarget, .powlimit = 0x207fffff,
		    .subsidy = 5000000000ULL, .halving = 210000, .maturity = 100,
		    .maxblock = 1000000 },
		.name = "t6000", .bits = 0x207fffff, .time = (uint32_t)t0, .version = 1,
	};
	struct buf raw = { 0 }, mined = { 0 };
	struct bu_err e;

	if (s->n > 0) {
		g.p.signers.p = s->text;
		g.p.signers.n = (size_t)s->n * SIGNER_TEXT - 1;
		g.p.nsigners = s->n;
		g.p.quorum = 2 * s->n / 3 + 1;
	}
	if (build_genesis(&g, NULL, &raw, &e) != 0)
		die(&e);
	grind(raw.p, raw.n - 1, &mined);
	accept_line(c, &mined);
	buf_free(&raw);
	buf_free(&mined);
}

int
main(int argc, char *argv[])
{
	struct chain_opts o = { 0 };
	struct next_opts n = { .extra = "", .version = 1 };
	struct buf raw = { 0 }, mined = { 0 }, sealed = { 0 };
	const char *base = NULL, *data = NULL;
	static struct signers sg;
	const struct signer *who = NULL;
	struct chain c;
	struct bu_err e;
	long count, i, bad = 0, step = 0, retarget = 0, ntr = 0;
	int64_t t0 = -1;
	char rec[64] = "", trf[64] = "";
	unsigned char sec[32];
	struct ledger_mark mark;
	int ch, records = 0;

	bu_setprogname(argv[0]);
	memset(n.coinbase, 0x11, 32);
	while ((ch = getopt(argc, argv, "c:x:r:s:t:i:d:RT:S:")) != -1) {
		switch (ch) {
		case 'c': base = optarg; break;
		case 'x': n.extra = optarg; break;
		case 'r': retarget = atol(optarg); break;
		case 's': step = atol(optarg); break;
		case 't': t0 = atoll(optarg); break;
		case 'i': bad = atol(optarg); break;
		case 'd': data = optarg; break;
		case 'R': records = 1; break;
		case 'T': ntr = atol(optarg); break;
		case 'S': add_signer(&sg, optarg); break;
		default:
			fprintf(stderr, "usage: test-mkchain [-c chain] [-x extrahex] [-r retarget] "
			    "[-s step] [-t time0] [-i k] [-d file | -R | -T n] [-S keyfile ...] "
			    "count\n");
			return 2;
		}
	}
	if (argc - optind != 1 || (count = atol(argv[optind])) < 0)
		return 2;
	if (sg.n > 0 && (*n.extra != '\0' || bad != 0 || ntr != 0)) {
		fprintf(stderr, "test-mkchain: -S: a sealed block keeps its extra and its amount: "
		    "not with -x, -i or -T\n");
		return 2;
	}
	sort_signers(&sg);
	if (records) {
		snprintf(rec, sizeof rec, "test-mkchain.%ld.rec", (long)getpid());
		data = rec;
	}
	if (ntr > 0) {
		memset(sec, 0x33, sizeof sec);
		if (ed_public(sec, n.coinbase, &e) != 0)
			die(&e);
		snprintf(trf, sizeof trf, "test-mkchain.%ld.txs", (long)getpid());
	}
	o.now = bu_now();
	chain_init(&c, &o);
	if (base != NULL && chain_load(&c, base, &e) != 0)
		die(&e);
	if (base == NULL)
		genesis(&c, t0 >= 0 ? t0 : o.now - 3 * count - 1000, (uint32_t)retarget, &sg);
	for (i = 0; i < count; i++) {
		int64_t last = c.times[(c.tpos + MTP_SPAN - 1) % MTP_SPAN];

		n.time = (int64_t)chain_mtp(&c) + 6;
		if (step > 0)
			n.time = last + step > (int64_t)chain_mtp(&c) ? last + step : chain_mtp(&c) + 1;
		raw.n = 0;
		if (ntr > 0 && c.height + 1 > c.p.maturity)
			transfers_file(trf, &c, sec, n.coinbase, ntr);
		else if (ntr > 0 && unlink(trf) != 0 && errno != ENOENT)
			exit(3);
		if (sg.n > 0) {
			who = next_signer(&c, &sg);
			memcpy(n.coinbase, who->pub, 32);
		}
		mark = ledger_mark(&c.ledger);	/* build_next applies the transfers; accept_line will */
		if (build_next(&c, &n, records ? record_file(rec, (long)c.height + 1) :
		    ntr > 0 ? (c.height + 1 > c.p.maturity ? trf : "/dev/null") :
		    data ? data : "/dev/null", data != NULL, &raw, &e) != 0)
			die(&e);
		ledger_rollback(&c.ledger, mark);
		if (who != NULL) {
			sealed.n = 0;
			if (build_seal(&c, who->sec, who->pub, raw.p, raw.n - 1, &sealed, &e) != 0)
				die(&e);
			raw.n = 0;
			buf_add(&raw, sealed.p, sealed.n);
		}
		grind(raw.p, raw.n - 1, &mined);
		if (i + 1 == bad) {
			overpay(&mined);
			c.o.headers_only = 1;	/* build the rest on it */
		}
		accept_line(&c, &mined);
	}
	if (records)
		unlink(rec);
	if (ntr > 0)
		unlink(trf);
	buf_free(&raw);
	buf_free(&mined);
	buf_free(&sealed);
	chain_free(&c);
	mem_wipe(&sg, sizeof sg);
	return fflush(stdout) == 0 ? 0 : 3;
}
