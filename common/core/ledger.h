/* ledger.h: account balances, transfer nonces and coinbase maturity */
#ifndef LEDGER_H
#define LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "bu.h"
#include "record.h"

/* Invariant: balance + immature never exceeds UINT64_MAX. */
struct account {
	unsigned char key[32];
	uint64_t balance;	/* spendable */
	uint64_t immature;	/* coinbase not yet matured */
	uint64_t nonce;		/* transfers made so far */
	int used;
};

struct pending {
	uint32_t height;
	unsigned char key[32];
	uint64_t amount;
};

struct jentry {
	struct account old;	/* old.used == 0: the account did not exist */
};

struct ledger {
	struct account *tab;
	size_t cap, count;
	struct pending *q;	/* ring of unmatured coinbases, oldest first */
	uint64_t qcap, qpop, qpush;	/* absolute counts: slot = n % qcap */
	uint64_t qkeep;		/* oldest entry a rollback may bring back */
	struct jentry *j;
	size_t jn, jcap;
	uint32_t maturity;
};

struct ledger_mark {
	size_t jn;
	uint64_t qpop, qpush;
};

int ledger_init(struct ledger *l, uint32_t maturity);
void ledger_free(struct ledger *l);
const struct account *ledger_get(const struct ledger *l, const unsigned char key[32]);

/* Changes are journaled from a mark on; roll back to it, or forget the journal. */
struct ledger_mark ledger_mark(struct ledger *l);
void ledger_rollback(struct ledger *l, struct ledger_mark m);
void ledger_commit(struct ledger *l);

/* Release coinbases whose maturity is reached at this height. */
int ledger_mature(struct ledger *l, uint32_t height, struct bu_err *e);
/* Nonce, balance and overflow rules of one transfer (not its signature). */
int ledger_transfer(struct ledger *l, const struct transfer *t, struct bu_err *e);
/* Must be last in a block: the coinbase's credit, immature. */
int ledger_coinbase(struct ledger *l, uint32_t height, const unsigned char to[32],
    uint64_t amount, struct bu_err *e);

/* Restoring a snapshot: an account as it was, a pending coinbase as it was. */
int ledger_put(struct ledger *l, const struct account *a);
int ledger_put_pending(struct ledger *l, const struct pending *p);

/* Visit every account (in table order). */
void ledger_each(const struct ledger *l, void (*fn)(const struct account *, void *),
    void *arg);

#endif
