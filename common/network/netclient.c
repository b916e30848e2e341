/* netclient.c: peer-send's side of the protocol: submissions and requests */
#include "netclient.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "lines.h"

#define CLIENT_LINE (32u << 20)

/* 64 lower-case hex digits at s (a hash as the wire spells it). */
static int
is_hash(const char *s, size_t n)
{
	unsigned char h[32];

	return n == 64 && bu_unhex_rev(s, 64, h) == 0;
}

/* host:port as net_split takes it, in printable ASCII: what --peers may print. */
static int
is_addr(const char *s, size_t n)
{
	char a[NET_ADDRLEN], host[NET_ADDRLEN], port[8];
	size_t i;

	if (n == 0 || n >= sizeof a)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return 0;
	memcpy(a, s, n);
	a[n] = '\0';
	return net_split(a, NULL, host, sizeof host, port, sizeof port, NULL) == 0;
}

static int
neterr(struct bu_err *e, const char *what)
{
	return bu_fail(e, BU_EXIT_SYSTEM, "network", "%s: %s", what,
	    errno ? strerror(errno) : "closed");
}

static int
wait_fd(int fd, short ev, int ms)
{
	struct pollfd p = { .fd = fd, .events = ev };
	int rc;

	while ((rc = poll(&p, 1, ms)) < 0 && errno == EINTR)
		;
	if (rc == 0)
		errno = ETIMEDOUT;
	return rc > 0 ? 0 : -1;
}

static int
try_connect(const struct addrinfo *ai, int ms)
{
	int fd, err = 0;
	socklen_t sl = sizeof err;

	if ((fd = net_connect_start(ai->ai_addr, ai->ai_addrlen, NULL)) < 0)
		return -1;
	if (wait_fd(fd, POLLOUT, ms) != 0 ||
	    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &sl) != 0 || err != 0) {
		if (err)
			errno = err;
		close(fd);
		return -1;
	}
	return fd;
}

int
client_send(struct client *cl, const char *line, size_t len, struct bu_err *e)
{
	struct netout o = { 0 };
	int64_t end = net_ms() + cl->timeout_ms;

	netout_line(&o, line, len);
	while (netout_pending(&o) > 0) {
		if (netout_flush(&o, cl->fd) != 0 ||
		    (netout_pending(&o) > 0 && wait_fd(cl->fd, POLLOUT, (int)(end - net_ms())) != 0)) {
			netout_free(&o);
			return neterr(e, "send");
		}
	}
	netout_free(&o);
	return 0;
}

int
client_recv(struct client *cl, char **line, size_t *len, struct bu_err *e)
{
	int k;

	for (;;) {
		if ((k = netin_line(&cl->in, line, len)) < 0)
			return bu_fail(e, BU_EXIT_SYSTEM, "network", "the node sent a line over the limit");
		if (k > 0 && *len > 5 && memcmp(*line, "ping ", 5) == 0) {
			(*line)[1] = 'o';
			if (client_send(cl, *line, *len, e) != 0)
				return -1;
			continue;
		}
		if (k > 0)
			return 0;
		errno = 0;
		if (wait_fd(cl->fd, POLLIN, cl->timeout_ms) != 0)
			return neterr(e, "receive");
		if ((k = netin_read(&cl->in, cl->fd)) <= 0)
			return neterr(e, "receive");
	}
}

int
client_open(struct client *cl, const char *hostport, int timeout_ms, struct bu_err *e)
{
	struct addrinfo *res, *ai;
	int fd = -1;

	memset(cl, 0, sizeof *cl);
	cl->fd = -1;
	if (net_resolve(hostport, NULL, 0, &res, e) != 0)
		return -1;
	for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next)
		fd = try_connect(ai, timeout_ms);
	freeaddrinfo(res);
	if (fd < 0)
		return neterr(e, hostport);
	return client_attach(cl, fd, timeout_ms, hostport, e);
}

int
client_attach(struct client *cl, int fd, int timeout_ms, const char *name,
    struct bu_err *e)
{
	char *line, hello[200];
	size_t len;

	memset(cl, 0, sizeof *cl);
	cl->fd = fd;
	cl->timeout_ms = timeout_ms;
	cl->in.limit = CLIENT_LINE;
	if (client_recv(cl, &line, &len, e) != 0)
		return -1;
	if (len < 12 + 64 || memcmp(line, "hello chain=", 12) != 0 || !is_hash(line + 12, 64) ||
	    (len > 76 && line[76] != ' '))
		return bu_fail(e, BU_EXIT_SYSTEM, "network", "%s: no hello from the node", name);
	memcpy(cl->chain, line + 12, 64);
	cl->chain[64] = '\0';
	snprintf(hello, sizeof hello,
	    "hello chain=%s height=0 work=0 port=0 nonce=%016llx agent=peer-send",
	    cl->chain, (unsigned long long)(getpid() * 2654435761ULL + (uint64_t)net_ms()));
	return client_send(cl, hello, strlen(hello), e);
}

