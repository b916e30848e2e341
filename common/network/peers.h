/* peers.h: the node's known addresses, its peers file and its ban list */
#ifndef PEERS_H
#define PEERS_H

#include <stdint.h>
#include <stdio.h>

#include "bu.h"
#include "net.h"

#define PEERS_MAX 4096		/* addresses kept; gossip beyond that is dropped */

struct peer {
	char addr[NET_ADDRLEN];	/* numeric host:port */
	int64_t seen;		/* last successful handshake (tool clock), 0: never */
	uint32_t attempts, successes;
	uint32_t fails;		/* consecutive failed attempts (not saved) */
	int64_t next_ms;	/* no attempt before this (monotonic ms) */
	int pinned;		/* --connect or --addnode: always retried */
	int self, busy;		/* our own address; a connection is open or opening */
};

struct peers {
	struct peer *v;
	size_t n, cap;
	int32_t *tab;		/* hash table of indices into v, -1 empty */
	size_t tabcap;
};

struct ban {
	char key[NET_ADDRLEN];
	int64_t until;
	char reason[40];
};

struct bans {
	struct ban *v;
	size_t n, cap;
};

/* The entry for addr, added when missing (NULL when full or out of memory). */
struct peer *peers_add(struct peers *p, const char *addr);
struct peer *peers_find(struct peers *p, const char *addr);
/*
 * Read the peers file: "peer addr=A seen=S attempts=N successes=N" lines.
 * A bad line is skipped with a warning on warn; a missing file is empty.
 */
int peers_load(struct peers *p, const char *path, FILE *warn, struct bu_err *e);
/* Write it atomically (temporary file, fsync, rename); peers_format: its text. */
int peers_save(const struct peers *p, const char *path, struct bu_err *e);
void peers_format(const struct peers *p, struct buf *b);
void peers_free(struct peers *p);

/* Whether key is banned at now; expired bans are forgotten. */
int bans_has(struct bans *b, const char *key, int64_t now);
int bans_add(struct bans *b, const char *key, int64_t until, const char *reason);
/* "ban addr=A until=T reason=R" lines, the same tolerance as peers_load. */
int bans_load(struct bans *b, const char *path, FILE *warn, struct bu_err *e);
int bans_save(const struct bans *b, const char *path, struct bu_err *e);
void bans_format(const struct bans *b, struct buf *o);
void bans_free(struct bans *b);


#endif
