/*
 * Tests of ledger/note: C2SP signed-note vectors (A: the C2SP example,
 * B: golang.org/x/mod/sumdb/note), golang.org/x/mod's negative cases,
 * cosignature/v1 and C2SP checkpoints.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "base/enc.h"
#include "base/xmalloc.h"
#include "ledger/keys.h"
#include "ledger/note.h"

/* Vector A: c2sp.org/signed-note. */
static const char a_vkey[] =
    "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
static const char a_note[] =
    "This is an example message.\n"
    "\n"
    "\xe2\x80\x94 example.com/foo "
    "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mF"
    "XmRKuwHjG1Yu72IneyaQM=\n";

/* Vector B: golang.org/x/mod sumdb/note/note_test.go. */
static const char b_skey[] = "PRIVATE+KEY+PeterNeumann+c74f20a3+"
                             "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
static const char b_vkey[] =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
static const char enoch_vkey[] =
    "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
static const char b_text[] =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
static const char peter_sig[] =
    "\xe2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqd"
    "ngotpRZb6KE6RyyBwJnAM=\n";
static const char enoch_sig[] =
    "\xe2\x80\x94 EnochRoot "
    "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oO"
    "TGwnWLox33WWd1RvMc+QQ=\n";

/* The tlog-checkpoint / tlog-cosignature example. */
static const char sofa_text[] =
    "example.com/behind-the-sofa\n"
    "20852163\n"
    "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
static const char sofa_sig[] =
    "\xe2\x80\x94 example.com/behind-the-sofa "
    "Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGk"
    "u9nTo+zyWE+xeMcTOAYQ8=\n";
static const char sofa_cosig[] =
    "\xe2\x80\x94 witness.example.com/w1 "
    "jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oy"
    "in1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n";

/*
 * Decodes base64 of exactly n bytes.  (base/enc.h's enc_b64_decode_exact
 * refuses padded input of exactly n bytes; see ledger/b64.c.)
 */
static int
b64_exact(const char *s, size_t len, uint8_t *out, size_t n)
{
	uint8_t *p = NULL;
	size_t got = 0;

	if (enc_b64_decode_new(s, len, n + 2, &p, &got) != 0)
		return -1;
	if (got != n) {
		free(p);
		return -1;
	}
	memcpy(out, p, n);
	free(p);
	return 0;
}

/* Returns a newly allocated concatenation of up to four strings. */
static char *
cat(const char *a, const char *b, const char *c, const char *d)
{
	return xasprintf("%s%s%s%s", a, b ? b : "", c ? c : "", d ? d : "");
}

static enum note_err
verify_str(const char *note, const struct note_verifier *vs, size_t n,
           struct note_result *res)
{
	return note_verify(note, strlen(note), vs, n, res);
}

static void
test_vector_a(void **state)
{
	struct note_verifier v;
	struct note_result res;
	char *s;

	(void)state;
	assert_int_equal(note_vkey_parse(a_vkey, &v), 0);
	assert_string_equal(v.name, "example.com/foo");
	assert_int_equal(v.id, 0x530d903a);
	assert_int_equal(v.type, NOTE_TYPE_ED25519);
	assert_int_equal(note_key_id("example.com/foo", 1, v.pk), 0x530d903a);
	s = note_vkey_format(v.name, v.pk);
	assert_string_equal(s, a_vkey);
	free(s);

	assert_int_equal(verify_str(a_note, &v, 1, &res), NOTE_OK);
	assert_int_equal(res.text_len, strlen("This is an example message.\n"));
	assert_int_equal(res.nsigs, 1);
	assert_int_equal(res.nverified, 1);
	assert_int_equal(res.verified[0], 1);
	assert_int_equal(res.nunknown, 0);
}

static void
test_vector_b_keys(void **state)
{
	struct note_verifier v;
	char name[NOTE_NAME_MAX + 1];
	uint8_t sk[64];
	char *s;

	(void)state;
	assert_int_equal(note_skey_parse(b_skey, strlen(b_skey), name, sk), 0);
	assert_string_equal(name, "PeterNeumann");
	assert_int_equal(keys_check_secret(sk), 0);
	assert_int_equal(note_vkey_parse(b_vkey, &v), 0);
	assert_memory_equal(v.pk, sk + 32, 32);
	s = note_skey_format(name, sk);
	assert_string_equal(s, b_skey);
	note_skey_free(s);
	s = note_vkey_format(name, sk + 32);
	assert_string_equal(s, b_vkey);
	free(s);
	assert_int_equal(note_vkey_parse(enoch_vkey, &v), 0);
	assert_int_equal(v.id, 0xaf0cfe78);
	sodium_memzero(sk, sizeof(sk));
}