void
client_close(struct client *cl)
{
	if (cl->fd >= 0)
		close(cl->fd);
	netin_free(&cl->in);
	cl->fd = -1;
}

static int
starts(const char *line, size_t len, const char *w)
{
	size_t n = strlen(w);

	return len >= n && memcmp(line, w, n) == 0;
}

/* Whether line is "WORD cmd ..." for one of the verdicts that mean the node has it. */
static int
took(const char *line, size_t len, const char *cmd)
{
	static const char *const ok[] = { "accepted", "side", "known" };
	char w[32];
	size_t i;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		snprintf(w, sizeof w, "%s %s ", ok[i], cmd);
		if (starts(line, len, w))
			return 1;
	}
	return 0;
}

/*
 * One verdict on out: "VERDICT KIND REST" as text, or as a JSON object
 * with the hash (accepted, side, known) or the reason and its message.
 */
static void
print_verdict(const struct client *cl, FILE *out, const char *kind, const char *v,
    size_t vlen, const char *rest)
{
	struct buf b = { 0 };
	struct json j;
	const char *sp;

	if (!cl->json) {
		fprintf(out, "%.*s %s %s\n", (int)vlen, v, kind, rest);
		return;
	}
	json_start(&j, &b);
	json_cstr(&j, "kind", kind);
	json_str(&j, "verdict", v, vlen);
	if (vlen == 8 && memcmp(v, "rejected", 8) == 0) {
		sp = strchr(rest, ' ');
		json_str(&j, "reason", rest, sp != NULL ? (size_t)(sp - rest) : strlen(rest));
		json_cstr(&j, "message", sp != NULL ? sp + 1 : "");
	} else {
		json_cstr(&j, "hash", rest);
	}
	json_finish(&j);
	if (!b.oom)
		fwrite(b.p, 1, b.n, out);
	buf_free(&b);
}

/*
 * The verdict on one submission: 0 the node has it (accepted to its best
 * chain, stored on a side branch, or known already), 1 rejected (printed),
 * -1 error.
 */
static int
verdict(struct client *cl, const char *cmd, FILE *out, struct bu_err *e)
{
	char rej[32], *line;
	size_t len;

	snprintf(rej, sizeof rej, "reject %s ", cmd);
	for (;;) {
		if (client_recv(cl, &line, &len, e) != 0)
			return -1;
		if (took(line, len, cmd)) {
			size_t w = (size_t)((char *)memchr(line, ' ', len) - line);

			print_verdict(cl, out, cmd, line, w, line + w + strlen(cmd) + 2);
			return 0;
		}
		if (starts(line, len, rej)) {
			print_verdict(cl, out, cmd, "rejected", 8, line + strlen(rej));
			return 1;
		}
	}
}

int
client_submit(struct client *cl, FILE *in, FILE *out, struct bu_err *e)
{
	struct lines r;
	const char *line;
	size_t len;
	int worst = 0, v = 0, got = 0;

	if (lines_fdopen(&r, dup(fileno(in)), "-", CLIENT_LINE, e) != 0)
		return -1;
	while (v >= 0 && (got = lines_next(&r, &line, &len, e)) > 0) {
		const char *cmd;

		if (starts(line, len, "block "))
			cmd = "block";
		else if (starts(line, len, "tx "))
			cmd = "tx";
		else {
			print_verdict(cl, out, "line", "rejected", 8, "bad-syntax not a block or tx line");
			worst = 1;
			continue;
		}
		if (client_send(cl, line, len, e) != 0 || (v = verdict(cl, cmd, out, e)) < 0)
			v = -1;
		else if (v > worst)
			worst = v;
		fflush(out);
	}
	if (v >= 0 && got < 0 && e->code != BU_EXIT_SYSTEM) {
		e->file = r.name;
		e->line = r.lineno;
	}
	lines_close(&r);
	return v < 0 || got < 0 ? -1 : worst;
}

/* Send a ping as a barrier: every answer to what came before arrives first. */
static int
barrier(struct client *cl, char nonce[17], struct bu_err *e)
{
	char line[32];

	snprintf(nonce, 17, "%016llx", (unsigned long long)++cl->pings);
	snprintf(line, sizeof line, "ping %s", nonce);
	return client_send(cl, line, strlen(line), e);
}

