/*
 * fuzz peers: the node's peers and bans files. Byte 0 chooses which; what
 * loads writes back as text that loads to the same text again, and every
 * address kept is one net_split takes.
 */
#include "fuzz.h"

#include "peers.h"

static int
load(int bans, const void *p, size_t n, struct peers *pp, struct bans *bb)
{
	char path[64];
	struct bu_err e;
	int fd = fuzz_memfd(p, n), rc;

	if (fd < 0)
		return -1;
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	rc = bans ? bans_load(bb, path, NULL, &e) : peers_load(pp, path, NULL, &e);
	close(fd);
	return rc;
}

static void
format(int bans, const struct peers *pp, const struct bans *bb, struct buf *out)
{
	if (bans)
		bans_format(bb, out);
	else
		peers_format(pp, out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct peers p1 = { 0 }, p2 = { 0 };
	struct bans b1 = { 0 }, b2 = { 0 };
	struct buf t1 = { 0 }, t2 = { 0 };
	int bans;
	size_t i;

	if (size < 1)
		return 0;
	bans = data[0] & 1;
	if (load(bans, data + 1, size - 1, &p1, &b1) != 0)
		goto out;
	FUZZ_CHECK(p1.n <= PEERS_MAX);
	for (i = 0; i < p1.n; i++) {
		char host[NET_ADDRLEN], port[8];

		FUZZ_CHECK(net_split(p1.v[i].addr, NULL, host, sizeof host, port, sizeof port, NULL) == 0);
	}
	format(bans, &p1, &b1, &t1);
	FUZZ_CHECK(!t1.oom);
	FUZZ_CHECK(load(bans, t1.p ? t1.p : "", t1.n, &p2, &b2) == 0);
	FUZZ_CHECK(p2.n == p1.n && b2.n == b1.n);
	format(bans, &p2, &b2, &t2);
	FUZZ_CHECK(t2.n == t1.n && (t1.n == 0 || memcmp(t1.p, t2.p, t1.n) == 0));
out:
	buf_free(&t1);
	buf_free(&t2);
	peers_free(&p1);
	peers_free(&p2);
	bans_free(&b1);
	bans_free(&b2);
	return 0;
}
