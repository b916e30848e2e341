/* json.c: a JSON writer small enough to trust: objects, arrays, strings, numbers */
#include "json.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bu.h"

void
json_start(struct json *j, struct buf *out)
{
	memset(j, 0, sizeof *j);
	j->out = out;
	j->close[0] = '}';
	buf_add(out, "{", 1);
}

void
json_finish(struct json *j)
{
	while (j->depth > 0)
		json_close(j);
	buf_add(j->out, "}\n", 2);
}

size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t need, i;
	uint32_t cp;

	if (n == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		need = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		need = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		need = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n < need)
		return 0;
	for (i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((need == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (need == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return need;
}

/* The quoted string alone: RFC 8259 escapes, U+FFFD for a byte that is not UTF-8. */
static void
quote(struct buf *out, const unsigned char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0, l;

	buf_add(out, "\"", 1);
	while (i < n) {
		unsigned char c = p[i];
		char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

		if (c == '"' || c == '\\') {
			esc[1] = (char)c;
			buf_add(out, esc, 2);
		} else if (c == '\n') {
			buf_add(out, "\\n", 2);
		} else if (c == '\t') {
			buf_add(out, "\\t", 2);
		} else if (c == '\r') {
			buf_add(out, "\\r", 2);
		} else if (c < 0x20) {
			buf_add(out, esc, 6);
		} else if ((l = utf8_len(p + i, n - i)) == 0) {
			buf_add(out, "\\ufffd", 6);
		} else {
			buf_add(out, p + i, l);
			i += l;
			continue;
		}
		i++;
	}
	buf_add(out, "\"", 1);
}

/* The comma and the key before a value. */
static void
lead(struct json *j, const char *key)
{
	if (j->more[j->depth])
		buf_add(j->out, ",", 1);
	j->more[j->depth] = 1;
	if (key != NULL) {
		quote(j->out, (const unsigned char *)key, strlen(key));
		buf_add(j->out, ":", 1);
	}
}

/* Nesting deeper than JSON_MAXDEPTH is a caller's bug; the output stays well formed. */
static void
open_value(struct json *j, const char *key, char open, char close)
{
	lead(j, key);
	buf_add(j->out, &open, 1);
	if (j->depth + 1 >= JSON_MAXDEPTH) {
		buf_add(j->out, &close, 1);
		return;
	}
	j->depth++;
	j->more[j->depth] = 0;
	j->close[j->depth] = close;
}

void
json_obj(struct json *j, const char *key)
{
	open_value(j, key, '{', '}');
}

void
json_arr(struct json *j, const char *key)
{
	open_value(j, key, '[', ']');
}

void
json_close(struct json *j)
{
	if (j->depth == 0)
		return;
	buf_add(j->out, &j->close[j->depth], 1);
	j->depth--;
}

void
json_str(struct json *j, const char *key, const void *s, size_t n)
{
	lead(j, key);
	quote(j->out, s, n);
}

void
json_cstr(struct json *j, const char *key, const char *s)
{
	json_str(j, key, s, strlen(s));
}

void
json_num(struct json *j, const char *key, uint64_t v)
{
	lead(j, key);
	buf_fmt(j->out, "%llu", (unsigned long long)v);
}

void
json_int(struct json *j, const char *key, int64_t v)
{
	lead(j, key);
	buf_fmt(j->out, "%lld", (long long)v);
}

void
json_u64(struct json *j, const char *key, uint64_t v)
{
	lead(j, key);
	buf_fmt(j->out, "\"%llu\"", (unsigned long long)v);
}

void
json_dbl(struct json *j, const char *key, double v)
{
	lead(j, key);
	if (isfinite(v))
		buf_fmt(j->out, "%.17g", v);
	else
		buf_str(j->out, "null");
}

void
json_bool(struct json *j, const char *key, int v)
{
	lead(j, key);
	buf_str(j->out, v ? "true" : "false");
}

void
json_null(struct json *j, const char *key)
{
	lead(j, key);
	buf_str(j->out, "null");
}

void
json_hash(struct json *j, const char *key, const unsigned char h[32])
{
	char hex[65];

	bu_hex_rev(hex, h);
	json_str(j, key, hex, 64);
}

void
json_hex(struct json *j, const char *key, const unsigned char *p, size_t n)
{
	lead(j, key);
	buf_add(j->out, "\"", 1);
	if (buf_reserve(j->out, 2 * n) == 0) {
		bu_hex(j->out->p + j->out->n, p, n);
		j->out->n += 2 * n;
	}
	buf_add(j->out, "\"", 1);
}
