/* node_int.h: what the parts of the node (node*.c) share; not for callers (node.h is) */
#ifndef NODE_INT_H
#define NODE_INT_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "node.h"
#include "node_test.h"
#include "grind.h"
#include "mempool.h"
#include "net.h"
#include "peers.h"
#include "pool.h"
#include "replace.h"
#include "store.h"

#ifndef BU_SEEDS
#define BU_SEEDS ""
#endif

#define NODE_ADDR_MAX 1000	/* addresses per addr message */
#define NODE_MIN_LINE (STORE_HEADERS_MAX * 161 + 64)	/* a full headers message */
#define NODE_TX_INFLIGHT 2000	/* unanswered getdata tx per peer */
#define NODE_GETDATA_MAX 500	/* hashes per getdata */
#define NODE_INV_BATCH 500	/* blocks per getblocks answer */
#define NODE_PEER_BLOCKS 1000	/* blocks in flight from one peer */
#define NODE_WINDOW 2048	/* heights ahead of the first missing block */
#define NODE_WINDOW_BYTES (64u << 20)	/* downloaded blocks waiting for their parents */
#define NODE_BAN_SCORE 100
#define NODE_CONNECT_MS 5000	/* an outbound connect may take this long */
#define NODE_PING_MS 30000	/* ping a peer silent this long */
#define NODE_IDLE_MS 90000	/* and drop it when it stays silent this long */
#define NODE_BLOCK_MS 4000	/* a peer with blocks in flight must deliver one this often */
#define NODE_HEADERS_MS 10000	/* an unanswered getheaders is asked again after this */
#define NODE_PEERS_SAVE_MS 1000	/* write the peers file at most this often */
#define NODE_HOUSE_MS 200	/* timers, dialing, other writers of the chain file */
#define NODE_PARTIAL_HELLOS 3	/* a line begun may take this many hello timeouts (30 s) */
#define NODE_REDIAL_MS 1000	/* a pinned peer (--connect, --addnode) is dialled again after this */
#define NODE_REVISIT_MS 60000	/* an address that worked is tried again after this */
#define NODE_BACKOFF_MAX 30	/* seconds: a failing address waits 1 s more per failure, to this */
#define NODE_SYNC_IDLE_MS 2	/* fsync queued blocks once the wire is quiet this long */
#define NODE_POLL_MS 100
#define NODE_OUT_BUDGET (256u << 10)	/* a peer's requests wait while this much is unsent */
#define NODE_PASS_LINES 64	/* lines taken from one peer in one pass of the loop */
#define NODE_PREP_LINES 512	/* block lines of one peer the helpers parse ahead (-j) */
#define NODE_HDR_CHUNK 128	/* headers of a message decoded and hashed at a time */
#define NODE_SLICE_US 50	/* and at most this long (one line at least) */
#define NODE_ALONE_US 5000	/* the slice of a peer that no other one waits beside */
#define NODE_HELLO_LINE 4096	/* the line limit before hello */
#define NODE_IN_TOTAL (24u << 20)	/* input buffered over every connection */
#define NODE_OUT_TOTAL (24u << 20)	/* requests wait while this much is unsent to all peers */
#define NODE_WRITE_MS 20000	/* a peer with output waiting must take some within this */
#define NODE_NOHELLO_SCORE 25	/* an address, for each connection that said no hello */
#define NODE_SCORES 1024	/* addresses scored before they said hello */
#define NODE_ACCEPT_BATCH 64	/* connections accepted from one listener in one pass */
#define NODE_PROTECT_BLOCKS 4	/* inbound peers that relayed blocks last, kept from eviction */
#define NODE_UNCONNECTED 10	/* headers messages that do not connect, before a score */

enum conn_state { C_CONNECTING, C_HELLO, C_READY, C_CLOSED };

/*
 * The answers of many lines, each produced a line (or a run of blocks) at a
 * time while the peer's output stays under its budget: getdata block,
 * getdata tx, mempool, getblocks.
 */
enum answer { ANS_NONE, ANS_BLOCKS, ANS_TXS, ANS_POOL, ANS_INV };

struct conn {
	int fd;
	enum conn_state st;
	int outbound, client, sent_getaddr;
	uint32_t id;			/* the source tag of the blocks it sends */
	char name[NET_ADDRLEN];		/* remote address as connected */
	char listen[NET_ADDRLEN];	/* where the peer listens, once known */
	struct sockaddr_storage sa;
	socklen_t salen;
	struct netin in;
	struct netout out;
	int64_t opened_ms, heard_ms, ping_ms;
	uint64_t ping_nonce, nonce;
	u256 work;			/* as its hello tells */
	u256 said_work;			/* what our hello told it */
	int score;
	size_t txflight;		/* getdata tx sent and unanswered */
	struct hsync *hs;		/* header sync with it */
	int32_t best;			/* the most-work header it is known to have, or -1 */
	int64_t hdr_ms;			/* when a getheaders went out unanswered, 0: none */
	int unconnected;		/* headers in a row that did not connect */
	size_t nflight;			/* blocks asked of it and not delivered */
	int64_t flight_ms;		/* its last block delivered, or the first asked */
	enum answer ans;		/* a long answer, produced as the peer reads it */
	unsigned char (*gq)[32];	/* ANS_BLOCKS, ANS_TXS: the hashes asked for */
	size_t gqn, gqpos;		/* gq[gqpos..gqn); ANS_INV: heights [gqpos, gqn) */
	uint64_t gqseq;			/* ANS_POOL: the last transaction announced */
	int more;			/* lines may wait in its input */
	int eof;			/* the peer closed its side */
	int64_t partial_ms;		/* when its unfinished line began, 0: none */
	int64_t wrote_ms;		/* the last time it took output */
	int64_t block_ms;		/* the last time it gave us a new best-chain block */
};

