/* peers.c: the address table, the peers file and the ban list */
#include "peers.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lines.h"
#include "replace.h"

#define PEERS_LINE 4096	/* the longest line of a peers or bans file */

static uint32_t
addr_hash(const char *a)
{
	uint32_t h = 2166136261u;

	while (*a)
		h = (h ^ (unsigned char)*a++) * 16777619u;
	return h;
}

/* The table slot of addr: its entry, or the empty slot where it would go. */
static size_t
slot_of(const struct peers *p, const char *addr)
{
	size_t i = addr_hash(addr) & (p->tabcap - 1);

	while (p->tab[i] >= 0 && strcmp(p->v[p->tab[i]].addr, addr) != 0)
		i = (i + 1) & (p->tabcap - 1);
	return i;
}

struct peer *
peers_find(struct peers *p, const char *addr)
{
	size_t i;

	if (p->tabcap == 0)
		return NULL;
	i = slot_of(p, addr);
	return p->tab[i] >= 0 ? &p->v[p->tab[i]] : NULL;
}

static int
grow_tab(struct peers *p)
{
	size_t ncap = p->tabcap ? 2 * p->tabcap : 128, i;
	int32_t *t = malloc(ncap * sizeof *t);

	if (t == NULL)
		return -1;
	free(p->tab);
	p->tab = t;
	p->tabcap = ncap;
	for (i = 0; i < ncap; i++)
		t[i] = -1;
	for (i = 0; i < p->n; i++)
		t[slot_of(p, p->v[i].addr)] = (int32_t)i;
	return 0;
}

/* O(1) with the hash table, so that gossip of a full table never stalls the node. */
struct peer *
peers_add(struct peers *p, const char *addr)
{
	struct peer *x = peers_find(p, addr);

	if (x != NULL)
		return x;
	if (p->n >= PEERS_MAX || strlen(addr) >= NET_ADDRLEN)
		return NULL;
	if (2 * (p->n + 1) > p->tabcap && grow_tab(p) != 0)
		return NULL;
	if (p->n == p->cap) {
		size_t ncap = p->cap ? 2 * p->cap : 64;
		struct peer *nv = realloc(p->v, ncap * sizeof *nv);

		if (nv == NULL)
			return NULL;
		p->v = nv;
		p->cap = ncap;
	}
	x = &p->v[p->n];
	memset(x, 0, sizeof *x);
	strcpy(x->addr, addr);
	p->tab[slot_of(p, addr)] = (int32_t)p->n++;
	return x;
}

void
peers_free(struct peers *p)
{
	free(p->v);
	free(p->tab);
	memset(p, 0, sizeof *p);
}

/* "key=value" at *s, value up to the next space; advances *s. */
static int
field(const char **s, const char *key, char *out, size_t n)
{
	size_t kl = strlen(key), vl;
	const char *v;

	if (strncmp(*s, key, kl) != 0 || (*s)[kl] != '=')
		return -1;
	v = *s + kl + 1;
	vl = strcspn(v, " ");
	if (vl == 0 || vl >= n)
		return -1;
	memcpy(out, v, vl);
	out[vl] = '\0';
	*s = v + vl + (v[vl] == ' ');
	return 0;
}

static int
num(const char *s, uint64_t max, uint64_t *out)
{
	return bu_parse_u64(s, strlen(s), max, out);
}

/* A syntactically good numeric address: what net_split accepts, with a port. */
static int
good_addr(const char *a)
{
	char host[NET_ADDRLEN], port[8];

	return net_split(a, NULL, host, sizeof host, port, sizeof port, NULL) == 0 &&
	    strcmp(port, "0") != 0;
}

static int
parse_peer(struct peers *p, const char *line)
{
	char addr[NET_ADDRLEN], seen[24], att[16], suc[16];
	uint64_t s, a, c;
	struct peer *x;

	if (strncmp(line, "peer ", 5) != 0)
		return -1;
	line += 5;
	if (field(&line, "addr", addr, sizeof addr) != 0 || !good_addr(addr) ||
	    field(&line, "seen", seen, sizeof seen) != 0 ||
	    field(&line, "attempts", att, sizeof att) != 0 ||
	    field(&line, "successes", suc, sizeof suc) != 0 || *line != '\0' ||
	    num(seen, INT64_MAX, &s) != 0 || num(att, UINT32_MAX, &a) != 0 ||
	    num(suc, UINT32_MAX, &c) != 0)
		return -1;
	if ((x = peers_add(p, addr)) == NULL)
		return 0;
	x->seen = (int64_t)s;
	x->attempts = (uint32_t)a;
	x->successes = (uint32_t)c;
	return 0;
}

typedef int (*line_fn)(void *, const char *);

