/* node_msg.c: the words of a message line and the fields of a hello */
#include "node_int.h"

int
node_word(const char **s, const char *end, const char **w, size_t *wl)
{
	const char *p = *s, *sp;

	if (p >= end)
		return -1;
	sp = memchr(p, ' ', (size_t)(end - p));
	*w = p;
	*wl = sp ? (size_t)(sp - p) : (size_t)(end - p);
	*s = sp ? sp + 1 : end;
	return *wl == 0 ? -1 : 0;
}

static int
kv(const char **s, const char *end, const char *key, const char **v, size_t *vl)
{
	const char *w;
	size_t wl, kl = strlen(key);

	if (node_word(s, end, &w, &wl) != 0 || wl <= kl || memcmp(w, key, kl) != 0 || w[kl] != '=')
		return -1;
	*v = w + kl + 1;
	*vl = wl - kl - 1;
	return 0;
}

int
node_parse_hello(const char *s, const char *end, struct hello *h)
{
	const char *v;
	size_t vl, bad;
	unsigned char nb[8];
	int i;

	if (kv(&s, end, "chain", &v, &vl) != 0 || bu_unhex_rev(v, vl, h->chain) != 0 ||
	    kv(&s, end, "height", &v, &vl) != 0 || bu_parse_u64(v, vl, UINT32_MAX, &h->height) != 0 ||
	    kv(&s, end, "work", &v, &vl) != 0 || vl > 64 || vl == 0 ||
	    u256_parse_hex(&h->work, v, vl) != 0 ||
	    kv(&s, end, "port", &v, &vl) != 0 || bu_parse_u64(v, vl, 65535, &h->port) != 0 ||
	    kv(&s, end, "nonce", &v, &vl) != 0 || bu_unhex(v, vl, nb, 8) != 0 ||
	    kv(&s, end, "agent", &v, &vl) != 0 || text_check(v, vl, &bad) != 0 || s != end)
		return -1;
	for (h->nonce = 0, i = 0; i < 8; i++)
		h->nonce = h->nonce << 8 | nb[i];
	return 0;
}