/* An address scored before it said hello (its connections timed out, or were evicted). */
struct nscore {
	char ip[NET_ADDRLEN];
	int score;
};

/* A headers message being decoded and hashed, a chunk at a time (node_sync.c). */
struct hdrjob {
	const char *w[STORE_HEADERS_MAX];	/* each header's 160 hex */
	struct header *hv;
	unsigned char *raw;	/* 80 bytes a header */
	unsigned char (*hh)[32];
	size_t n;
	const struct grind_kernel *k;
	unsigned char bad[(STORE_HEADERS_MAX + NODE_HDR_CHUNK - 1) / NODE_HDR_CHUNK];	/* bad hex */
};

struct node {
	struct node_opts o;
	char peerspath[BU_PATHBUF], banspath[BU_PATHBUF];
	struct store *st;
	struct mempool mp;
	struct buf back;		/* transactions of blocks a reorg took off, to put back */
	int pool_stale;
	struct peers peers;
	struct bans bans;
	int peers_dirty;
	int64_t peers_save_ms;	/* the peers file is written at most once a second */
	struct conn *c[NODE_MAXCONN];
	size_t nc;
	uint32_t next_id;
	uint32_t *asked;	/* per store entry: the id of the peer asked for it, 0: none */
	size_t capasked;
	size_t fetch_from;	/* the connection the next download round starts at */
	int lfd[NODE_MAXLIST];
	size_t nlfd;
	struct pollfd pf[NODE_MAXLIST + NODE_MAXCONN];
	uint16_t port;
	uint64_t nonce;
	int64_t now, ms;	/* tool clock (seconds), monotonic ms */
	int must_sync;		/* something goes out that needs the chain file synced */
	int fatal;
	struct bu_err fatal_e;
	int64_t next_house_ms;	/* the next timers, dialing and chain file check */
	struct nscore scores[NODE_SCORES];
	size_t nscores, scorepos;
	size_t inbuf, outbuf;	/* input buffered and output unsent over every connection */
	size_t nbusy;		/* connections with input waiting, this pass */
	unsigned char loc[STORE_LOCATOR][32];	/* a locator being read */
	struct buf hcache;	/* the last headers answer, from hcache_from while the tip is hcache_tip */
	uint32_t hcache_from;
	int32_t hcache_tip;
	struct pool *pool;	/* helpers that parse block lines ahead of the loop (-j) */
	struct store_pre prep[NODE_PREP_LINES];	/* block lines waiting in one peer's input */
	const char *prepline[NODE_PREP_LINES];
	size_t preplen[NODE_PREP_LINES], nprep, prepat;
	struct hdrjob hj;
};

/* What a hello line says. */
struct hello {
	unsigned char chain[32];
	uint64_t height, port, nonce;
	u256 work;
};

/* node.c */
void node_log(const struct node *n, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void node_fail_with(struct node *n, const struct bu_err *e);
void node_send_line(struct conn *c, const char *s, size_t len);
void node_sendf(struct conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void node_send_buf(struct conn *c, const struct buf *b);
void node_ban_key(const struct conn *c, char out[NET_ADDRLEN]);
void node_conn_close(struct node *n, struct conn *c, const char *why);
void node_misbehave(struct node *n, struct conn *c, int points, const char *reason);
void node_send_hello(struct node *n, struct conn *c);
struct conn *node_conn_new(struct node *n, int fd, int outbound, const struct sockaddr *sa, socklen_t len);
int node_count_conns(const struct node *n, int outbound);
void node_score_nohello(struct node *n, const struct conn *c);
int node_do_accept(struct node *n, int lfd);

/* node_dial.c */
void node_peer_done(struct node *n, const struct conn *c, int ok);
void node_dial_more(struct node *n);

/* node_msg.c */
int node_word(const char **s, const char *end, const char **w, size_t *wl);
int node_parse_hello(const char *s, const char *end, struct hello *h);

/* node_sync.c */
void node_send_getheaders(struct node *n, struct conn *c, const unsigned char *first);
void node_peer_has(struct node *n, struct conn *c, int32_t i);
int node_unask(struct node *n, struct conn *c, int32_t i);
void node_unask_all(struct node *n, const struct conn *c);
void node_fetch_blocks(struct node *n);
int node_parse_hashes(const char *s, const char *end, unsigned char (*out)[32], size_t max);
void node_on_headers(struct node *n, struct conn *c, const char *s, const char *end);
void node_on_getheaders(struct node *n, struct conn *c, const char *s, const char *end);

/* node_relay.c */
void node_announce_all(struct node *n, const struct conn *from);
void node_relay_tx(struct node *n, const struct conn *from, const unsigned char id[32]);
void node_put_back(struct node *n);
void node_hook_log(void *arg, int level, const char *msg);
void node_hook_connected(void *arg, const struct block *b);
void node_hook_disconnected(void *arg, const struct block *b);
void node_hook_invalid(void *arg, uint32_t source, const struct bu_err *e);

/* node_hello.c */
void node_on_hello(struct node *n, struct conn *c, const char *s, const char *end);

/* node_txs.c */
void node_serve_answer(struct node *n, struct conn *c);
int node_is(const char *w, size_t wl, const char *name);
void node_on_line(struct node *n, struct conn *c, const char *line, size_t len);
/* node_loop.c: what the helpers found of block line line, if they were given it; else NULL */
const struct store_pre *node_prep_take(struct node *n, const char *line);
/* Whether the helpers may take a job now: there are some, one peer alone has input, none is out. */
int node_helpers_free(const struct node *n);

/* node_loop.c */
void node_free_closed(struct node *n);
void node_serve(struct node *n, size_t k);

#endif
