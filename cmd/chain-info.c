/* chain-info: a chain's summary, one account's history, a transaction found, a plot */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chaininfo.h"
#include "cmdutil.h"
#include "decode.h"
#include "keyfile.h"
#include "svgplot.h"

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: chain-info [--json] [--chain bitcoin | regtest] [--from height]\n"
	    "                  [--account account | --txid txid] [--plot file] [file]\n");
	exit(status);
}

struct args {
	struct chain_opts o;
	int json, account, txid;
	unsigned char key[32], id[32];
	const char *plot, *path;
};

/* What the transaction visitor found: --account's history, --txid's transaction. */
struct found {
	const struct args *a;
	struct buf out;
	int hits;
};

static void
emit(struct buf *o)
{
	if (o->oom)
		fatal(BU_EXIT_SYSTEM, "out of memory");
	if (o->n > 0 && fwrite(o->p, 1, o->n, stdout) != o->n)
		fatal(BU_EXIT_SYSTEM, "standard output: write failed");
	o->n = 0;
}

static void
entry_text(struct buf *o, const char *type, const struct chain *c, const unsigned char id[32])
{
	buf_fmt(o, "%s height=%lu txid=", type, (unsigned long)c->height);
	buf_hash(o, id);
}

static void
entry_json(struct json *j, struct buf *o, const char *type, const struct chain *c,
    const unsigned char id[32])
{
	json_start(j, o);
	json_cstr(j, "type", type);
	json_num(j, "height", c->height);
	json_hash(j, "txid", id);
}

/* One line of an account's history: a coinbase to it, or a transfer out of or into it. */
static void
history(struct found *f, const struct chain *c, const struct tx *t, const char *type,
    const unsigned char other[32])
{
	const struct transfer *tr = &t->u.tr;
	unsigned char id[32];
	struct json j;
	char hex[65];

	tx_id(id, t);
	f->hits++;
	if (!f->a->json) {
		entry_text(&f->out, type, c, id);
		if (t->kind == TX_COINBASE) {
			buf_fmt(&f->out, " amount=%llu\n", (unsigned long long)t->u.cb.amount);
			return;
		}
		bu_hex(hex, other, 32);
		buf_fmt(&f->out, " %s=%s amount=%llu fee=%llu nonce=%llu memo=%.*s\n",
		    strcmp(type, "out") == 0 ? "to" : "from", hex,
		    (unsigned long long)tr->amount, (unsigned long long)tr->fee,
		    (unsigned long long)tr->nonce, (int)tr->memo.n, tr->memo.p);
		return;
	}
	entry_json(&j, &f->out, type, c, id);
	if (t->kind == TX_COINBASE) {
		json_u64(&j, "amount", t->u.cb.amount);
	} else {
		json_hex(&j, strcmp(type, "out") == 0 ? "to" : "from", other, 32);
		json_u64(&j, "amount", tr->amount);
		json_u64(&j, "fee", tr->fee);
		json_u64(&j, "nonce", tr->nonce);
		text_json(&j, "memo", tr->memo);
	}
	json_finish(&j);
}

static void
found_tx(struct found *f, const struct chain *c, const unsigned char block[32], size_t index,
    const struct tx *t)
{
	unsigned char id[32];
	struct json j;

	tx_id(id, t);
	f->hits++;
	if (!f->a->json) {
		buf_str(&f->out, "txid=");
		buf_hash(&f->out, id);
		buf_fmt(&f->out, " height=%lu block=", (unsigned long)c->height);
		buf_hash(&f->out, block);
		buf_fmt(&f->out, " index=%zu\n", index);
		tx_text(&f->out, t, "  ");
		return;
	}
	json_start(&j, &f->out);
	json_hash(&j, "txid", id);
	json_num(&j, "height", c->height);
	json_hash(&j, "block", block);
	json_num(&j, "index", index);
	tx_json(&j, "tx", t);
	json_finish(&j);
}