/* golang.org/x/mod TestNewVerifier / TestNewSigner: every proper substring
 * and every one-byte change of a key is refused. */
static void
test_key_manglings(void **state)
{
	const char *keys[] = {b_vkey, b_skey};
	char buf[256], name[NOTE_NAME_MAX + 1];
	struct note_verifier v;
	uint8_t sk[64];
	size_t k, i, j, n;

	(void)state;
	for (k = 0; k < 2; k++) {
		n = strlen(keys[k]);
		for (i = 0; i <= n; i++) {
			for (j = i + 1; j <= n; j++) {
				if (i == 0 && j == n)
					continue;
				memcpy(buf, keys[k] + i, j - i);
				buf[j - i] = '\0';
				if (k == 0)
					assert_int_equal(
					    note_vkey_parse(buf, &v), -1);
				else
					assert_int_equal(
					    note_skey_parse(buf, j - i, name,
					                    sk),
					    -1);
			}
		}
		memcpy(buf, keys[k], n + 1);
		for (i = 0; i < n; i++) {
			buf[i]++;
			if (k == 0)
				assert_int_equal(note_vkey_parse(buf, &v), -1);
			else
				assert_int_equal(
				    note_skey_parse(buf, n, name, sk), -1);
			buf[i]--;
		}
	}
	/* wrong-length key and unknown algorithm, with adjusted key ids */
	assert_int_equal(note_vkey_parse("PeterNeumann+cc469956+ARpc2QcUPDhMQ"
	                                 "egwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY"
	                                 "==",
	                                 &v),
	                 -1);
	assert_int_equal(note_vkey_parse("PeterNeumann+173116ae+ZRpc2QcUPDhMQ"
	                                 "egwxbzhKqiBfsVkmqq/LDE4izWy10TW",
	                                 &v),
	                 -1);
	/* the key id may be upper case hex, as Go's ParseUint allows */
	assert_int_equal(note_vkey_parse("PeterNeumann+C74F20A3+ARpc2QcUPDhMQ"
	                                 "egwxbzhKqiBfsVkmqq/LDE4izWy10TW",
	                                 &v),
	                 0);
}

static void
test_vector_b_sign(void **state)
{
	char name[NOTE_NAME_MAX + 1];
	uint8_t sk[64];
	char *s, *want;

	(void)state;
	assert_int_equal(note_skey_parse(b_skey, strlen(b_skey), name, sk), 0);
	s = note_sign(b_text, strlen(b_text), name, sk);
	want = cat(b_text, "\n", peter_sig, NULL);
	assert_string_equal(s, want);
	free(s);
	free(want);
	s = note_sign_line(b_text, strlen(b_text), name, sk);
	assert_string_equal(s, peter_sig);
	free(s);

	/* text must end in a newline; names must be valid */
	assert_null(note_sign("abc", 3, name, sk));
	assert_null(note_sign("", 0, name, sk));
	assert_null(note_sign("a\x01\n", 3, name, sk));
	assert_null(note_sign("a\r\n", 3, name, sk));
	assert_null(note_sign("\xff\n", 2, name, sk));
	assert_null(note_sign(b_text, strlen(b_text), "a+b", sk));
	assert_null(note_sign(b_text, strlen(b_text), "bad name", sk));
	assert_null(note_sign(b_text, strlen(b_text), "", sk));
	/* a spliced secret key (pitfall §4.3) is refused */
	sk[40] ^= 1;
	assert_null(note_sign(b_text, strlen(b_text), name, sk));
	assert_null(note_skey_format(name, sk));
	sodium_memzero(sk, sizeof(sk));
}

