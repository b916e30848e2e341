/*
 * fuzz node: every wire message through the node's handler, after a
 * handshake. A node runs on a chain of three blocks; each input comes from
 * a new inbound connection (one end of a socketpair) that says hello as a
 * peer, then sends the input and a ping. The node must never fail, must
 * answer the ping unless it dropped the connection (it answers in order),
 * and its chain file must keep its blocks.
 */
#include "fuzz.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "node.h"
#include "node_test.h"
#include "record.h"

static const char chain[] =
	"block height=0 hash=77d922942a3418f7979c89c1fb92d8ce6520db4abe273d33a0b7eaacc0c2ce2d version=1 prev=0000000000000000000000000000000000000000000000000000000000000000 merkle=af864fda222616c3d45982357b4b2d929213222a3efbd788a74ca029ed86f05e time=1699998994 bits=207fffff nonce=0 tx=params:name=t6000,spacing=600,retarget=0,powlimit=207fffff,subsidy=5000000000,halving=210000,maturity=100,maxblock=1000000\n"
	"block height=1 hash=335747634740f631232a072a183a67bc1887edf3eaa74429877e009b7d690f7a version=1 prev=77d922942a3418f7979c89c1fb92d8ce6520db4abe273d33a0b7eaacc0c2ce2d merkle=a947490c8bd8d94729087664c0c3e2563e843b07e283e0105e84295909834aa1 time=1699999000 bits=207fffff nonce=0 tx=coinbase:1:1111111111111111111111111111111111111111111111111111111111111111:5000000000:\n"
	"block height=2 hash=0f66ba01557a956a7a1406639aff6412859649ffb90d811e8b3aee71515b62bb version=1 prev=335747634740f631232a072a183a67bc1887edf3eaa74429877e009b7d690f7a merkle=fbe51123a5c543606ec18f2d3f581f00d95b12d35be13a319494fb4de1e9be11 time=1699999006 bits=207fffff nonce=3 tx=coinbase:2:1111111111111111111111111111111111111111111111111111111111111111:5000000000:\n"
;
static const char id[] = "77d922942a3418f7979c89c1fb92d8ce6520db4abe273d33a0b7eaacc0c2ce2d";

static struct node *nd;
static char dir[] = "/tmp/fuzz-node.XXXXXX";
static char chainpath[64];
static unsigned long inputs;

static void
setup(void)
{
	struct node_opts o = { .port = "0", .max_in = 32, .max_out = 0, .hello_timeout = 10,
	    .bantime = 1, .verbosity = -1, .threads = 2 };	/* block lines parsed ahead too */
	struct bu_err e;
	FILE *f;

	setenv("BLOCKUTILS_NOW", "1700000000", 1);
	bu_setprogname("fuzz-node");
	FUZZ_CHECK(mkdtemp(dir) != NULL);
	snprintf(chainpath, sizeof chainpath, "%s/chain.blk", dir);
	FUZZ_CHECK((f = fopen(chainpath, "w")) != NULL);
	FUZZ_CHECK(fputs(chain, f) >= 0 && fclose(f) == 0);
	o.dir = dir;
	o.listen[0] = "127.0.0.1";
	o.nlisten = 1;
	FUZZ_CHECK(node_open(&nd, &o, &e) == 0);
}

/* What the node sent on fd, appended to got; 0 once it closed the connection. */
static int
take(int fd, struct buf *got)
{
	char b[65536];
	ssize_t k;

	while ((k = read(fd, b, sizeof b)) > 0)
		buf_add(got, b, (size_t)k);
	return k == 0 ? 0 : 1;
}

static int
has(const struct buf *b, const char *s)
{
	size_t n = strlen(s), i;

	for (i = 0; i + n <= b->n; i++)
		if (memcmp(b->p + i, s, n) == 0)
			return 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf out = { 0 }, got = { 0 };
	struct bu_err e;
	struct stat st;
	size_t sent = 0;
	int sv[2], open = 1, k;

	if (nd == NULL)
		setup();
	buf_fmt(&out, "hello chain=%s height=0 work=0 port=4444 nonce=%016lx agent=fuzz\n", id,
	    ++inputs);
	buf_add(&out, data, size);
	buf_str(&out, "\nping 00000000000000ff\n");
	FUZZ_CHECK(!out.oom && socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	FUZZ_CHECK(fcntl(sv[1], F_SETFL, O_NONBLOCK) == 0 && node_attach(nd, sv[0]) == 0);
	for (k = 0; k < 400 && open && !has(&got, "\npong 00000000000000ff\n"); k++) {
		ssize_t w = sent < out.n ? write(sv[1], out.p + sent, out.n - sent) : 0;

		if (w > 0)
			sent += (size_t)w;
		FUZZ_CHECK(node_pass(nd, 0, &e) == 0);
		open = take(sv[1], &got);
	}
	FUZZ_CHECK(!open || has(&got, "\npong 00000000000000ff\n"));
	close(sv[1]);
	for (k = 0; k < 4; k++)
		FUZZ_CHECK(node_pass(nd, 0, &e) == 0);
	node_forget_bans(nd);
	FUZZ_CHECK(stat(chainpath, &st) == 0 && (size_t)st.st_size >= sizeof chain - 1);
	buf_free(&out);
	buf_free(&got);
	return 0;
}