static void
each_tx(void *arg, const struct chain *c, const unsigned char block[32], size_t index,
    const struct tx *t)
{
	struct found *f = arg;
	unsigned char id[32];

	if (f->a->txid) {
		tx_id(id, t);
		if (memcmp(id, f->a->id, 32) == 0)
			found_tx(f, c, block, index, t);
	} else if (t->kind == TX_COINBASE && memcmp(t->u.cb.to, f->a->key, 32) == 0) {
		history(f, c, t, "coinbase", NULL);
	} else if (t->kind == TX_TRANSFER) {
		if (memcmp(t->u.tr.from, f->a->key, 32) == 0)
			history(f, c, t, "out", t->u.tr.to);
		if (memcmp(t->u.tr.to, f->a->key, 32) == 0)
			history(f, c, t, "in", t->u.tr.from);
	}
	if (f->out.n > 1 << 16)
		emit(&f->out);
}

static void
balance(const struct args *a, struct chain *c)
{
	const struct account *acc;
	struct buf o = { 0 };
	struct bu_err e;
	struct json j;
	char hex[65];

	if (ledger_mature(&c->ledger, c->height + 1, &e) != 0)
		exit(report_exit(&e, BU_EXIT_SYSTEM));
	acc = ledger_get(&c->ledger, a->key);
	bu_hex(hex, a->key, 32);
	if (!a->json) {
		buf_fmt(&o, "balance account=%s spendable=%llu immature=%llu nonce=%llu\n", hex,
		    (unsigned long long)(acc ? acc->balance : 0),
		    (unsigned long long)(acc ? acc->immature : 0),
		    (unsigned long long)(acc ? acc->nonce : 0));
	} else {
		json_start(&j, &o);
		json_cstr(&j, "type", "balance");
		json_cstr(&j, "account", hex);
		json_u64(&j, "spendable", acc ? acc->balance : 0);
		json_u64(&j, "immature", acc ? acc->immature : 0);
		json_u64(&j, "nonce", acc ? acc->nonce : 0);
		json_finish(&j);
	}
	emit(&o);
	buf_free(&o);
}

static void
summary_text(struct buf *o, const struct chain *c, const struct chaininfo *ci,
    const struct chain_stats *s)
{
	char work[65], dec[79], issued[79];
	uint32_t fin;
	u256 supply;

	buf_fmt(o, "chain        %s\n", c->idhex);
	buf_fmt(o, "name         %s\n", c->o.bitcoin ? "bitcoin" : c->pname);
	buf_fmt(o, "height       %lu\n", (unsigned long)c->height);
	buf_str(o, "tip          ");
	buf_hash(o, c->tip);
	buf_str(o, "\ntime         ");
	time_for_people(o, ci->time[ci->n - 1]);
	buf_str(o, "\nmtp          ");
	time_for_people(o, chain_mtp(c));
	buf_fmt(o, "\nbits         %08lx\n", (unsigned long)c->tip_bits);
	buf_fmt(o, "difficulty   %.10g\n", compact_difficulty(c->tip_bits));
	u256_dec(dec, &c->work);
	u256_hex(work, &c->work);
	buf_fmt(o, "work         %s (hex %s)\n", dec, work);
	buf_fmt(o, "interval     mean %.1f s, median %.1f s, last %lu blocks %.1f s (spacing %lu s)\n",
	    s->mean, s->median, (unsigned long)(s->period_blocks && s->period_blocks < ci->n - 1 ?
	    s->period_blocks : ci->n - 1), s->period_mean, (unsigned long)c->p.spacing);
	if (s->have_hashrate)
		buf_fmt(o, "hashrate     %.4g H/s (the last %lu blocks)\n", s->hashrate,
		    (unsigned long)s->hashrate_blocks);
	else
		buf_str(o, "hashrate     unknown (no time passed)\n");
	if (s->retarget_height < 0)
		buf_str(o, "retarget     never (retarget=0)\n");
	else
		buf_fmt(o, "retarget     in %lu blocks, at height %lld, bits %08lx predicted\n",
		    (unsigned long)s->retarget_in, (long long)s->retarget_height,
		    (unsigned long)s->retarget_bits);
	u256_dec(dec, &s->scheduled);
	if (!c->o.bitcoin) {
		u256_sub(&supply, &ci->minted, &ci->fees);
		u256_dec(issued, &supply);
		buf_fmt(o, "supply       %s issued, %s scheduled\n", issued, dec);
	} else {
		buf_fmt(o, "supply       %s scheduled\n", dec);
	}
	if (c->o.bitcoin) {
		buf_fmt(o, "txs          %llu (of the whole blocks read)\n", (unsigned long long)c->ntx);
		return;
	}
	buf_fmt(o, "txs          %llu: %llu coinbase, %llu transfer, %llu data",
	    (unsigned long long)c->ntx, (unsigned long long)ci->kinds[TX_COINBASE],
	    (unsigned long long)ci->kinds[TX_TRANSFER], (unsigned long long)ci->kinds[TX_DATA]);
	if (!chain_permissioned(c)) {
		buf_str(o, "\n");
		return;
	}
	if (!chain_final_height(c, &fin))
		fin = 0;
	buf_fmt(o, ", %llu final\nsigners      %lu, quorum %lu\nfinal        height %lu\n",
	    (unsigned long long)ci->kinds[TX_FINAL], (unsigned long)c->p.nsigners,
	    (unsigned long)c->quorum, (unsigned long)fin);
}

