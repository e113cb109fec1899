#include "ledger/note.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/buf.h"
#include "base/enc.h"
#include "base/xmalloc.h"
#include "ledger/b64.h"
#include "ledger/keys.h"

#define EM_DASH_SP     "\xe2\x80\x94 " /* U+2014 then U+0020 */
#define EM_DASH_SP_LEN 4
#define COSIG_HEADER   "cosignature/v1\n"
#define SKEY_PREFIX    "PRIVATE+KEY+"
#define ED25519_SIG    64
#define COSIG_SIG      (8 + ED25519_SIG)

const char *
note_strerror(enum note_err e)
{
	switch (e) {
	case NOTE_OK:
		return "ok";
	case NOTE_ERR_MALFORMED:
		return "malformed note";
	case NOTE_ERR_BAD_SIG:
		return "invalid signature from a known key";
	case NOTE_ERR_UNVERIFIED:
		return "note has no verifiable signatures";
	case NOTE_ERR_AMBIGUOUS:
		return "ambiguous key";
	case NOTE_ERR_ARG:
		return "invalid verifier list";
	}
	return "unknown error";
}

/*
 * Decodes the UTF-8 sequence at p (n > 0 bytes available) into *cp.
 * Returns its length, or 0 if it is not valid UTF-8: truncated, overlong, a
 * surrogate or above U+10FFFF (the sequences Go decodes as RuneError).
 */
