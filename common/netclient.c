/* netclient.c: peer-send's side of the protocol: submissions and requests */
#include "netclient.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CLIENT_LINE (32u << 20)

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
	char *line, hello[200];
	size_t len;

	memset(cl, 0, sizeof *cl);
	cl->fd = -1;
	cl->timeout_ms = timeout_ms;
	cl->in.limit = CLIENT_LINE;
	if (net_resolve(hostport, NULL, 0, &res, e) != 0)
		return -1;
	for (ai = res; ai != NULL && cl->fd < 0; ai = ai->ai_next)
		cl->fd = try_connect(ai, timeout_ms);
	freeaddrinfo(res);
	if (cl->fd < 0)
		return neterr(e, hostport);
	if (client_recv(cl, &line, &len, e) != 0)
		return -1;
	if (len < 6 + 6 + 64 || memcmp(line, "hello chain=", 12) != 0)
		return bu_fail(e, BU_EXIT_SYSTEM, "network", "%s: no hello from the node", hostport);
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
			fprintf(out, "%s\n", line);
			return 0;
		}
		if (starts(line, len, rej)) {
			fprintf(out, "rejected %s\n", line + 7);
			return 1;
		}
	}
}

int
client_submit(struct client *cl, FILE *in, FILE *out, struct bu_err *e)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int worst = 0, v;

	while ((len = getline(&line, &cap, in)) > 0) {
		const char *cmd;

		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (starts(line, (size_t)len, "block "))
			cmd = "block";
		else if (starts(line, (size_t)len, "tx "))
			cmd = "tx";
		else {
			fprintf(out, "rejected line bad-syntax not a block or tx line\n");
			worst = 1;
			continue;
		}
		if (client_send(cl, line, (size_t)len, e) != 0 || (v = verdict(cl, cmd, out, e)) < 0) {
			free(line);
			return -1;
		}
		if (v > worst)
			worst = v;
		fflush(out);
	}
	free(line);
	return worst;
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

/* Ask getdata for each "inv KIND <hash>" line of invs; print the answers. */
static int
fetch(struct client *cl, const struct buf *invs, const char *kind, FILE *out,
    char last[65], struct bu_err *e)
{
	char req[100], want[16];
	const char *p = invs->p, *end = invs->p + invs->n;
	size_t skip = strlen("inv ") + strlen(kind) + 1, k;
	struct buf got = { 0 };
	int rc;

	snprintf(want, sizeof want, "%s ", kind);
	for (; p != NULL && p < end; p = memchr(p, '\n', (size_t)(end - p)) + 1) {
		snprintf(req, sizeof req, "getdata %s %.64s", kind, p + skip);
		if (client_send(cl, req, strlen(req), e) != 0)
			return -1;
		if (last != NULL)
			snprintf(last, 65, "%.64s", p + skip);
	}
	rc = collect(cl, NULL, want, &got, &k, e);
	if (rc == 0 && got.n > 0)
		fwrite(got.p, 1, got.n, out);
	buf_free(&got);
	return rc;
}

int
client_chain(struct client *cl, FILE *out, struct bu_err *e)
{
	struct buf invs = { 0 }, gen = { 0 };
	char last[65], req[100];
	size_t k;

	snprintf(last, sizeof last, "%s", cl->chain);
	snprintf(req, sizeof req, "getdata block %s", cl->chain);
	if (collect(cl, req, "block ", &gen, &k, e) != 0)
		return -1;
	if (k != 1) {
		buf_free(&gen);
		return bu_fail(e, BU_EXIT_SYSTEM, "network", "the node did not send its genesis block");
	}
	fwrite(gen.p, 1, gen.n, out);
	buf_free(&gen);
	for (;;) {
		snprintf(req, sizeof req, "getblocks %s", last);
		invs.n = 0;
		if (collect(cl, req, "inv block ", &invs, &k, e) != 0 ||
		    (k > 0 && fetch(cl, &invs, "block", out, last, e) != 0)) {
			buf_free(&invs);
			return -1;
		}
		if (k == 0)
			break;
	}
	buf_free(&invs);
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
		rc = fetch(cl, &invs, "tx", out, NULL, e);
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
	for (p = got.p, i = 0; i < got.n; i++)
		if (got.p[i] == ' ' || got.p[i] == '\n') {
			if (p != got.p && p < got.p + i)
				fprintf(out, "%.*s\n", (int)(got.p + i - p), p);
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
	if (collect(cl, NULL, "\n", &none, &k, e) != 0)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &b);
	fprintf(out, "pong time=%.3f ms\n",
	    (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6);
	buf_free(&none);
	return 0;
}
