/*
 * Tests of ledger/keys: RFC 8032 known answers, the secret-key consistency
 * check, key ids, key files, and the Ed25519 negative vectors that pin the
 * verification rules of the libsodium we link (1.0.18): the identity-key
 * forgery and S + L malleation must both be rejected, directly and through
 * every verifier in ledger/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/enc.h"
#include "base/jsonx.h"
#include "base/xmalloc.h"
#include "ledger/dsse.h"
#include "ledger/keys.h"
#include "ledger/note.h"

/* RFC 8032 §7.1, TEST 1. */
static const char rfc_seed[] =
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
static const char rfc_pk[] =
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
static const char rfc_sig[] =
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821"
    "590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

/* The group order L, little-endian. */
static const char order_l[] =
    "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010";

static void
test_rfc8032(void **state)
{
	uint8_t seed[32], pk[32], sk[64], want_pk[32], sig[64], want_sig[64];

	(void)state;
	assert_int_equal(enc_hex_decode(rfc_seed, seed, 32), 0);
	assert_int_equal(enc_hex_decode(rfc_pk, want_pk, 32), 0);
	assert_int_equal(enc_hex_decode(rfc_sig, want_sig, 64), 0);
	keys_from_seed(seed, pk, sk);
	assert_memory_equal(pk, want_pk, 32);
	assert_memory_equal(sk, seed, 32);
	assert_memory_equal(sk + 32, pk, 32);
	assert_int_equal(keys_check_secret(sk), 0);
	crypto_sign_detached(sig, NULL, (const uint8_t *)"", 0, sk);
	assert_memory_equal(sig, want_sig, 64);
	assert_int_equal(
	    crypto_sign_verify_detached(sig, (const uint8_t *)"", 0, pk), 0);
	sodium_memzero(sk, sizeof(sk));
}

static void
test_generate_and_check(void **state)
{
	uint8_t pk[32], sk[64], pk2[32], sk2[64];
	size_t i;

	(void)state;
	keys_generate(pk, sk);
	assert_memory_equal(sk + 32, pk, 32);
	assert_int_equal(keys_check_secret(sk), 0);
	keys_from_seed(sk, pk2, sk2);
	assert_memory_equal(pk, pk2, 32);
	assert_memory_equal(sk, sk2, 64);
	/* any change to the public half is caught (pitfall §4.3) */
	for (i = 32; i < 64; i++) {
		sk[i] ^= 0x40;
		assert_int_equal(keys_check_secret(sk), -1);
		sk[i] ^= 0x40;
	}
	/* a seed spliced to another key's public half */
	keys_generate(pk2, sk2);
	memcpy(sk2 + 32, pk, 32);
	assert_int_equal(keys_check_secret(sk2), -1);
	sodium_memzero(sk, sizeof(sk));
	sodium_memzero(sk2, sizeof(sk2));
}

static void
test_key_id(void **state)
{
	uint8_t pk[32];
	char *id;

	(void)state;
	assert_int_equal(enc_hex_decode(rfc_pk, pk, 32), 0);
	id = keys_id(pk);
	assert_string_equal(id, "ed25519:21fe31dfa154a261");
	assert_int_equal(strlen(id), KEYS_ID_LEN);
	free(id);
}

/* A fresh directory for key files, removed by the teardown. */
static char tmpdir[64];