/* Each line of path through fn; bad lines are warned about and skipped. */
static int
load_lines(const char *path, line_fn fn, void *arg, FILE *warn, struct bu_err *e)
{
	struct lines r;
	const char *line;
	char copy[PEERS_LINE + 1];
	size_t len;
	int got;

	if (access(path, F_OK) != 0 && errno == ENOENT)
		return 0;
	if (lines_open(&r, path, PEERS_LINE, e) != 0)
		return -1;
	while ((got = lines_next(&r, &line, &len, e)) != 0) {
		if (got < 0 && e->cls == BU_C_IO) {
			lines_close(&r);
			return -1;
		}
		if (got > 0 && len < sizeof copy && memchr(line, '\0', len) == NULL) {
			memcpy(copy, line, len);
			copy[len] = '\0';
			if (fn(arg, copy) == 0)
				continue;
		}
		if (warn != NULL)
			fprintf(warn, "%s: %s:%llu: bad line %s\n", bu_progname, path,
			    (unsigned long long)r.lineno, got < 0 ? "and the rest ignored" : "skipped");
		if (got < 0)
			break;
	}
	lines_close(&r);
	return 0;
}

static int
peer_line(void *arg, const char *line)
{
	return parse_peer(arg, line);
}

int
peers_load(struct peers *p, const char *path, FILE *warn, struct bu_err *e)
{
	return load_lines(path, peer_line, p, warn, e);
}

/* Replace path with what b holds, and free b. */
static int
save_buf(const char *path, struct buf *b, struct bu_err *e)
{
	int rc;

	if (b->oom) {
		buf_free(b);
		return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
	}
	rc = file_replace(path, b->p ? b->p : "", b->n, REPLACE_DURABLE, e);
	buf_free(b);
	return rc;
}

void
peers_format(const struct peers *p, struct buf *b)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		const struct peer *x = &p->v[i];

		if (x->self)
			continue;
		buf_fmt(b, "peer addr=%s seen=%lld attempts=%lu successes=%lu\n", x->addr,
		    (long long)x->seen, (unsigned long)x->attempts,
		    (unsigned long)x->successes);
	}
}

int
peers_save(const struct peers *p, const char *path, struct bu_err *e)
{
	struct buf b = { 0 };

	peers_format(p, &b);
	return save_buf(path, &b, e);
}

int
bans_has(struct bans *b, const char *key, int64_t now)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		if (b->v[i].until <= now) {
			b->v[i--] = b->v[--b->n];
			continue;
		}
		if (strcmp(b->v[i].key, key) == 0)
			return 1;
	}
	return 0;
}

int
bans_add(struct bans *b, const char *key, int64_t until, const char *reason)
{
	struct ban *x = NULL;
	size_t i;

	for (i = 0; i < b->n && x == NULL; i++)
		if (strcmp(b->v[i].key, key) == 0)
			x = &b->v[i];
	if (x == NULL) {
		if (b->n == b->cap) {
			size_t ncap = b->cap ? 2 * b->cap : 16;
			struct ban *nv = realloc(b->v, ncap * sizeof *nv);

			if (nv == NULL)
				return -1;
			b->v = nv;
			b->cap = ncap;
		}
		x = &b->v[b->n++];
	}
	snprintf(x->key, sizeof x->key, "%s", key);
	snprintf(x->reason, sizeof x->reason, "%s", reason);
	x->until = until;
	return 0;
}

static int
ban_line(void *arg, const char *line)
{
	char key[NET_ADDRLEN], until[24], reason[40];
	uint64_t u;

	if (strncmp(line, "ban ", 4) != 0)
		return -1;
	line += 4;
	if (field(&line, "addr", key, sizeof key) != 0 ||
	    field(&line, "until", until, sizeof until) != 0 ||
	    field(&line, "reason", reason, sizeof reason) != 0 || *line != '\0' ||
	    num(until, INT64_MAX, &u) != 0)
		return -1;
	return bans_add(arg, key, (int64_t)u, reason);
}

int
bans_load(struct bans *b, const char *path, FILE *warn, struct bu_err *e)
{
	return load_lines(path, ban_line, b, warn, e);
}

void
bans_format(const struct bans *b, struct buf *o)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		buf_fmt(o, "ban addr=%s until=%lld reason=%s\n", b->v[i].key,
		    (long long)b->v[i].until, b->v[i].reason);
}

int
bans_save(const struct bans *b, const char *path, struct bu_err *e)
{
	struct buf o = { 0 };

	bans_format(b, &o);
	return save_buf(path, &o, e);
}

void
bans_free(struct bans *b)
{
	free(b->v);
	memset(b, 0, sizeof *b);
}
