/* transfer.c: the signed transfer token, built exactly as the verifier reads it */
#include "transfer.h"

#include <string.h>

#include "chain.h"
#include "ed25519.h"

int
transfer_sign(struct buf *out, const char idhex[65], const unsigned char sec[32],
    const struct transfer *t, const char *memo, struct bu_err *e)
{
	struct buf tok = { 0 }, msg = { 0 };
	unsigned char sig[64];
	char hex[129];
	int rc = 0;

	if (t->amount > UINT64_MAX - t->fee)
		return bu_fail(e, BU_EXIT_INVALID, "bad-txns-overflow",
		    "amount %llu + fee %llu overflows u64: no chain would accept the transfer",
		    (unsigned long long)t->amount, (unsigned long long)t->fee);
	tok_transfer_unsigned(&tok, t, memo, strlen(memo));
	buf_add(&msg, idhex, 64);
	buf_add(&msg, ":", 1);
	buf_add(&msg, tok.p, tok.n);
	if (tok.oom || msg.oom)
		rc = bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
	else if (ed_sign(sec, msg.p, msg.n, sig, e) != 0)
		rc = -1;
	else if (ed_verify(t->from, msg.p, msg.n, sig) != 0)
		rc = bu_fail(e, BU_EXIT_INVALID, "bad-txns-sig",
		    "the signature just made does not verify under the strict rules");
	if (rc == 0) {
		bu_hex(hex, sig, 64);
		buf_str(out, "tx ");
		buf_add(out, tok.p, tok.n);
		buf_add(out, ":", 1);
		buf_add(out, hex, 128);
		buf_add(out, "\n", 1);
		if (out->oom)
			rc = bu_fail(e, BU_EXIT_SYSTEM, "no-memory", "out of memory");
	}
	buf_free(&tok);
	buf_free(&msg);
	return rc;
}