static int
is_pong(const char *line, size_t len, const char nonce[17])
{
	return len == 21 && memcmp(line, "pong ", 5) == 0 && memcmp(line + 5, nonce, 16) == 0;
}

/* Send req then a barrier; collect the lines starting with want until the pong. */
static int
collect(struct client *cl, const char *req, const char *want, struct buf *got,
    size_t *count, struct bu_err *e)
{
	char nonce[17], *line;
	size_t len;

	*count = 0;
	if ((req != NULL && client_send(cl, req, strlen(req), e) != 0) ||
	    barrier(cl, nonce, e) != 0)
		return -1;
	for (;;) {
		if (client_recv(cl, &line, &len, e) != 0)
			return -1;
		if (is_pong(line, len, nonce))
			return got->oom ? bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory") : 0;
		if (starts(line, len, want)) {
			buf_add(got, line, len);
			buf_add(got, "\n", 1);
			(*count)++;
		}
	}
}

/* Whether the first block line in got names prev (display order) as its parent. */
static int
follows(const struct buf *got, const char *prev)
{
	const char *nl = got->n > 0 ? memchr(got->p, '\n', got->n) : NULL;
	const char *p;
	char key[72];

	if (nl == NULL)
		return 0;
	snprintf(key, sizeof key, " prev=%.64s ", prev);
	for (p = got->p; p + strlen(key) <= nl; p++)
		if (memcmp(p, key, strlen(key)) == 0)
			return 1;
	return 0;
}

/*
 * Ask getdata for each "inv KIND <hash>" line of invs; print the answers.
 * A line that is not exactly that (the node's mistake) asks for nothing.
 */
static int
fetch(struct client *cl, const struct buf *invs, const char *kind, FILE *out,
    char last[65], const char *prev, struct bu_err *e)
{
	char req[100], want[16];
	const char *p = invs->p, *end = invs->p + invs->n, *nl;
	size_t skip = strlen("inv ") + strlen(kind) + 1, k;
	struct buf got = { 0 };
	int rc;

	snprintf(want, sizeof want, "%s ", kind);
	for (; p != NULL && p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL;
	    p = nl + 1) {
		if ((size_t)(nl - p) != skip + 64 || !is_hash(p + skip, 64))
			continue;
		snprintf(req, sizeof req, "getdata %s %.64s", kind, p + skip);
		if (client_send(cl, req, strlen(req), e) != 0)
			return -1;
		if (last != NULL)
			snprintf(last, 65, "%.64s", p + skip);
	}
	rc = collect(cl, NULL, want, &got, &k, e);
	if (rc == 0 && prev != NULL && !follows(&got, prev))
		rc = bu_fail(e, BU_EXIT_INVALID, "not-found",
		    "block %s is not on the node's best chain", prev);
	if (rc == 0 && got.n > 0)
		fwrite(got.p, 1, got.n, out);
	buf_free(&got);
	return rc;
}

/* The node's info line (without the word info) into line[size]. */
static int
info_line(struct client *cl, char *line, size_t size, struct bu_err *e)
{
	struct buf got = { 0 };
	size_t k;
	int rc;

	if ((rc = collect(cl, "getinfo", "info ", &got, &k, e)) == 0 &&
	    (k != 1 || got.n - 6 >= size))
		rc = bu_fail(e, BU_EXIT_SYSTEM, "network", "the node did not answer getinfo");
	if (rc == 0)
		snprintf(line, size, "%.*s", (int)(got.n - 6), got.p + 5);
	buf_free(&got);
	return rc;
}

/* The value of key= in an info line, in val[size]; 0, or -1 if it is not there. */
static int
info_field(const char *line, const char *key, char *val, size_t size)
{
	size_t n = strlen(key), w;
	const char *p = line;

	while (*p != '\0') {
		w = strcspn(p, " ");
		if (w > n && p[n] == '=' && memcmp(p, key, n) == 0 && w - n - 1 < size) {
			snprintf(val, size, "%.*s", (int)(w - n - 1), p + n + 1);
			return 0;
		}
		p += w;
		p += *p == ' ';
	}
	return -1;
}

/* Blocks after last, a getblocks answer at a time, until the node has no more. */
static int
chain_after(struct client *cl, char last[65], const char *since, FILE *out, struct bu_err *e)
{
	struct buf invs = { 0 };
	char req[100];
	size_t k;

	for (;;) {
		char before[65];

		memcpy(before, last, 65);
		snprintf(req, sizeof req, "getblocks %s", last);
		invs.n = 0;
		if (collect(cl, req, "inv block ", &invs, &k, e) != 0 ||
		    (k > 0 && fetch(cl, &invs, "block", out, last, since, e) != 0)) {
			buf_free(&invs);
			return -1;
		}
		since = NULL;		/* the first answer is checked, the rest follow it */
		if (k == 0 || strcmp(before, last) == 0)	/* the end, or no way on */
			break;
	}
	buf_free(&invs);
	return 0;
}