static void
test_vector_b_open(void **state)
{
	struct note_verifier vs[3];
	struct note_result res;
	char *msg, *many, *bad;
	size_t i;

	(void)state;
	assert_int_equal(note_vkey_parse(b_vkey, &vs[0]), 0);
	assert_int_equal(note_vkey_parse(enoch_vkey, &vs[1]), 0);
	msg = cat(b_text, "\n", peter_sig, enoch_sig);

	/* one verified, one unknown */
	assert_int_equal(verify_str(msg, vs, 1, &res), NOTE_OK);
	assert_int_equal(res.text_len, strlen(b_text));
	assert_int_equal(res.nverified, 1);
	assert_int_equal(res.nunknown, 1);
	assert_int_equal(res.nsigs, 2);
	/* both verified */
	assert_int_equal(verify_str(msg, vs, 2, &res), NOTE_OK);
	assert_int_equal(res.nverified, 2);
	assert_int_equal(res.nunknown, 0);
	assert_true(res.verified[0] && res.verified[1]);
	/* none known */
	assert_int_equal(verify_str(msg, vs, 0, &res), NOTE_ERR_UNVERIFIED);
	assert_int_equal(res.nunknown, 2);
	free(msg);

	/* duplicated verifier: ambiguous when used, fine when not */
	vs[2] = vs[1];
	msg = cat(b_text, "\n", enoch_sig, NULL);
	assert_int_equal(verify_str(msg, vs + 1, 2, &res), NOTE_ERR_AMBIGUOUS);
	assert_int_equal(verify_str(msg, vs, 3, &res), NOTE_ERR_AMBIGUOUS);
	free(msg);
	msg = cat(b_text, "\n", peter_sig, NULL);
	assert_int_equal(verify_str(msg, vs, 3, &res), NOTE_OK);
	free(msg);

	/* 16 and 100 signatures are accepted, 101 are not */
	for (i = 16; i <= 101; i += 84) {
		size_t k, off = strlen(b_text) + 1, sl = strlen(peter_sig);

		many = xmalloc(off + (i + 1) * sl + 1);
		memcpy(many, b_text, off - 1);
		many[off - 1] = '\n';
		for (k = 0; k < i; k++)
			memcpy(many + off + k * sl, peter_sig, sl);
		many[off + i * sl] = '\0';
		assert_int_equal(verify_str(many, vs, 1, &res), NOTE_OK);
		assert_int_equal(res.nsigs, i);
		memcpy(many + off + i * sl, peter_sig, sl + 1);
		assert_int_equal(verify_str(many, vs, 1, &res),
		                 i + 1 > NOTE_MAX_SIGS ? NOTE_ERR_MALFORMED
		                                       : NOTE_OK);
		assert_int_equal(verify_str(many, vs, 0, &res),
		                 i + 1 > NOTE_MAX_SIGS ? NOTE_ERR_MALFORMED
		                                       : NOTE_ERR_UNVERIFIED);
		free(many);
	}

	/* a corrupted signature of a known key rejects the note */
	bad = xstrdup(peter_sig);
	bad[40] = bad[40] == 'A' ? 'B' : 'A';
	msg = cat(b_text, "\n", bad, NULL);
	assert_int_equal(verify_str(msg, vs, 1, &res), NOTE_ERR_BAD_SIG);
	assert_int_equal(res.bad, 0);
	free(msg);
	/* even after a good one (each line of a known key is verified) */
	msg = cat(b_text, "\n", peter_sig, bad);
	assert_int_equal(verify_str(msg, vs, 1, &res), NOTE_ERR_BAD_SIG);
	free(msg);
	/* while an unknown key's bad signature is ignored */
	msg = cat(b_text, "\n", peter_sig, bad);
	assert_int_equal(verify_str(msg, vs + 1, 1, &res), NOTE_ERR_UNVERIFIED);
	free(msg);
	free(bad);
}

