/*
 * test-json: the JSON writer on given bytes, for a strict parser to read back.
 *
 *	test-json HEX ...
 *		one object a line for each HEX (the bytes of a string):
 *		{"s":STRING,"hex":HEX,"u64":"18446744073709551615",
 *		 "n":4294967295,"i":-5,"d":0.1,"inf":null,"t":true,
 *		 "list":[1,"two",null,{"deep":[[]]}]}
 */
#include <stdio.h>
#include <string.h>

#include "json.h"

int
main(int argc, char *argv[])
{
	unsigned char raw[4096];
	struct buf out = { 0 };
	struct json j;
	int i;

	for (i = 1; i < argc; i++) {
		size_t n = strlen(argv[i]) / 2;

		if (n > sizeof raw || bu_unhex(argv[i], 2 * n, raw, n) != 0) {
			fprintf(stderr, "test-json: '%s' is not hex\n", argv[i]);
			return 2;
		}
		json_start(&j, &out);
		json_str(&j, "s", raw, n);
		json_hex(&j, "hex", raw, n);
		json_u64(&j, "u64", UINT64_MAX);
		json_num(&j, "n", UINT32_MAX);
		json_int(&j, "i", -5);
		json_dbl(&j, "d", 0.1);
		json_dbl(&j, "inf", 1e308 * 10);
		json_bool(&j, "t", 1);
		json_arr(&j, "list");
		json_num(&j, NULL, 1);
		json_cstr(&j, NULL, "two");
		json_null(&j, NULL);
		json_obj(&j, NULL);
		json_arr(&j, "deep");
		json_arr(&j, NULL);
		json_finish(&j);
	}
	if (out.oom)
		return 3;
	fwrite(out.p, 1, out.n, stdout);
	buf_free(&out);
	return fclose(stdout) != 0 ? 3 : 0;
}