static void
u256_json(struct json *j, const char *key, const u256 *v)
{
	char dec[79];

	u256_dec(dec, v);
	json_cstr(j, key, dec);
}

static void
summary_json(struct buf *o, const struct chain *c, const struct chaininfo *ci,
    const struct chain_stats *s)
{
	struct json j;
	char b[9], work[65];
	uint32_t fin;
	u256 supply;

	json_start(&j, o);
	json_cstr(&j, "chain", c->idhex);
	json_cstr(&j, "name", c->o.bitcoin ? "bitcoin" : c->pname);
	json_num(&j, "height", c->height);
	json_hash(&j, "tip", c->tip);
	json_num(&j, "time", ci->time[ci->n - 1]);
	json_num(&j, "mtp", chain_mtp(c));
	snprintf(b, sizeof b, "%08lx", (unsigned long)c->tip_bits);
	json_cstr(&j, "bits", b);
	json_dbl(&j, "difficulty", compact_difficulty(c->tip_bits));
	u256_hex(work, &c->work);
	json_cstr(&j, "work", work);
	json_dbl(&j, "interval_mean", s->mean);
	json_dbl(&j, "interval_median", s->median);
	json_dbl(&j, "interval_period_mean", s->period_mean);
	if (s->have_hashrate)
		json_dbl(&j, "hashrate", s->hashrate);
	else
		json_null(&j, "hashrate");
	json_num(&j, "hashrate_blocks", s->hashrate_blocks);
	if (s->retarget_height < 0) {
		json_null(&j, "retarget_height");
	} else {
		json_int(&j, "retarget_height", s->retarget_height);
		json_num(&j, "retarget_in", s->retarget_in);
		snprintf(b, sizeof b, "%08lx", (unsigned long)s->retarget_bits);
		json_cstr(&j, "retarget_bits", b);
	}
	if (!c->o.bitcoin) {
		u256_sub(&supply, &ci->minted, &ci->fees);
		u256_json(&j, "supply", &supply);
	}
	u256_json(&j, "supply_scheduled", &s->scheduled);
	json_num(&j, "txs", c->ntx);
	json_num(&j, "coinbases", ci->kinds[TX_COINBASE]);
	json_num(&j, "transfers", ci->kinds[TX_TRANSFER]);
	json_num(&j, "data", ci->kinds[TX_DATA]);
	if (chain_permissioned(c)) {
		if (!chain_final_height(c, &fin))
			fin = 0;
		json_num(&j, "finals", ci->kinds[TX_FINAL]);
		json_num(&j, "signers", c->p.nsigners);
		json_num(&j, "quorum", c->quorum);
		json_num(&j, "final", fin);
	}
	json_finish(&j);
}