static void
test_malformed_notes(void **state)
{
	struct note_verifier v;
	struct note_result res;
	const char *bad[] = {
	    "", /* filled below */
	    "\n",
	    "\n\n",
	    "x\n\n\xe2\x80\x94 PeterNeumann AAAA\n", /* < 5 bytes */
	    "x\n\n\xe2\x80\x94 PeterNeumann\n",
	    "x\n\n\xe2\x80\x94 PeterNeumann \n",
	    "x\n\n\xe2\x80\x94  AAAAAAA=\n",
	    "x\n\n\xe2\x80\x94 Peter+Neumann AAAAAAA=\n",
	    "x\n\n- PeterNeumann AAAAAAA=\n",
	    "x\n\n\xe2\x80\x94PeterNeumann AAAAAAA=\n",
	    "x\n\n\xe2\x80\x94 PeterNeumann AAAAAA=\n",
	    "x\n\n\xe2\x80\x94 PeterNeumann AAAAAA==AA\n",
	    "x\n\n\xe2\x80\x94 PeterNeumann AAAA AA==\n",
	    "x\n\n\xe2\x80\x94 Peter\xc2\xa0Neumann AAAAAAA=\n",
	    "x\n\n\xe2\x80\x94 Peter\xe2\x80\x83Neumann AAAAAAA=\n",
	    "x\n\n\xe2\x80\x94 Peter\xe3\x80\x80Neumann AAAAAAA=\n",
	    "x\xc0\xaf\n\n\xe2\x80\x94 PeterNeumann AAAAAAA=\n",
	    "x\xed\xa0\x80\n\n\xe2\x80\x94 PeterNeumann AAAAAAA=\n",
	    "x\xf4\x90\x80\x80\n\n\xe2\x80\x94 PeterNeumann AAAAAAA=\n",
	    "x\r\n\n\xe2\x80\x94 PeterNeumann AAAAAAA=\n",
	    "x\t\n\n\xe2\x80\x94 PeterNeumann AAAAAAA=\n",
	};
	char *msgs[7];
	size_t i;

	(void)state;
	assert_int_equal(note_vkey_parse(b_vkey, &v), 0);
	/* golang.org/x/mod's bad messages */
	msgs[0] = xstrdup(b_text);
	msgs[1] = cat(b_text, "\n", NULL, NULL);
	msgs[2] = cat(b_text, "\n", peter_sig, NULL);
	msgs[2][strlen(msgs[2]) - 1] = '\0';
	msgs[3] = cat("\x01", b_text, "\n", peter_sig);
	msgs[4] = cat("\xff", b_text, "\n", peter_sig);
	msgs[5] = cat(b_text, "\n",
	              "\xe2\x80\x94 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLL"
	              "r8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJn"
	              "AM=",
	              NULL);
	msgs[6] = cat(b_text, "\n", peter_sig, "Unexpected line.\n");
	for (i = 0; i < 7; i++) {
		assert_int_equal(verify_str(msgs[i], &v, 1, &res),
		                 NOTE_ERR_MALFORMED);
		free(msgs[i]);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (verify_str(bad[i], &v, 1, &res) != NOTE_ERR_MALFORMED)
			print_error("accepted bad note %zu\n", i);
		assert_int_equal(verify_str(bad[i], &v, 1, &res),
		                 NOTE_ERR_MALFORMED);
	}
	/* the control: well-formed, from an unknown key */
	assert_int_equal(verify_str("x\n\n\xe2\x80\x94 PeterNeumann AAAAAAA=\n",
	                            &v, 1, &res),
	                 NOTE_ERR_UNVERIFIED);
	/* a NUL byte is a control character too */
	{
		static const char nul[] = "x\0\n\n\xe2\x80\x94 P AAAAAAA=\n";

		assert_int_equal(note_verify(nul, sizeof(nul) - 1, &v, 1, &res),
		                 NOTE_ERR_MALFORMED);
		assert_int_equal(
		    note_verify(nul + 1, sizeof(nul) - 2, &v, 1, &res),
		    NOTE_ERR_MALFORMED);
	}
	/* a note over the cap is refused before it is read */
	assert_int_equal(note_verify(b_text, NOTE_MAX_LEN + 1, &v, 1, &res),
	                 NOTE_ERR_MALFORMED);
	/* the text may hold empty lines: the last one separates */
	{
		char name[NOTE_NAME_MAX + 1];
		uint8_t sk[64];
		char *s;
		const char *text = "a\n\nb\n\n";

		assert_int_equal(
		    note_skey_parse(b_skey, strlen(b_skey), name, sk), 0);
		s = note_sign(text, strlen(text), name, sk);
		assert_non_null(s);
		assert_int_equal(verify_str(s, &v, 1, &res), NOTE_OK);
		assert_int_equal(res.text_len, strlen(text));
		free(s);
		sodium_memzero(sk, sizeof(sk));
	}
}

/* Name and key id must both match; a known key's wrong-size signature is a
 * failure, an unknown key's is not looked at. */
