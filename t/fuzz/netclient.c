/*
 * fuzz netclient: peer-send's reading of a node's answers. Byte 0 chooses
 * the conversation (hello only, submit, --chain with or without --since,
 * --mempool, --peers, --ping); the rest is everything the node says. A thread plays the node
 * on a socketpair: it sends those bytes, then reads all the client says.
 * Every line the client sends must be one of its own messages, well
 * formed, and what it prints must be what it promises to print.
 */
#include "fuzz.h"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>

#include "netclient.h"

static const char submit_lines[] =
    "tx data:one\n"
    "block height=1 junk\n"
    "not a record\n";

struct node {
	int fd;
	const uint8_t *p;
	size_t n;
	struct buf heard;
};

static void *
play_node(void *arg)
{
	struct node *nd = arg;
	size_t sent = 0;
	char chunk[65536];

	if (nd->n == 0)	/* nothing to say: the client must not wait for it */
		shutdown(nd->fd, SHUT_WR);
	for (;;) {
		struct pollfd pf = { nd->fd, POLLIN | (sent < nd->n ? POLLOUT : 0), 0 };
		ssize_t k;

		if (poll(&pf, 1, -1) < 0)
			break;
		if (pf.revents & POLLOUT) {
			if ((k = write(nd->fd, nd->p + sent, nd->n - sent)) > 0)
				sent += (size_t)k;
			if (k < 0 || sent == nd->n)
				shutdown(nd->fd, SHUT_WR), sent = nd->n;
		}
		if (pf.revents & (POLLIN | POLLHUP | POLLERR)) {
			if ((k = read(nd->fd, chunk, sizeof chunk)) <= 0)
				break;
			buf_add(&nd->heard, chunk, (size_t)k);
		}
	}
	return NULL;
}

static int
is_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* "word <64 hex>" exactly */
static int
is_cmd_hash(const char *l, size_t n, const char *word)
{
	size_t w = strlen(word);

	return n == w + 64 && memcmp(l, word, w) == 0 && is_hex(l + w, 64);
}

/* One line the client sent: its hello, a request, an answer to a ping, a submitted line. */
static int
client_message(const char *l, size_t n, const uint8_t *said, size_t saidn)
{
	static const char h1[] = "hello chain=", h2[] = " height=0 work=0 port=0 nonce=",
	    h3[] = " agent=peer-send";

	if (n == 12 + 64 + 30 + 16 + 16 && memcmp(l, h1, 12) == 0 && is_hex(l + 12, 64) &&
	    memcmp(l + 76, h2, 30) == 0 && is_hex(l + 106, 16) && memcmp(l + 122, h3, 16) == 0)
		return 1;
	if (is_cmd_hash(l, n, "getdata block ") || is_cmd_hash(l, n, "getdata tx ") ||
	    is_cmd_hash(l, n, "getblocks "))
		return 1;
	if (n == 7 && (memcmp(l, "mempool", 7) == 0 || memcmp(l, "getaddr", 7) == 0 ||
	    memcmp(l, "getinfo", 7) == 0))
		return 1;
	if (n == 21 && memcmp(l, "ping ", 5) == 0 && is_hex(l + 5, 16))
		return 1;
	if (n > 5 && memcmp(l, "pong ", 5) == 0) {	/* the node's own ping, echoed */
		char *ping = malloc(n);
		int found;

		FUZZ_CHECK(ping != NULL);
		memcpy(ping, "ping ", 5);
		memcpy(ping + 5, l + 5, n - 5);
		found = memmem(said, saidn, ping, n) != NULL;
		free(ping);
		return found;
	}
	if ((n == 11 && memcmp(l, "tx data:one", 11) == 0) ||
	    (n == 19 && memcmp(l, "block height=1 junk", 19) == 0))
		return 1;
	return 0;
}

/* Each line of out starts with one of the prefixes ("" allows any line without spaces). */
static void
check_out(const char *p, size_t n, const char *const *prefixes)
{
	const char *end = p + n;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)(nl - p), i;
		int ok = 0;

		FUZZ_CHECK(nl != NULL);
		for (i = 0; prefixes[i] != NULL && !ok; i++) {
			size_t k = strlen(prefixes[i]);

			ok = k == 0 ? len > 0 && memchr(p, ' ', len) == NULL :
			    len >= k && memcmp(p, prefixes[i], k) == 0;
		}
		FUZZ_CHECK(ok);
		if (prefixes[0][0] == '\0') {	/* --peers: addresses, not the word addr */
			char a[NET_ADDRLEN], host[NET_ADDRLEN], port[8];

			FUZZ_CHECK(len < sizeof a);
			memcpy(a, p, len);
			a[len] = '\0';
			FUZZ_CHECK(strcmp(a, "addr") != 0 && strlen(a) == len &&
			    net_split(a, NULL, host, sizeof host, port, sizeof port, NULL) == 0);
		}
		p = nl + 1;
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv);
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const blocks[] = { "block ", NULL }, *const txs[] = { "tx ", NULL },
	    *const addrs[] = { "", NULL }, *const pongs[] = { "pong time=", NULL },
	    *const verdicts[] = { "accepted ", "side ", "known ", "rejected ", NULL };
	struct node nd = { -1, NULL, 0, { 0 } };
	struct client cl;
	struct bu_err e;
	pthread_t th;
	char *outp = NULL;
	size_t outn = 0;
	FILE *out;
	int sv[2], mode, rc = -1;
	const char *p, *end;
	static const char since[] =
	    "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f";

	if (size < 1 || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return 0;
	mode = data[0] % 6;
	nd.fd = sv[1];
	nd.p = data + 1;
	nd.n = size - 1;
	if (pthread_create(&th, NULL, play_node, &nd) != 0) {
		close(sv[0]);
		close(sv[1]);
		return 0;
	}
	out = open_memstream(&outp, &outn);
	FUZZ_CHECK(out != NULL);
	if (client_attach(&cl, sv[0], 500, "fuzz", &e) == 0) {
		FILE *in = NULL;
		int fd;

		switch (mode) {
		case 1:
			if ((fd = fuzz_memfd(submit_lines, sizeof submit_lines - 1)) >= 0 &&
			    (in = fdopen(fd, "r")) != NULL)
				rc = client_submit(&cl, in, out, &e);
			if (in != NULL)
				fclose(in);
			break;
		case 2:	/* the whole chain, or (second bit of the mode byte) what follows a block */
			rc = client_chain(&cl, data[0] / 6 % 2 ? since : NULL, out, &e);
			break;
		case 3: rc = client_mempool(&cl, out, &e); break;
		case 4: rc = client_peers(&cl, out, &e); break;
		case 5: rc = client_ping(&cl, out, &e); break;
		default: rc = 0; break;
		}
	}
	client_close(&cl);
	pthread_join(th, NULL);
	close(sv[1]);
	fclose(out);
	for (p = nd.heard.p, end = p ? p + nd.heard.n : NULL; p != NULL && p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		FUZZ_CHECK(nl != NULL);
		FUZZ_CHECK(client_message(p, (size_t)(nl - p), data + 1, size - 1));
		p = nl + 1;
	}
	if (rc >= 0 && mode >= 1)
		check_out(outp, outn, mode == 1 ? verdicts : mode == 2 ? blocks :
		    mode == 3 ? txs : mode == 4 ? addrs : pongs);
	free(outp);
	buf_free(&nd.heard);
	return 0;
}
