/*
 * libFuzzer harness for jsonx_parse's fast reader.  Invariants: whatever
 * jsonx_parse_fast accepts, jansson (json_loadb with duplicate keys
 * refused) reads as the same values with the keys in the same order and
 * the same depth; and jsonx_parse accepts exactly what jansson does, but
 * for raw NUL bytes, which it refuses.
 */
#include <stddef.h>
#include <stdint.h>

#include "base/jsonx.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	json_error_t je;
	json_t *j = json_loadb(buf, size, JSON_REJECT_DUPLICATES, &je);
	json_t *f, *v = NULL;
	char err[256];
	int depth = 0;

	f = jsonx_parse_fast(buf, size, &depth);
	if (f != NULL) {
		char *sf = json_dumps(f, JSON_COMPACT | JSON_ENCODE_ANY);
		char *sj;

		CHECK(j != NULL);
		sj = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
		CHECK(strcmp(sf, sj) == 0);
		CHECK(depth == jsonx_depth(j));
		free(sf);
		free(sj);
		json_decref(f);
	}
	/* jsonx_parse also refuses raw NUL bytes, which jansson may skip */
	CHECK((jsonx_parse(buf, size, 1000, &v, err, sizeof(err)) == 0) ==
	      (j != NULL && memchr(buf, '\0', size) == NULL));
	json_decref(v);
	json_decref(j);
	return 0;
}