static void
test_unknown_and_mismatched(void **state)
{
	struct note_verifier v[2];
	struct note_result res;
	uint8_t pk[32];
	char *msg, *line;
	size_t i;

	(void)state;
	assert_int_equal(note_vkey_parse(b_vkey, &v[0]), 0);
	memcpy(pk, v[0].pk, 32);
	/* same name, other key (so other id) */
	pk[0] ^= 1;
	assert_int_equal(
	    note_verifier_init(&v[1], "PeterNeumann", NOTE_TYPE_ED25519, pk),
	    0);
	msg = cat(b_text, "\n", peter_sig, NULL);
	assert_int_equal(verify_str(msg, &v[1], 1, &res), NOTE_ERR_UNVERIFIED);
	assert_int_equal(res.nunknown, 1);
	/* same id, other name */
	v[1] = v[0];
	memcpy(v[1].name, "PeterNeumanm", 12);
	assert_int_equal(verify_str(msg, &v[1], 1, &res), NOTE_ERR_UNVERIFIED);
	/* the same key as a cosigner has another id: unknown */
	assert_int_equal(note_verifier_init(&v[1], "PeterNeumann",
	                                    NOTE_TYPE_COSIGNATURE, v[0].pk),
	                 0);
	assert_true(v[1].id != v[0].id);
	assert_int_equal(verify_str(msg, &v[1], 1, &res), NOTE_ERR_UNVERIFIED);
	free(msg);

	/* a known key with a 5-byte signature */
	line = xasprintf("\xe2\x80\x94 PeterNeumann %s\n", "x08go/Y=");
	msg = cat(b_text, "\n", line, NULL);
	assert_int_equal(verify_str(msg, v, 1, &res), NOTE_ERR_BAD_SIG);
	/* ... which is ignored when the key is unknown */
	assert_int_equal(verify_str(msg, v, 0, &res), NOTE_ERR_UNVERIFIED);
	free(msg);
	free(line);

	/* verifier list checks */
	{
		struct note_verifier many[NOTE_MAX_VERIFIERS + 1];

		for (i = 0; i <= NOTE_MAX_VERIFIERS; i++)
			many[i] = v[0];
		assert_int_equal(
		    verify_str(a_note, many, NOTE_MAX_VERIFIERS + 1, &res),
		    NOTE_ERR_ARG);
		many[0].type = 0x02;
		assert_int_equal(verify_str(a_note, many, 1, &res),
		                 NOTE_ERR_ARG);
	}
	assert_int_equal(note_verifier_init(&v[1], "x", 0x02, pk), -1);
	assert_int_equal(note_verifier_init(&v[1], "a b", 0x01, pk), -1);
	assert_null(note_vkey_format("a+b", pk));
	assert_string_equal(note_strerror(NOTE_ERR_BAD_SIG),
	                    "invalid signature from a known key");
}

static void
test_names(void **state)
{
	char long_name[NOTE_NAME_MAX + 2];

	(void)state;
	assert_int_equal(note_name_valid("example.com/log42", 17), 0);
	assert_int_equal(note_name_valid("caf\xc3\xa9", 5), 0);
	assert_int_equal(note_name_valid("", 0), -1);
	assert_int_equal(note_name_valid("a+b", 3), -1);
	assert_int_equal(note_name_valid("a b", 3), -1);
	assert_int_equal(note_name_valid("a\tb", 3), -1);
	assert_int_equal(note_name_valid("a\x85", 2), -1);     /* bad UTF-8 */
	assert_int_equal(note_name_valid("a\xc2\x85", 3), -1); /* NEL */
	assert_int_equal(note_name_valid("a\xe1\x9a\x80", 4), -1); /* U+1680 */
	assert_int_equal(note_name_valid("a\xe2\x80\xa8", 4), -1); /* U+2028 */
	assert_int_equal(note_name_valid("a\xe2\x80\xaf", 4), -1); /* U+202F */
	assert_int_equal(note_name_valid("a\xe2\x81\x9f", 4), -1); /* U+205F */
	assert_int_equal(note_name_valid("a\xe2\x80\x8b", 4), 0);  /* ZWSP */
	memset(long_name, 'n', sizeof(long_name));
	assert_int_equal(note_name_valid(long_name, NOTE_NAME_MAX), 0);
	assert_int_equal(note_name_valid(long_name, NOTE_NAME_MAX + 1), -1);
}

