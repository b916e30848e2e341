/* node.h: the peer-to-peer node: its chain, its connections, its event loop */
#ifndef NODE_H
#define NODE_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

#include "bu.h"
#include "chain.h"
#include "mempool.h"
#include "net.h"
#include "peers.h"

#define NODE_MAXLIST 32		/* --listen, --connect, --addnode, --seed each */
#define NODE_MAXCONN 256
#define NODE_ORPHANS 256
#define NODE_INV_BATCH 500	/* blocks per getblocks answer */
#define NODE_LOCATOR 64
#define NODE_ADDR_MAX 1000	/* addresses per addr message */
#define NODE_MIN_LINE 65536	/* line limit when maxblock is smaller */
#define NODE_INFLIGHT 2000	/* unanswered getdata per peer: four batches */
#define NODE_BAN_SCORE 100
#define NODE_PING_MS 30000	/* ping a peer silent this long */
#define NODE_IDLE_MS 90000	/* and drop it when it stays silent this long */
#define NODE_PEERS_SAVE_MS 1000	/* write the peers file at most this often */
#define NODE_SYNC_IDLE_MS 2	/* fsync queued blocks once the wire is quiet this long */
#define NODE_OUTQ_PAUSE (4u << 20)	/* stop reading a peer whose output backs up */
#define NODE_OUTQ_MAX (64u << 20)
#define NODE_DEFAULT_PORT "8433"

struct node_opts {
	const char *dir;
	const char *listen[NODE_MAXLIST];
	size_t nlisten;
	const char *port;
	const char *portfile;
	const char *connect[NODE_MAXLIST], *addnode[NODE_MAXLIST], *seed[NODE_MAXLIST];
	size_t nconnect, naddnode, nseed;
	unsigned max_in, max_out;
	unsigned hello_timeout;	/* seconds */
	int64_t bantime;	/* seconds */
	int verbosity;		/* -1 quiet, 0 events, 1 messages */
};

/* One block the node knows: on the best chain (in the chain file) or on a side branch. */
struct bent {
	unsigned char hash[32];
	int32_t parent;
	uint32_t height;
	uint32_t len;		/* line length, '\n' not counted */
	u256 work;		/* cumulative */
	uint64_t off;		/* main: where the line starts in the chain file */
	char *line;		/* side: the line, owned */
	unsigned main:1, invalid:1;
};

struct orphan {
	unsigned char hash[32], prev[32];
	char *line;
	size_t len;
};

enum conn_state { C_CONNECTING, C_HELLO, C_READY, C_CLOSED };

struct conn {
	int fd;
	enum conn_state st;
	int outbound, client, sent_getaddr;
	char name[NET_ADDRLEN];		/* remote address as connected */
	char listen[NET_ADDRLEN];	/* where the peer listens, once known */
	struct sockaddr_storage sa;
	socklen_t salen;
	struct netin in;
	struct netout out;
	int64_t opened_ms, heard_ms, ping_ms;
	uint64_t ping_nonce, nonce;
	u256 work;			/* as its hello and invs tell */
	int score;
	size_t inflight, asked;		/* getdata sent and unanswered; in this batch */
	size_t invs;			/* block invs since the last getblocks to it */
	int piped;			/* a getblocks went before the batch arrived */
	struct buf gd;			/* getdata held back until the batch's last inv */
};

struct node {
	struct node_opts o;
	char chainpath[4096], peerspath[4096], banspath[4096], sidepath[4096];
	int chainfd;
	int sidefd;		/* dir/side.blk, appended to; -1 while loading or after an error */
	uint64_t end;		/* bytes of the chain file that are ours, pend included */
	struct buf pend;	/* accepted lines not written yet */
	ino_t ino;
	int dirty, locked;
	int must_sync;		/* something goes out that needs the file synced */
	struct chain chain;
	struct bent *ix;
	size_t nix, capix;
	struct ixslot { int32_t i; uint32_t tag; } *tab;	/* hash table of ix indices, i -1 empty */
	size_t tabcap;
	int32_t *mainv;		/* height -> ix index */
	size_t capmain;
	struct orphan orph[NODE_ORPHANS];
	size_t norph;
	int32_t *announce;	/* new best-chain blocks to relay */
	size_t nann, capann;
	struct mempool mp;
	struct peers peers;
	struct bans bans;
	int peers_dirty, bans_dirty;
	int64_t peers_save_ms;	/* the peers file is written at most once a second */
	struct conn *c[NODE_MAXCONN];
	size_t nc;
	int lfd[NODE_MAXLIST];
	size_t nlfd;
	uint16_t port;
	uint64_t nonce;
	int64_t now, ms;	/* tool clock (seconds), monotonic ms */
	struct conn *syncer;	/* the peer a getblocks went to */
	int64_t sync_ms;
	volatile sig_atomic_t *stop;
};

/* nodechain.c: the block index, the chain file, reorganizations */
enum blk_outcome { BLK_ACCEPTED, BLK_SIDE, BLK_DUP, BLK_ORPHAN, BLK_INVALID, BLK_ERROR };

int nc_open(struct node *n, struct bu_err *e);
void nc_close(struct node *n);
/* Load dir/side.blk (side blocks kept across restarts), compact it, keep it open. */
int nc_side_open(struct node *n, struct bu_err *e);
int32_t nc_find(const struct node *n, const unsigned char h[32]);
/* Check and store one block line; hash gets its hash when it parses. */
enum blk_outcome nc_block(struct node *n, const char *line, size_t len,
    unsigned char hash[32], struct bu_err *e);
/* Blocks another program appended to the chain file. */
int nc_ingest(struct node *n, struct bu_err *e);
/* The line of index entry i (no '\n'). */
int nc_line(struct node *n, int32_t i, struct buf *out);
/* "getblocks [first] <tip> ... <genesis>", at most NODE_LOCATOR hashes */
void nc_locator(const struct node *n, const unsigned char *first, struct buf *out);
int nc_lock(struct node *n, struct bu_err *e);
/* Write the accepted lines still queued (nc_unlock does it too). */
int nc_flush(struct node *n, struct bu_err *e);
int nc_unlock(struct node *n, struct bu_err *e);
int nc_save_state(struct node *n);
int nc_has_orphan(const struct node *n, const unsigned char h[32]);

/* node.c */
int node_open(struct node *n, const struct node_opts *o, struct bu_err *e);
int node_run(struct node *n, volatile sig_atomic_t *stop, struct bu_err *e);
void node_close(struct node *n);
void node_log(const struct node *n, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