static int
setup_tmp(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/detente-keys-XXXXXX");
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
teardown_tmp(void **state)
{
	(void)state;
	return nftw(tmpdir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static char *
tmp_path(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

static void
write_file(const char *path, const char *data, size_t n, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, n), (ssize_t)n);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static void
test_key_files(void **state)
{
	uint8_t pk[32], sk[64], sk2[64];
	char name[NOTE_NAME_MAX + 1];
	char *path = tmp_path("state.key"), *link, *skey, buf[200];
	struct stat st;
	FILE *f;
	size_t n;

	(void)state;
	keys_generate(pk, sk);
	assert_int_equal(keys_save_secret(path, "detente.example/fr", sk),
	                 KEYS_OK);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* the file is the note signer key and a newline */
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	skey = note_skey_format("detente.example/fr", sk);
	assert_int_equal(n, strlen(skey) + 1);
	assert_memory_equal(buf, skey, n - 1);
	assert_int_equal(buf[n - 1], '\n');
	note_skey_free(skey);

	/* never overwritten */
	assert_int_equal(keys_save_secret(path, "detente.example/fr", sk),
	                 KEYS_ERR_EXISTS);
	assert_int_equal(keys_load_secret(path, name, sk2), KEYS_OK);
	assert_string_equal(name, "detente.example/fr");
	assert_memory_equal(sk, sk2, 64);

	/* too open: refused, and the outputs are wiped */
	assert_int_equal(chmod(path, 0640), 0);
	assert_int_equal(keys_load_secret(path, name, sk2), KEYS_ERR_MODE);
	assert_string_equal(name, "");
	assert_true(sodium_is_zero(sk2, 64));
	assert_int_equal(chmod(path, 0600), 0);

	/* symlinks are not followed, either way */
	link = tmp_path("link.key");
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(keys_load_secret(link, name, sk2), KEYS_ERR_IO);
	assert_int_equal(errno, ELOOP);
	assert_int_equal(keys_save_secret(link, "x", sk), KEYS_ERR_EXISTS);
	free(link);

	/* missing file, directory */
	link = tmp_path("missing.key");
	assert_int_equal(keys_load_secret(link, name, sk2), KEYS_ERR_IO);
	assert_int_equal(errno, ENOENT);
	free(link);
	assert_int_equal(keys_load_secret(tmpdir, name, sk2), KEYS_ERR_FORMAT);

	/* bad names and keys are refused before anything is written */
	link = tmp_path("bad.key");
	assert_int_equal(keys_save_secret(link, "bad name", sk),
	                 KEYS_ERR_FORMAT);
	sk[63] ^= 1;
	assert_int_equal(keys_save_secret(link, "ok", sk), KEYS_ERR_KEY);
	sk[63] ^= 1;
	assert_int_equal(access(link, F_OK), -1);
	free(link);
	free(path);
	sodium_memzero(sk, sizeof(sk));
	sodium_memzero(sk2, sizeof(sk2));
}

static void
test_key_file_contents(void **state)
{
	static const char good[] =
	    "PRIVATE+KEY+PeterNeumann+c74f20a3+"
	    "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
	static const char *const bad[] = {
	    "",
	    "\n",
	    "PRIVATE+KEY+PeterNeumann+c74f20a3+"
	    "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz\n\n",
	    "PRIVATE+KEY+PeterNeumann+c74f20a4+"
	    "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz\n",
	    "PRIVATE+KEY+PeterNeumann+c74f20a3+"
	    "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz \n",
	    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/"
	    "LDE4izWy10TW\n",
	};
	char name[NOTE_NAME_MAX + 1];
	char *path = tmp_path("contents.key"), *big;
	uint8_t sk[64];
	size_t i;

	(void)state;
	/* with or without the final newline */
	write_file(path, good, sizeof(good) - 1, 0600);
	assert_int_equal(keys_load_secret(path, name, sk), KEYS_OK);
	assert_string_equal(name, "PeterNeumann");
	write_file(path, good, sizeof(good) - 1, 0400);
	assert_int_equal(keys_load_secret(path, name, sk), KEYS_OK);
	assert_int_equal(chmod(path, 0600), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_file(path, bad[i], strlen(bad[i]), 0600);
		assert_int_equal(keys_load_secret(path, name, sk),
		                 KEYS_ERR_FORMAT);
		assert_true(sodium_is_zero(sk, 64));
	}
	big = xmalloc(KEYS_FILE_MAX_LEN + 1);
	memset(big, 'A', KEYS_FILE_MAX_LEN + 1);
	write_file(path, big, KEYS_FILE_MAX_LEN + 1, 0600);
	assert_int_equal(keys_load_secret(path, name, sk), KEYS_ERR_FORMAT);
	free(big);
	free(path);
	assert_string_equal(keys_strerror(KEYS_ERR_MODE),
	                    "key file is accessible by group or others "
	                    "(want 0600)");
}

/*
 * The identity-key forgery: pk = identity (encoded 01 00..00), R = identity,
 * S = 0 satisfies the cofactorless equation for every message.  Go's
 * crypto/ed25519 accepts it; libsodium 1.0.18 must not.
 */
static void
test_identity_key_forgery(void **state)
{
	uint8_t pk[32] = {1}, sig[64] = {1};
	struct note_verifier v;
	struct note_result res;
	struct dsse_envelope *env = NULL;
	uint8_t raw[68];
	char *b64, *note, *json, err[200];
	const char *text = "I owe you a treaty.\n";

	(void)state;
	assert_int_equal(crypto_sign_verify_detached(sig, (const uint8_t *)text,
	                                             strlen(text), pk),
	                 -1);
	assert_int_equal(
	    crypto_sign_verify_detached(sig, (const uint8_t *)"", 0, pk), -1);

	/* through note_verify */
	assert_int_equal(
	    note_verifier_init(&v, "forger", NOTE_TYPE_ED25519, pk), 0);
	raw[0] = (uint8_t)(v.id >> 24);
	raw[1] = (uint8_t)(v.id >> 16);
	raw[2] = (uint8_t)(v.id >> 8);
	raw[3] = (uint8_t)v.id;
	memcpy(raw + 4, sig, 64);
	b64 = enc_b64_new(raw, sizeof(raw));
	note = xasprintf("%s\n\xe2\x80\x94 forger %s\n", text, b64);
	assert_int_equal(note_verify(note, strlen(note), &v, 1, &res),
	                 NOTE_ERR_BAD_SIG);
	free(note);
	free(b64);

	/* through dsse_verify */
	b64 = enc_b64_new(sig, 64);
	json = xasprintf("{\"payloadType\":\"t\",\"payload\":\"\","
	                 "\"signatures\":[{\"keyid\":\"k\",\"sig\":\"%s\"}]}",
	                 b64);
	assert_int_equal(dsse_parse(json, strlen(json), &env, err, sizeof(err)),
	                 0);
	assert_int_equal(dsse_verify(env, "k", pk), -1);
	dsse_envelope_free(env);
	free(json);
	free(b64);
}

/* Adds L to the S half of a signature (little-endian, no overflow since
 * S < L < 2^253). */
static void
add_order(uint8_t sig[64])
{
	uint8_t l[32];
	unsigned carry = 0;
	size_t i;

	assert_int_equal(enc_hex_decode(order_l, l, 32), 0);
	for (i = 0; i < 32; i++) {
		unsigned s = (unsigned)sig[32 + i] + l[i] + carry;

		sig[32 + i] = (uint8_t)s;
		carry = s >> 8;
	}
	assert_int_equal(carry, 0);
}

/* S + L: the same signature with a non-canonical scalar (malleation). */
static void
test_s_plus_l_malleation(void **state)
{
	uint8_t pk[32], sk[64], sig[64];
	struct note_verifier v;
	struct note_result res;
	struct dsse_envelope *env = NULL;
	char *line, *note, *json, *b64, err[200];
	uint8_t raw[68];
	const char *text = "Communique.\n";
	json_t *j;
	size_t n;

	(void)state;
	keys_generate(pk, sk);
	crypto_sign_detached(sig, NULL, (const uint8_t *)text, strlen(text),
	                     sk);
	assert_int_equal(crypto_sign_verify_detached(sig, (const uint8_t *)text,
	                                             strlen(text), pk),
	                 0);
	add_order(sig);
	assert_int_equal(crypto_sign_verify_detached(sig, (const uint8_t *)text,
	                                             strlen(text), pk),
	                 -1);

	/* through note_verify: malleate a real note signature */
	assert_int_equal(note_verifier_init(&v, "s", NOTE_TYPE_ED25519, pk), 0);
	line = note_sign_line(text, strlen(text), "s", sk);
	assert_non_null(line);
	n = strlen(line);
	{
		uint8_t *p = NULL;
		size_t got = 0;

		assert_int_equal(
		    enc_b64_decode_new(line + 6, n - 7, 70, &p, &got), 0);
		assert_int_equal(got, 68);
		memcpy(raw, p, 68);
		free(p);
	}
	note = xasprintf("%s\n%s", text, line);
	assert_int_equal(note_verify(note, strlen(note), &v, 1, &res), NOTE_OK);
	free(note);
	add_order(raw + 4);
	b64 = enc_b64_new(raw, 68);
	note = xasprintf("%s\n\xe2\x80\x94 s %s\n", text, b64);
	assert_int_equal(note_verify(note, strlen(note), &v, 1, &res),
	                 NOTE_ERR_BAD_SIG);
	free(note);
	free(b64);
	free(line);

	/* through dsse_verify */
	j = dsse_sign("t", (const uint8_t *)text, strlen(text), "k", sk);
	assert_non_null(j);
	json = jsonx_dump(j, &n);
	json_decref(j);
	assert_int_equal(dsse_parse(json, n, &env, err, sizeof(err)), 0);
	free(json);
	assert_int_equal(dsse_verify(env, "k", pk), 0);
	add_order(env->sigs[0].sig);
	assert_int_equal(dsse_verify(env, "k", pk), -1);
	dsse_envelope_free(env);
	sodium_memzero(sk, sizeof(sk));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rfc8032),
	    cmocka_unit_test(test_generate_and_check),
	    cmocka_unit_test(test_key_id),
	    cmocka_unit_test(test_key_files),
	    cmocka_unit_test(test_key_file_contents),
	    cmocka_unit_test(test_identity_key_forgery),
	    cmocka_unit_test(test_s_plus_l_malleation),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, setup_tmp, teardown_tmp);
}