/* Unknown signers may have names longer than our cap for known keys. */
static void
test_long_unknown_name(void **state)
{
	struct note_verifier v;
	struct note_result res;
	char name[400], *msg;

	(void)state;
	assert_int_equal(note_vkey_parse(b_vkey, &v), 0);
	memset(name, 'w', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	msg = xasprintf("%s\n%s\xe2\x80\x94 %s AAAAAAAA\n", b_text, peter_sig,
	                name);
	assert_int_equal(verify_str(msg, &v, 1, &res), NOTE_OK);
	assert_int_equal(res.nunknown, 1);
	free(msg);
}

static void
test_cosignature(void **state)
{
	uint8_t pk[32], sk[64], seed[32], raw[76], sig[64];
	struct note_verifier vs[2];
	struct note_result res;
	char *note, *line, *full, *vkey, *msg;
	size_t n;
	uint64_t t = 1679315147;

	(void)state;
	/* the specification's example line: key id 8d66cf3f, time
	 * 1679315147, then a 64-byte signature */
	line = strchr(sofa_cosig, ' ');
	line = strchr(line + 1, ' ') + 1;
	assert_int_equal(b64_exact(line, strlen(line) - 1, raw, 76), 0);
	assert_memory_equal(raw, "\x8d\x66\xcf\x3f", 4);
	assert_memory_equal(raw + 4, "\x00\x00\x00\x00\x64\x18\x50\xcb", 8);

	memset(seed, 7, sizeof(seed));
	keys_from_seed(seed, pk, sk);
	assert_int_equal(note_verifier_init(&vs[0], "witness.example.com/w1",
	                                    NOTE_TYPE_COSIGNATURE, pk),
	                 0);
	vkey = note_verifier_format(&vs[0]);
	assert_int_equal(note_vkey_parse(vkey, &vs[1]), 0);
	assert_memory_equal(&vs[0], &vs[1], sizeof(vs[0]));
	free(vkey);

	line = note_cosign_line(sofa_text, strlen(sofa_text),
	                        "witness.example.com/w1", sk, t);
	assert_non_null(line);
	note = cat(sofa_text, "\n", sofa_sig, line);
	assert_int_equal(verify_str(note, vs, 1, &res), NOTE_OK);
	assert_int_equal(res.nverified, 1);
	assert_int_equal(res.nunknown, 1);
	assert_true(res.timestamp[0] == t);

	/* the signed message is exactly the cosignature/v1 text */
	n = strlen(line);
	assert_int_equal(b64_exact(line + 4 + 23, n - 4 - 23 - 1, raw, 76), 0);
	memcpy(sig, raw + 12, 64);
	msg = xasprintf("cosignature/v1\ntime 1679315147\n%s", sofa_text);
	assert_int_equal(crypto_sign_verify_detached(sig, (const uint8_t *)msg,
	                                             strlen(msg), pk),
	                 0);
	free(msg);

	/* another timestamp in the line breaks the signature */
	raw[11] ^= 1;
	{
		char *b64 = enc_b64_new(raw, 76);

		full = xasprintf("%s\n\xe2\x80\x94 witness.example.com/w1 %s\n",
		                 sofa_text, b64);
		free(b64);
	}
	assert_int_equal(verify_str(full, vs, 1, &res), NOTE_ERR_BAD_SIG);
	free(full);
	/* timestamps above 2^63 - 1 are refused on both sides */
	raw[4] = 0x80;
	{
		char *b64 = enc_b64_new(raw, 76);

		full = xasprintf("%s\n\xe2\x80\x94 witness.example.com/w1 %s\n",
		                 sofa_text, b64);
		free(b64);
	}
	assert_int_equal(verify_str(full, vs, 1, &res), NOTE_ERR_BAD_SIG);
	free(full);
	assert_null(note_cosign_line(sofa_text, strlen(sofa_text), "w", sk,
	                             (uint64_t)1 << 63));
	/* an Ed25519 cosignature is not a note signature of the same key */
	assert_int_equal(note_verifier_init(&vs[1], "witness.example.com/w1",
	                                    NOTE_TYPE_ED25519, pk),
	                 0);
	assert_int_equal(verify_str(note, vs + 1, 1, &res),
	                 NOTE_ERR_UNVERIFIED);
	free(note);
	free(line);
	sodium_memzero(sk, sizeof(sk));
}

static void
test_checkpoint_example(void **state)
{
	struct checkpoint cp;
	struct note_result res;
	uint8_t raw[68];
	char *note, *s;
	const char *b64;

	(void)state;
	assert_int_equal(checkpoint_parse(sofa_text, strlen(sofa_text), &cp),
	                 0);
	assert_string_equal(cp.origin, "example.com/behind-the-sofa");
	assert_true(cp.size == 20852163);
	assert_int_equal(cp.next, 0);
	s = checkpoint_format(cp.origin, cp.size, cp.root, NULL);
	assert_string_equal(s, sofa_text);
	free(s);

	/* the log's line: key id 033de0ae and a 64-byte signature */
	b64 = strrchr(sofa_sig, ' ') + 1;
	assert_int_equal(b64_exact(b64, strlen(b64) - 1, raw, 68), 0);
	assert_memory_equal(raw, "\x03\x3d\xe0\xae", 4);

	/* no key of ours: parsed, never accepted */
	note = cat(sofa_text, "\n", sofa_sig, sofa_cosig);
	assert_int_equal(verify_str(note, NULL, 0, &res), NOTE_ERR_UNVERIFIED);
	assert_int_equal(res.nunknown, 2);
	assert_int_equal(res.text_len, strlen(sofa_text));
	free(note);
}

static void
test_checkpoint_golden(void **state)
{
	static const char go_text[] =
	    "go.sum database tree\n123456789012\n"
	    "TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n";
	struct checkpoint cp;
	uint8_t h[32];
	char *s;

	(void)state;
	assert_int_equal(checkpoint_parse(go_text, strlen(go_text), &cp), 0);
	assert_true(cp.size == 123456789012ULL);
	assert_string_equal(cp.origin, "go.sum database tree");
	merkle_leaf_hash((const uint8_t *)"hello world", 11, h);
	assert_memory_equal(cp.root, h, 32);
	/* its origin has spaces: parsed, but we would not format it */
	assert_null(checkpoint_format(cp.origin, cp.size, cp.root, NULL));
	s = checkpoint_format("go.sum/tree", cp.size, cp.root, "ext\n");
	assert_string_equal(s, "go.sum/tree\n123456789012\n"
	                       "TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n"
	                       "ext\n");
	free(s);
}

static void
test_checkpoint_rules(void **state)
{
	static const char *const bad[] = {
	    "",
	    "o\n",
	    "o\n1\n",
	    "o\n1\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=",
	    "\n1\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n",
	    "o\n01\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n",
	    "o\n00\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",
	    "o\n+1\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n",
	    "o\n-1\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n",
	    "o\n 1\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n",
	    "o\n1a\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n",
	    "o\n\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n",
	    "o\n9223372036854775808\n"
	    "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n",
	    "o\n18446744073709551616\n"
	    "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n",
	    "o\n1\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0\n",
	    "o\n1\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0==\n",
	    "o\n1\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoA==\n",
	    "o\n1\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB1=\n",
	    "o\n1\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n\n",
	    "o\n1\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\nx\n\ny\n",
	    "o\r\n1\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n",
	    "o\n0\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n",
	};
	struct checkpoint cp;
	uint8_t root[32];
	char ext[CHECKPOINT_EXT_MAX + 64], *s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (checkpoint_parse(bad[i], strlen(bad[i]), &cp) != -1)
			print_error("accepted bad checkpoint %zu\n", i);
		assert_int_equal(checkpoint_parse(bad[i], strlen(bad[i]), &cp),
		                 -1);
	}
	s = "o w+\n9223372036854775807\n"
	    "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\nx y\nz\n";
	assert_int_equal(checkpoint_parse(s, strlen(s), &cp), 0);
	assert_string_equal(cp.origin, "o w+");
	assert_true(cp.size == MERKLE_MAX_SIZE);
	assert_int_equal(cp.next, 2);
	assert_string_equal(cp.ext, "x y\nz\n");
	s = "o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n";
	assert_int_equal(checkpoint_parse(s, strlen(s), &cp), 0);
	assert_true(cp.size == 0);

	/* extension caps: 16 lines, CHECKPOINT_EXT_MAX bytes */
	merkle_leaf_hash(NULL, 0, root);
	for (i = 0; i < 17; i++)
		memcpy(ext + 2 * i, "e\n", 3);
	s = checkpoint_format("o", 1, root, ext);
	assert_null(s);
	ext[32] = '\0';
	s = checkpoint_format("o", 1, root, ext);
	assert_non_null(s);
	assert_int_equal(checkpoint_parse(s, strlen(s), &cp), 0);
	assert_int_equal(cp.next, 16);
	free(s);
	memset(ext, 'e', CHECKPOINT_EXT_MAX - 1);
	ext[CHECKPOINT_EXT_MAX - 1] = '\n';
	ext[CHECKPOINT_EXT_MAX] = '\0';
	s = checkpoint_format("o", 1, root, ext);
	assert_non_null(s);
	free(s);
	ext[CHECKPOINT_EXT_MAX - 1] = 'e';
	ext[CHECKPOINT_EXT_MAX] = '\n';
	ext[CHECKPOINT_EXT_MAX + 1] = '\0';
	assert_null(checkpoint_format("o", 1, root, ext));

	/* format refusals */
	assert_null(checkpoint_format("o", 1, root, "x"));
	assert_null(checkpoint_format("o", 1, root, "\n"));
	assert_null(checkpoint_format("o", 1, root, "x\n\ny\n"));
	assert_null(checkpoint_format("", 1, root, NULL));
	assert_null(checkpoint_format("o o", 1, root, NULL));
	assert_null(checkpoint_format("o+o", 1, root, NULL));
	assert_null(checkpoint_format("o", MERKLE_MAX_SIZE + 1, root, NULL));
	assert_null(checkpoint_format("o", 0, root, NULL)); /* not empty */
	merkle_empty_root(root);
	s = checkpoint_format("o", 0, root, "");
	assert_string_equal(
	    s, "o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n");
	free(s);
}

