/* fuzz keyfile: key files; an accepted one is exactly the line rebuilt from its key, a usable account */
#include "fuzz.h"

#include "ed25519.h"
#include "keyfile.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char sec[32], pub[32], derived[32];
	char sh[65], ph[65], line[160];
	struct bu_err e;
	int n;

	if (keyfile_parse((const char *)data, size, sec, pub, &e) != 0) {
		FUZZ_CHECK(strcmp(e.reason, "bad-keyfile") == 0);
		return 0;
	}
	bu_hex(sh, sec, 32);
	bu_hex(ph, pub, 32);
	n = snprintf(line, sizeof line, "key secret=%s account=%s\n", sh, ph);
	FUZZ_CHECK(n > 0 && (size_t)n == size && memcmp(line, data, size) == 0);
	FUZZ_CHECK(ed_public(sec, derived, &e) == 0 && memcmp(derived, pub, 32) == 0);
	FUZZ_CHECK(ed_key_ok(pub));
	return 0;
}
