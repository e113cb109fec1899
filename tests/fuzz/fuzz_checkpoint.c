/*
 * libFuzzer harness for checkpoint_parse.  Invariants: an accepted
 * checkpoint has a size that fits 63 bits and the caps of note.h; parsing
 * is canonical (formatting the result gives back the input, whenever the
 * origin is one checkpoint_format accepts); and the text signs and verifies
 * as a note whose text parses the same.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"
#include "ledger/note.h"

static struct note_verifier log_v;
static uint8_t log_sk[64];

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
	CHECK(note_verifier_init(&log_v, FUZZ_LOG_NAME, NOTE_TYPE_ED25519,
	                         pk) == 0);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct checkpoint cp, cp2;
	struct note_result res;
	char *s, *note;

	if (checkpoint_parse(text, size, &cp) != 0)
		return 0;
	CHECK(cp.size <= (uint64_t)INT64_MAX);
	CHECK(strlen(cp.origin) >= 1 &&
	      strlen(cp.origin) <= CHECKPOINT_ORIGIN_MAX);
	CHECK(cp.next <= CHECKPOINT_MAX_EXT);
	CHECK(strlen(cp.ext) <= CHECKPOINT_EXT_MAX);

	if (note_name_valid(cp.origin, strlen(cp.origin)) == 0) {
		s = checkpoint_format(cp.origin, cp.size, cp.root, cp.ext);
		CHECK(s != NULL);
		CHECK(strlen(s) == size && memcmp(s, text, size) == 0);
		free(s);
	}

	note = note_sign(text, size, FUZZ_LOG_NAME, log_sk);
	CHECK(note != NULL);
	CHECK(note_verify(note, strlen(note), &log_v, 1, &res) == NOTE_OK);
	CHECK(res.text_len == size);
	CHECK(checkpoint_parse(note, res.text_len, &cp2) == 0);
	CHECK(memcmp(&cp, &cp2, sizeof(cp)) == 0);
	free(note);
	return 0;
}