/* A checkpoint signed by the log and cosigned by two witnesses, read back
 * by a client that knows the log and one witness. */
static void
test_checkpoint_round_trip(void **state)
{
	uint8_t lpk[32], lsk[64], w1pk[32], w1sk[64], w2pk[32], w2sk[64];
	uint8_t root[32];
	struct note_verifier vs[2];
	struct note_result res;
	struct checkpoint cp;
	char *text, *signed_note, *c1, *c2, *all;

	(void)state;
	keys_generate(lpk, lsk);
	keys_generate(w1pk, w1sk);
	keys_generate(w2pk, w2sk);
	merkle_leaf_hash((const uint8_t *)"act", 3, root);
	text = checkpoint_format("detente.example/log", 1, root, NULL);
	signed_note = note_sign(text, strlen(text), "detente.example/log", lsk);
	c1 = note_cosign_line(text, strlen(text), "w1.example", w1sk, 100);
	c2 = note_cosign_line(text, strlen(text), "w2.example", w2sk, 200);
	all = cat(signed_note, c1, c2, NULL);
	assert_int_equal(note_verifier_init(&vs[0], "detente.example/log",
	                                    NOTE_TYPE_ED25519, lpk),
	                 0);
	assert_int_equal(note_verifier_init(&vs[1], "w2.example",
	                                    NOTE_TYPE_COSIGNATURE, w2pk),
	                 0);
	assert_int_equal(verify_str(all, vs, 2, &res), NOTE_OK);
	assert_int_equal(res.nverified, 2);
	assert_int_equal(res.nunknown, 1);
	assert_true(res.timestamp[1] == 200);
	assert_true(res.timestamp[0] == 0);
	assert_int_equal(checkpoint_parse(all, res.text_len, &cp), 0);
	assert_true(cp.size == 1);
	assert_memory_equal(cp.root, root, 32);
	/* the witness alone is enough for note_verify; policy is the
	 * caller's (res.verified) */
	assert_int_equal(verify_str(all, vs + 1, 1, &res), NOTE_OK);
	free(text);
	free(signed_note);
	free(c1);
	free(c2);
	free(all);
	sodium_memzero(lsk, sizeof(lsk));
	sodium_memzero(w1sk, sizeof(w1sk));
	sodium_memzero(w2sk, sizeof(w2sk));
}

