/* fuzz header: raw 160-hex headers; a parsed header re-serializes and hashes to the hash of its bytes */
#include "fuzz.h"

#include "hash.h"
#include "record.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char bytes[80], h1[32], h2[32];
	char hex[161];
	struct bu_err e;
	struct block b;

	block_init(&b);
	if (block_parse(&b, (const char *)data, size, 1, &e) == 0 && b.raw) {
		header_bytes(bytes, &b.h);
		bu_hex(hex, bytes, 80);
		FUZZ_CHECK(size == 160 && memcmp(hex, data, 160) == 0);
		header_hash(h1, &b.h);
		sha256d(bytes, 80, h2);
		FUZZ_CHECK(memcmp(h1, h2, 32) == 0);
	}
	/* the first 80 bytes as a header: bytes -> fields -> bytes, and the hex line parses back */
	if (size >= 80) {
		struct header h;

		header_from_bytes(&h, data);
		header_bytes(bytes, &h);
		FUZZ_CHECK(memcmp(bytes, data, 80) == 0);
		bu_hex(hex, bytes, 80);
		FUZZ_CHECK(block_parse(&b, hex, 160, 1, &e) == 0 && b.raw);
		FUZZ_CHECK(memcmp(&b.h, &h, sizeof h) == 0);
		header_hash(h1, &h);
		sha256d(data, 80, h2);
		FUZZ_CHECK(memcmp(h1, h2, 32) == 0);
	}
	block_free(&b);
	return 0;
}