static size_t
utf8_next(const uint8_t *p, size_t n, uint32_t *cp)
{
	uint32_t c = p[0];
	size_t len, i;
	uint32_t min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xe0) == 0xc0) {
		len = 2;
		c &= 0x1f;
		min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3;
		c &= 0x0f;
		min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		len = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Whether c is a Unicode space (Go's unicode.IsSpace). */
static int
is_space(uint32_t c)
{
	switch (c) {
	case '\t':
	case '\n':
	case '\v':
	case '\f':
	case '\r':
	case ' ':
	case 0x85:
	case 0xa0:
	case 0x1680:
	case 0x2028:
	case 0x2029:
	case 0x202f:
	case 0x205f:
	case 0x3000:
		return 1;
	}
	return c >= 0x2000 && c <= 0x200a;
}

/*
 * Returns 0 if the n bytes at p are valid UTF-8 without ASCII control
 * characters other than '\n', else -1.
 */
static int
text_chars_valid(const char *p, size_t n)
{
	const uint8_t *s = (const uint8_t *)p;
	size_t i = 0;

	while (i < n) {
		uint32_t c;
		size_t l = utf8_next(s + i, n - i, &c);

		if (l == 0 || (c < 0x20 && c != '\n'))
			return -1;
		i += l;
	}
	return 0;
}

/* Returns 0 if text may be signed as a note text, else -1. */
static int
text_valid(const char *text, size_t len)
{
	if (len == 0 || len > NOTE_TEXT_MAX || text[len - 1] != '\n')
		return -1;
	return text_chars_valid(text, len);
}

/*
 * Returns 0 if the len bytes at name are a key name of any length: non-empty
 * valid UTF-8 without Unicode spaces, '+' or ASCII control characters.
 */
static int
name_chars_valid(const char *name, size_t len)
{
	const uint8_t *s = (const uint8_t *)name;
	size_t i = 0;

	if (len == 0)
		return -1;
	while (i < len) {
		uint32_t c;
		size_t l = utf8_next(s + i, len - i, &c);

		if (l == 0 || c < 0x20 || c == '+' || is_space(c))
			return -1;
		i += l;
	}
	return 0;
}

int
note_name_valid(const char *name, size_t len)
{
	if (len > NOTE_NAME_MAX)
		return -1;
	return name_chars_valid(name, len);
}

/* The key id of the name of namelen bytes. */
static uint32_t
key_id(const char *name, size_t namelen, uint8_t type,
       const uint8_t pk[NOTE_PK_LEN])
{
	crypto_hash_sha256_state st;
	uint8_t h[crypto_hash_sha256_BYTES];
	const uint8_t nl = '\n';

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const uint8_t *)name, namelen);
	crypto_hash_sha256_update(&st, &nl, 1);
	crypto_hash_sha256_update(&st, &type, 1);
	crypto_hash_sha256_update(&st, pk, NOTE_PK_LEN);
	crypto_hash_sha256_final(&st, h);
	return (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 |
	       (uint32_t)h[2] << 8 | (uint32_t)h[3];
}

uint32_t
note_key_id(const char *name, uint8_t type, const uint8_t pk[NOTE_PK_LEN])
{
	return key_id(name, strlen(name), type, pk);
}

int
note_verifier_init(struct note_verifier *v, const char *name, uint8_t type,
                   const uint8_t pk[NOTE_PK_LEN])
{
	size_t len = strlen(name);

	memset(v, 0, sizeof(*v));
	if (note_name_valid(name, len) != 0)
		return -1;
	if (type != NOTE_TYPE_ED25519 && type != NOTE_TYPE_COSIGNATURE)
		return -1;
	memcpy(v->name, name, len);
	v->type = type;
	memcpy(v->pk, pk, NOTE_PK_LEN);
	v->id = key_id(name, len, type, pk);
	return 0;
}

char *
note_verifier_format(const struct note_verifier *v)
{
	uint8_t raw[1 + NOTE_PK_LEN];
	char *b64, *s;

	if (note_name_valid(v->name, strlen(v->name)) != 0)
		return NULL;
	raw[0] = v->type;
	memcpy(raw + 1, v->pk, NOTE_PK_LEN);
	b64 = enc_b64_new(raw, sizeof(raw));
	s = xasprintf("%s+%08" PRIx32 "+%s", v->name, v->id, b64);
	free(b64);
	return s;
}

char *
note_vkey_format(const char *name, const uint8_t pk[NOTE_PK_LEN])
{
	struct note_verifier v;

	if (note_verifier_init(&v, name, NOTE_TYPE_ED25519, pk) != 0)
		return NULL;
	return note_verifier_format(&v);
}

/* Parses exactly 8 hex digits (either case).  Returns 0 or -1. */
static int
parse_hex32(const char *s, size_t len, uint32_t *out)
{
	uint32_t v = 0;
	size_t i;

	if (len != 8)
		return -1;
	for (i = 0; i < 8; i++) {
		char c = s[i];
		uint32_t d;

		if (c >= '0' && c <= '9')
			d = (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (uint32_t)(c - 'A' + 10);
		else
			return -1;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

/*
 * Splits "<name>+<hex id>+<base64>" (the text after any PRIVATE+KEY+) on its
 * first two '+'.  Returns 0 with the parts located, or -1.
 */
static int
split_key(const char *s, size_t len, size_t *namelen, uint32_t *id,
          const char **b64, size_t *b64len)
{
	const char *p1 = memchr(s, '+', len);
	const char *p2;

	if (p1 == NULL)
		return -1;
	p2 = memchr(p1 + 1, '+', len - (size_t)(p1 + 1 - s));
	if (p2 == NULL)
		return -1;
	*namelen = (size_t)(p1 - s);
	if (note_name_valid(s, *namelen) != 0)
		return -1;
	if (parse_hex32(p1 + 1, (size_t)(p2 - p1 - 1), id) != 0)
		return -1;
	*b64 = p2 + 1;
	*b64len = len - (size_t)(p2 + 1 - s);
	return 0;
}

int
note_vkey_parse(const char *vkey, struct note_verifier *v)
{
	uint8_t raw[1 + NOTE_PK_LEN];
	size_t namelen, b64len;
	const char *b64;
	uint32_t id;

	memset(v, 0, sizeof(*v));
	if (split_key(vkey, strlen(vkey), &namelen, &id, &b64, &b64len) != 0)
		return -1;
	if (ledger_b64_exact(b64, b64len, raw, sizeof(raw)) != 0)
		return -1;
	if (raw[0] != NOTE_TYPE_ED25519 && raw[0] != NOTE_TYPE_COSIGNATURE)
		return -1;
	if (key_id(vkey, namelen, raw[0], raw + 1) != id)
		return -1;
	memcpy(v->name, vkey, namelen);
	v->id = id;
	v->type = raw[0];
	memcpy(v->pk, raw + 1, NOTE_PK_LEN);
	return 0;
}

char *
note_skey_format(const char *name, const uint8_t sk[64])
{
	uint8_t raw[1 + KEYS_SEED_LEN];
	char *b64 = NULL, *s = NULL;
	uint32_t id;

	if (note_name_valid(name, strlen(name)) != 0 ||
	    keys_check_secret(sk) != 0)
		return NULL;
	id = key_id(name, strlen(name), NOTE_TYPE_ED25519, sk + KEYS_SEED_LEN);
	raw[0] = NOTE_TYPE_ED25519;
	memcpy(raw + 1, sk, KEYS_SEED_LEN);
	b64 = enc_b64_new(raw, sizeof(raw));
	s = xasprintf(SKEY_PREFIX "%s+%08" PRIx32 "+%s", name, id, b64);
	sodium_memzero(raw, sizeof(raw));
	sodium_memzero(b64, strlen(b64));
	free(b64);
	return s;
}

void
note_skey_free(char *skey)
{
	if (skey == NULL)
		return;
	sodium_memzero(skey, strlen(skey));
	free(skey);
}

int
note_skey_parse(const char *skey, size_t len, char name_out[NOTE_NAME_MAX + 1],
                uint8_t sk[64])
{
	const size_t plen = sizeof(SKEY_PREFIX) - 1;
	uint8_t raw[1 + KEYS_SEED_LEN];
	uint8_t pk[KEYS_PK_LEN];
	size_t namelen, b64len;
	const char *b64;
	uint32_t id;
	int rc = -1;

	memset(name_out, 0, NOTE_NAME_MAX + 1);
	sodium_memzero(sk, KEYS_SK_LEN);
	if (len < plen || memcmp(skey, SKEY_PREFIX, plen) != 0)
		goto out;
	if (split_key(skey + plen, len - plen, &namelen, &id, &b64, &b64len) !=
	    0)
		goto out;
	if (ledger_b64_exact(b64, b64len, raw, sizeof(raw)) != 0 ||
	    raw[0] != NOTE_TYPE_ED25519)
		goto out;
	keys_from_seed(raw + 1, pk, sk);
	if (key_id(skey + plen, namelen, NOTE_TYPE_ED25519, pk) != id)
		goto out;
	memcpy(name_out, skey + plen, namelen);
	rc = 0;
out:
	sodium_memzero(raw, sizeof(raw));
	if (rc != 0)
		sodium_memzero(sk, KEYS_SK_LEN);
	return rc;
}

/*
 * Returns the line "— <name> <base64(id || sig)>\n" for a signature of
 * siglen bytes.
 */
static char *
sig_line(const char *name, uint32_t id, const uint8_t *sig, size_t siglen)
{
	uint8_t raw[4 + COSIG_SIG];
	char *b64, *s;

	assert(siglen <= COSIG_SIG);
	raw[0] = (uint8_t)(id >> 24);
	raw[1] = (uint8_t)(id >> 16);
	raw[2] = (uint8_t)(id >> 8);
	raw[3] = (uint8_t)id;
	memcpy(raw + 4, sig, siglen);
	b64 = enc_b64_new(raw, 4 + siglen);
	s = xasprintf(EM_DASH_SP "%s %s\n", name, b64);
	free(b64);
	return s;
}

/*
 * Returns the cosignature/v1 message for text at time t, to free, and its
 * length in *len.
 */
static uint8_t *
cosig_message(const char *text, size_t textlen, uint64_t t, size_t *len)
{
	char head[64];
	int n;
	uint8_t *m;

	n = snprintf(head, sizeof(head), COSIG_HEADER "time %" PRIu64 "\n", t);
	assert(n > 0 && (size_t)n < sizeof(head));
	m = xmalloc((size_t)n + textlen);
	memcpy(m, head, (size_t)n);
	memcpy(m + n, text, textlen);
	*len = (size_t)n + textlen;
	return m;
}

char *
note_sign_line(const char *text, size_t textlen, const char *name,
               const uint8_t sk[64])
{
	uint8_t sig[ED25519_SIG];
	uint32_t id;

	if (text_valid(text, textlen) != 0 ||
	    note_name_valid(name, strlen(name)) != 0 ||
	    keys_check_secret(sk) != 0)
		return NULL;
	id = key_id(name, strlen(name), NOTE_TYPE_ED25519, sk + KEYS_SEED_LEN);
	crypto_sign_detached(sig, NULL, (const uint8_t *)text, textlen, sk);
	return sig_line(name, id, sig, sizeof(sig));
}

char *
note_cosign_line(const char *text, size_t textlen, const char *name,
                 const uint8_t sk[64], uint64_t timestamp)
{
	uint8_t sig[COSIG_SIG];
	uint8_t *msg;
	size_t mlen;
	uint32_t id;
	int i;

	if (text_valid(text, textlen) != 0 ||
	    note_name_valid(name, strlen(name)) != 0 ||
	    timestamp > NOTE_COSIG_MAX_TIME || keys_check_secret(sk) != 0)
		return NULL;
	id = key_id(name, strlen(name), NOTE_TYPE_COSIGNATURE,
	            sk + KEYS_SEED_LEN);
	for (i = 0; i < 8; i++)
		sig[i] = (uint8_t)(timestamp >> (56 - 8 * i));
	msg = cosig_message(text, textlen, timestamp, &mlen);
	crypto_sign_detached(sig + 8, NULL, msg, mlen, sk);
	free(msg);
	return sig_line(name, id, sig, sizeof(sig));
}

char *
note_sign(const char *text, size_t textlen, const char *name,
          const uint8_t sk[64])
{
	char *line = note_sign_line(text, textlen, name, sk);
	char *s;
	size_t ll;

	if (line == NULL)
		return NULL;
	ll = strlen(line);
	s = xmalloc(textlen + 1 + ll + 1);
	memcpy(s, text, textlen);
	s[textlen] = '\n';
	memcpy(s + textlen + 1, line, ll + 1);
	free(line);
	return s;
}

/*
 * Verifies one decoded signature (id already stripped) of a known key over
 * text.  Returns 0 and the cosignature time in *t, or -1.
 */
static int
verify_one(const struct note_verifier *v, const char *text, size_t textlen,
           const uint8_t *sig, size_t siglen, uint64_t *t)
{
	uint8_t *msg;
	size_t mlen, i;
	int rc;

	*t = 0;
	if (v->type == NOTE_TYPE_ED25519) {
		if (siglen != ED25519_SIG)
			return -1;
		return crypto_sign_verify_detached(sig, (const uint8_t *)text,
		                                   textlen, v->pk) == 0
		           ? 0
		           : -1;
	}
	if (siglen != COSIG_SIG)
		return -1;
	for (i = 0; i < 8; i++)
		*t = *t << 8 | sig[i];
	if (*t > NOTE_COSIG_MAX_TIME)
		return -1;
	msg = cosig_message(text, textlen, *t, &mlen);
	rc = crypto_sign_verify_detached(sig + 8, msg, mlen, v->pk) == 0 ? 0
	                                                                 : -1;
	free(msg);
	return rc;
}

/* Returns the start of the last occurrence of "\n\n" in p[0, n), or NULL. */
static const char *
last_blank_line(const char *p, size_t n)
{
	size_t i;

	for (i = n; i >= 2; i--)
		if (p[i - 1] == '\n' && p[i - 2] == '\n')
			return p + i - 2;
	return NULL;
}

enum note_err
note_verify(const char *note, size_t len, const struct note_verifier *vs,
            size_t nvs, struct note_result *res)
{
	const char *split, *sigs, *end = note + len, *p;
	uint8_t *raw = NULL;
	enum note_err rc = NOTE_ERR_MALFORMED;
	size_t i, textlen;

	memset(res, 0, sizeof(*res));
	if (nvs > NOTE_MAX_VERIFIERS)
		return NOTE_ERR_ARG;
	for (i = 0; i < nvs; i++)
		if (vs[i].type != NOTE_TYPE_ED25519 &&
		    vs[i].type != NOTE_TYPE_COSIGNATURE)
			return NOTE_ERR_ARG;
	if (len > NOTE_MAX_LEN || text_chars_valid(note, len) != 0)
		return NOTE_ERR_MALFORMED;
	split = last_blank_line(note, len);
	if (split == NULL)
		return NOTE_ERR_MALFORMED;
	textlen = (size_t)(split - note) + 1;
	sigs = split + 2;
	if (sigs == end || end[-1] != '\n')
		return NOTE_ERR_MALFORMED;
	/* count the lines before checking any of them */
	for (p = sigs; p < end; p++)
		if (*p == '\n' && ++res->nsigs > NOTE_MAX_SIGS)
			return NOTE_ERR_MALFORMED;
	res->text_len = textlen;

	for (p = sigs; p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *name, *sp, *b64;
		size_t namelen, b64len, rawlen = 0, match = nvs, nmatch = 0;
		uint32_t id;
		uint64_t t;

		assert(eol != NULL);
		if ((size_t)(eol - p) < EM_DASH_SP_LEN ||
		    memcmp(p, EM_DASH_SP, EM_DASH_SP_LEN) != 0)
			goto out;
		name = p + EM_DASH_SP_LEN;
		sp = memchr(name, ' ', (size_t)(eol - name));
		if (sp == NULL)
			goto out;
		namelen = (size_t)(sp - name);
		b64 = sp + 1;
		b64len = (size_t)(eol - b64);
		if (b64len == 0 || name_chars_valid(name, namelen) != 0)
			goto out;
		if (ledger_b64_decode_new(b64, b64len, b64len, &raw, &rawlen) !=
		        0 ||
		    rawlen < 5)
			goto out;
		id = (uint32_t)raw[0] << 24 | (uint32_t)raw[1] << 16 |
		     (uint32_t)raw[2] << 8 | (uint32_t)raw[3];
		for (i = 0; i < nvs; i++) {
			if (vs[i].id == id && strlen(vs[i].name) == namelen &&
			    memcmp(vs[i].name, name, namelen) == 0) {
				match = i;
				nmatch++;
			}
		}
		if (nmatch > 1) {
			res->bad = match;
			rc = NOTE_ERR_AMBIGUOUS;
			goto out;
		}
		if (nmatch == 0) {
			res->nunknown++;
		} else if (verify_one(&vs[match], note, textlen, raw + 4,
		                      rawlen - 4, &t) != 0) {
			res->bad = match;
			rc = NOTE_ERR_BAD_SIG;
			goto out;
		} else {
			if (!res->verified[match])
				res->nverified++;
			res->verified[match] = 1;
			res->timestamp[match] = t;
		}
		free(raw);
		raw = NULL;
		p = eol + 1;
	}
	rc = res->nverified > 0 ? NOTE_OK : NOTE_ERR_UNVERIFIED;
out:
	free(raw);
	return rc;
}

/*
 * Parses a tree size: decimal, no leading zero unless "0", at most
 * MERKLE_MAX_SIZE.  Returns 0 or -1.
 */
static int
parse_size(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0 || len > 19 || (len > 1 && s[0] == '0'))
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0'); /* 19 digits < 2^64 */
	}
	if (v > MERKLE_MAX_SIZE)
		return -1;
	*out = v;
	return 0;
}

int
checkpoint_parse(const char *text, size_t len, struct checkpoint *cp)
{
	const char *p = text, *end = text + len, *eol;
	uint8_t empty[MERKLE_HASH_LEN];
	size_t extlen = 0;
	int line;

	memset(cp, 0, sizeof(*cp));
	if (len == 0 || text[len - 1] != '\n' ||
	    text_chars_valid(text, len) != 0)
		return -1;
	for (line = 0; p < end; line++) {
		size_t n;

		eol = memchr(p, '\n', (size_t)(end - p));
		assert(eol != NULL);
		n = (size_t)(eol - p);
		if (n == 0)
			return -1;
		if (line == 0) {
			if (n > CHECKPOINT_ORIGIN_MAX)
				return -1;
			memcpy(cp->origin, p, n);
		} else if (line == 1) {
			if (parse_size(p, n, &cp->size) != 0)
				return -1;
		} else if (line == 2) {
			if (ledger_b64_exact(p, n, cp->root, MERKLE_HASH_LEN) !=
			    0)
				return -1;
		} else {
			if (cp->next == CHECKPOINT_MAX_EXT ||
			    extlen + n + 1 > CHECKPOINT_EXT_MAX)
				return -1;
			memcpy(cp->ext + extlen, p, n + 1);
			extlen += n + 1;
			cp->next++;
		}
		p = eol + 1;
	}
	if (line < 3)
		return -1;
	merkle_empty_root(empty);
	if (cp->size == 0 && sodium_memcmp(cp->root, empty, sizeof(empty)) != 0)
		return -1;
	return 0;
}

char *
checkpoint_format(const char *origin, uint64_t size,
                  const uint8_t root[MERKLE_HASH_LEN], const char *ext)
{
	struct checkpoint cp;
	char *b64, *s;

	if (ext == NULL)
		ext = "";
	if (note_name_valid(origin, strlen(origin)) != 0 ||
	    strlen(origin) > CHECKPOINT_ORIGIN_MAX || size > MERKLE_MAX_SIZE)
		return NULL;
	b64 = enc_b64_new(root, MERKLE_HASH_LEN);
	s = xasprintf("%s\n%" PRIu64 "\n%s\n%s", origin, size, b64, ext);
	free(b64);
	/* the extension lines and the size-0 root follow the parser's rules */
	if (checkpoint_parse(s, strlen(s), &cp) != 0) {
		free(s);
		return NULL;
	}
	return s;
}