/*
 * Regression (found by fuzz_checkpoint): libsodium 1.0.18's base64 decoder
 * reads bytes >= 0x80 as '/', so a root line, key or signature could carry
 * non-ASCII bytes and still decode.  Every ledger decoder refuses them.
 */
static void
test_regress_b64_non_ascii(void **state)
{
	static const char cp_text[] = "fu.example/log\n20852163\n"
	                              "ysJQtgqHndEX9a\xc7\xaa"
	                              "9BPSL6MxBr/IbpFZjpWgLy1eWY4=\n";
	static const char cp_ok[] =
	    "fu.example/log\n20852163\n"
	    "ysJQtgqHndEX9a//9BPSL6MxBr/IbpFZjpWgLy1eWY4=\n";
	struct checkpoint cp;
	struct note_verifier v;
	struct note_result res;
	char *msg, *sig;
	size_t i;

	(void)state;
	assert_int_equal(checkpoint_parse(cp_ok, strlen(cp_ok), &cp), 0);
	assert_int_equal(checkpoint_parse(cp_text, strlen(cp_text), &cp), -1);
	/* a verifier key whose base64 ends in two non-ASCII bytes */
	assert_int_equal(
	    note_vkey_parse("PeterNeumann+c74f20a3+ARpc2QcUPDhMQ"
	                    "egwxbzhKqiBfsVkmqq/LDE4izWy10T\xc3\xa9",
	                    &v),
	    -1);
	/* a known key's signature line with a '/' spelt as 0x80..0xff */
	assert_int_equal(note_vkey_parse(b_vkey, &v), 0);
	sig = xstrdup(peter_sig);
	for (i = 0; sig[i] != '\0' && sig[i] != '/'; i++)
		;
	assert_int_equal(sig[i], '/');
	msg = cat(b_text, "\n", sig, NULL);
	assert_int_equal(verify_str(msg, &v, 1, &res), NOTE_OK);
	free(msg);
	sig[i] = (char)0xc3;
	msg = cat(b_text, "\n", sig, NULL);
	assert_int_equal(verify_str(msg, &v, 1, &res), NOTE_ERR_MALFORMED);
	free(msg);
	free(sig);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vector_a),
	    cmocka_unit_test(test_vector_b_keys),
	    cmocka_unit_test(test_key_manglings),
	    cmocka_unit_test(test_vector_b_sign),
	    cmocka_unit_test(test_vector_b_open),
	    cmocka_unit_test(test_malformed_notes),
	    cmocka_unit_test(test_unknown_and_mismatched),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_long_unknown_name),
	    cmocka_unit_test(test_cosignature),
	    cmocka_unit_test(test_checkpoint_example),
	    cmocka_unit_test(test_checkpoint_golden),
	    cmocka_unit_test(test_checkpoint_rules),
	    cmocka_unit_test(test_checkpoint_round_trip),
	    cmocka_unit_test(test_regress_b64_non_ascii),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
