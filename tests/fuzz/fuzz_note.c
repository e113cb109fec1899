/*
 * libFuzzer harness for note_verify, note_vkey_parse and note_skey_parse.
 * Invariants: a note is never accepted without a known key's signature,
 * and one that is accepted really carries the line the key would write;
 * parsed keys format back to keys that parse the same.
 */
#include <stddef.h>
#include <stdint.h>

#include "base/xmalloc.h"
#include "fuzz_common.h"
#include "ledger/note.h"

static struct note_verifier vs[2];
static uint8_t log_sk[64], wit_sk[64];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	uint8_t pk[32];

	(void)argc;
	(void)argv;
	fuzz_init();
	fuzz_key(FUZZ_LOG_SEED, pk, log_sk);
	CHECK(note_verifier_init(&vs[0], FUZZ_LOG_NAME, NOTE_TYPE_ED25519,
	                         pk) == 0);
	fuzz_key(FUZZ_WITNESS_SEED, pk, wit_sk);
	CHECK(note_verifier_init(&vs[1], FUZZ_WITNESS_NAME,
	                         NOTE_TYPE_COSIGNATURE, pk) == 0);
	return 0;
}

/* Whether the n bytes at needle occur in hay[0, hlen). */
static int
contains(const char *hay, size_t hlen, const char *needle, size_t n)
{
	return memmem(hay, hlen, needle, n) != NULL;
}

static void
check_note(const char *note, size_t size)
{
	struct note_result res, res0;
	enum note_err e;
	size_t i;

	/* with no known key, nothing is ever accepted */
	CHECK(note_verify(note, size, NULL, 0, &res0) != NOTE_OK);

	e = note_verify(note, size, vs, 2, &res);
	if (e != NOTE_ERR_MALFORMED) {
		CHECK(res.nsigs >= 1 && res.nsigs <= NOTE_MAX_SIGS);
		CHECK(res.text_len >= 1 && res.text_len + 1 < size);
		CHECK(note[res.text_len - 1] == '\n');
		CHECK(note[res.text_len] == '\n');
	}
	if (e != NOTE_OK)
		return;
	CHECK(res.nverified >= 1 && res.nverified <= 2);
	for (i = 0; i < 2; i++) {
		char *line;

		if (!res.verified[i])
			continue;
		if (i == 0) {
			CHECK(res.timestamp[0] == 0);
			line = note_sign_line(note, res.text_len, FUZZ_LOG_NAME,
			                      log_sk);
		} else {
			line = note_cosign_line(note, res.text_len,
			                        FUZZ_WITNESS_NAME, wit_sk,
			                        res.timestamp[1]);
		}
		CHECK(line != NULL);
		CHECK(contains(note + res.text_len, size - res.text_len, line,
		               strlen(line)));
		free(line);
	}
}

static void
check_keys(const char *s, size_t size)
{
	struct note_verifier v, v2;
	char name[NOTE_NAME_MAX + 1], name2[NOTE_NAME_MAX + 1];
	uint8_t sk[64], sk2[64];
	char *out;

	if (note_vkey_parse(s, &v) == 0) {
		CHECK(note_name_valid(v.name, strlen(v.name)) == 0);
		out = note_verifier_format(&v);
		CHECK(out != NULL);
		CHECK(note_vkey_parse(out, &v2) == 0);
		CHECK(memcmp(&v, &v2, sizeof(v)) == 0);
		free(out);
	}
	if (note_skey_parse(s, size, name, sk) == 0) {
		CHECK(keys_check_secret(sk) == 0);
		out = note_skey_format(name, sk);
		CHECK(out != NULL);
		CHECK(note_skey_parse(out, strlen(out), name2, sk2) == 0);
		CHECK(strcmp(name, name2) == 0);
		CHECK(memcmp(sk, sk2, 64) == 0);
		note_skey_free(out);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size > NOTE_MAX_LEN + 1)
		return 0;
	check_note((const char *)data, size);
	s = xmalloc(size + 1); /* the key parsers take C strings */
	memcpy(s, data, size);
	s[size] = '\0';
	check_keys(s, size);
	free(s);
	return 0;
}