static void
write_plot(const char *path, const struct chain *c, const struct chaininfo *ci)
{
	struct plot_series s[2] = { { "difficulty", NULL, ci->n },
	    { "seconds since the block before", NULL, ci->n ? ci->n - 1 : 0 } };
	double *d = calloc(ci->n + 1, sizeof *d), *iv = calloc(ci->n + 1, sizeof *iv);
	struct buf o = { 0 };
	char title[128];
	FILE *f;
	size_t i;

	if (d == NULL || iv == NULL)
		fatal(BU_EXIT_SYSTEM, "out of memory");
	for (i = 0; i < ci->n; i++) {
		d[i] = compact_difficulty(ci->bits[i]);
		if (i > 0)
			iv[i - 1] = (double)ci->time[i] - (double)ci->time[i - 1];
	}
	s[0].y = d;
	s[1].y = iv;
	snprintf(title, sizeof title, "chain %.16s...: difficulty and block interval by height",
	    c->idhex);
	svg_plot(&o, title, ci->first, c->height, s, ci->n > 1 ? 2 : 1);
	if (o.oom)
		fatal(BU_EXIT_SYSTEM, "out of memory");
	if ((f = fopen(path, "w")) == NULL || fwrite(o.p, 1, o.n, f) != o.n || fclose(f) != 0)
		fatal(BU_EXIT_SYSTEM, "'%s': cannot write the plot", path);
	buf_free(&o);
	free(d);
	free(iv);
}

static void
parse(int argc, char *argv[], struct args *a)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "chain", required_argument, NULL, 'c' },
		{ "from", required_argument, NULL, 'f' },
		{ "account", required_argument, NULL, 'a' },
		{ "txid", required_argument, NULL, 't' },
		{ "plot", required_argument, NULL, 'p' },
		OPT_COMMON,
		{ NULL, 0, NULL, 0 },
	};
	struct bu_err e;
	int ch;

	while ((ch = getopt_long(argc, argv, "c:f:a:t:p:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'J': a->json = 1; break;
		case 'c': chain_net_or_exit(&a->o, optarg); break;
		case 'f': chain_from_or_exit(&a->o, optarg); break;
		case 'a':
			if (account_arg(optarg, a->key, &e) != 0)
				exit(report_exit(&e, BU_EXIT_INVALID));
			a->account = 1;
			break;
		case 't':
			if (strlen(optarg) != 64 || bu_unhex_rev(optarg, 64, a->id) != 0)
				usage_error("--txid: '%s' is not a txid (64 lower-case hex digits)", optarg);
			a->txid = 1;
			break;
		case 'p': a->plot = optarg; break;
		case OPT_VERSION: print_version();
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	chain_opts_check(&a->o);
	if (a->account && a->txid)
		usage_error("--account and --txid exclude each other");
	if (a->account && a->o.bitcoin)
		usage_error("--account: a Bitcoin chain's headers hold no accounts");
	if (argc - optind > 1) {
		usage_why("one chain file, not %d", argc - optind);
		usage(2);
	}
	a->path = argc > optind ? argv[optind] : "-";
}

int
main(int argc, char *argv[])
{
	struct args a;
	struct found f = { &a, { 0 }, 0 };
	struct chaininfo ci = { 0 };
	struct chain_stats s;
	struct chain c;
	struct bu_err e;
	char hex[65];

	cmd_init(argv);
	memset(&a, 0, sizeof a);
	parse(argc, argv, &a);
	a.o.now = now_or_exit();
	chain_init(&c, &a.o);
	if (a.account || a.txid) {
		ci.each = each_tx;
		ci.arg = &f;
	}
	if (chaininfo_walk(&ci, &c, a.path, &e) != 0)
		return report_exit(&e, BU_EXIT_INVALID);
	if (c.empty)
		fatal(BU_EXIT_INVALID, "'%s': the chain has no blocks", a.path);
	emit(&f.out);
	if (a.account)
		balance(&a, &c);
	if (a.txid && f.hits == 0) {
		bu_hex_rev(hex, a.id);
		fatal(BU_EXIT_INVALID, "not-in-chain: txid %s is in no block of the chain", hex);
	}
	if (!a.account && !a.txid) {
		if (chaininfo_stats(&ci, &c, &s) != 0)
			fatal(BU_EXIT_SYSTEM, "out of memory");
		(a.json ? summary_json : summary_text)(&f.out, &c, &ci, &s);
		emit(&f.out);
	}
	if (a.plot != NULL)
		write_plot(a.plot, &c, &ci);
	buf_free(&f.out);
	chaininfo_free(&ci);
	chain_free(&c);
	return close_stdout();
}