/* --since HASH: nothing when HASH is the node's tip, else what follows it. */
static int
chain_since(struct client *cl, const char *since, FILE *out, struct bu_err *e)
{
	char info[1024], tip[65], last[65];
	int rc;

	if (info_line(cl, info, sizeof info, e) != 0)
		return -1;
	if (info_field(info, "tip", tip, sizeof tip) != 0 || !is_hash(tip, strlen(tip)))
		return bu_fail(e, BU_EXIT_SYSTEM, "network", "the node's info names no tip");
	if (strcmp(tip, since) == 0)
		return 0;
	snprintf(last, sizeof last, "%s", since);
	rc = chain_after(cl, last, since, out, e);
	if (rc == 0 && strcmp(last, since) == 0)	/* no block followed it */
		rc = bu_fail(e, BU_EXIT_INVALID, "not-found",
		    "block %s is not on the node's best chain", since);
	return rc;
}

int
client_chain(struct client *cl, const char *since, FILE *out, struct bu_err *e)
{
	struct buf gen = { 0 };
	char last[65], req[100];
	size_t k;

	if (since != NULL)
		return chain_since(cl, since, out, e);
	snprintf(last, sizeof last, "%s", cl->chain);
	snprintf(req, sizeof req, "getdata block %s", cl->chain);
	if (collect(cl, req, "block ", &gen, &k, e) != 0) {
		buf_free(&gen);
		return -1;
	}
	if (k != 1) {
		buf_free(&gen);
		return bu_fail(e, BU_EXIT_SYSTEM, "network", "the node did not send its genesis block");
	}
	fwrite(gen.p, 1, gen.n, out);
	buf_free(&gen);
	return chain_after(cl, last, NULL, out, e);
}

int
client_info(struct client *cl, FILE *out, struct bu_err *e)
{
	static const char *const keys[] = { "chain", "height", "tip", "work", "in", "out",
		"mempool", "agent" };
	char info[1024], val[256];
	struct buf b = { 0 };
	struct json j;
	size_t i;
	uint64_t v;

	if (info_line(cl, info, sizeof info, e) != 0)
		return -1;
	if (!cl->json) {
		fprintf(out, "%s\n", info);
		return 0;
	}
	json_start(&j, &b);
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (info_field(info, keys[i], val, sizeof val) != 0)
			json_null(&j, keys[i]);
		else if (i == 0 || i == 2 || i == 3 || i == 7)	/* chain, tip, work, agent */
			json_cstr(&j, keys[i], val);
		else if (bu_parse_u64(val, strlen(val), UINT64_MAX, &v) == 0)
			json_num(&j, keys[i], v);
		else
			json_null(&j, keys[i]);
	}
	json_finish(&j);
	if (b.oom) {
		buf_free(&b);
		return bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
	}
	fwrite(b.p, 1, b.n, out);
	buf_free(&b);
	return 0;
}

int
client_mempool(struct client *cl, FILE *out, struct bu_err *e)
{
	struct buf invs = { 0 };
	size_t k;
	int rc;

	rc = collect(cl, "mempool", "inv tx ", &invs, &k, e);
	if (rc == 0 && k > 0)
		rc = fetch(cl, &invs, "tx", out, NULL, NULL, e);
	buf_free(&invs);
	return rc;
}

int
client_peers(struct client *cl, FILE *out, struct bu_err *e)
{
	struct buf got = { 0 };
	const char *p;
	size_t k, i;

	if (collect(cl, "getaddr", "addr ", &got, &k, e) != 0) {
		buf_free(&got);
		return -1;
	}
	/* each line is "addr A B ...": print A, B, ... (not the word addr) */
	for (p = got.p, i = 0; i < got.n; i++)
		if (got.p[i] == ' ' || got.p[i] == '\n') {
			size_t w = (size_t)(got.p + i - p);

			if (!(w == 4 && memcmp(p, "addr", 4) == 0 && (p == got.p || p[-1] == '\n')) &&
			    is_addr(p, w))
				fprintf(out, "%.*s\n", (int)w, p);
			p = got.p + i + 1;
		}
	buf_free(&got);
	return 0;
}

int
client_ping(struct client *cl, FILE *out, struct bu_err *e)
{
	struct buf none = { 0 };
	size_t k;
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	if (collect(cl, NULL, "\n", &none, &k, e) != 0) {
		buf_free(&none);
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	fprintf(out, "pong time=%.3f ms\n",
	    (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6);
	buf_free(&none);
	return 0;
}
