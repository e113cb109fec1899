#include "ledger/keys.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "base/enc.h"
#include "base/xmalloc.h"

const char *
keys_strerror(enum keys_err e)
{
	switch (e) {
	case KEYS_OK:
		return "ok";
	case KEYS_ERR_IO:
		return "key file I/O error";
	case KEYS_ERR_EXISTS:
		return "key file already exists";
	case KEYS_ERR_MODE:
		return "key file is accessible by group or others (want 0600)";
	case KEYS_ERR_FORMAT:
		return "malformed key file or key name";
	case KEYS_ERR_KEY:
		return "inconsistent secret key";
	}
	return "unknown error";
}

void
keys_generate(uint8_t pk[KEYS_PK_LEN], uint8_t sk[KEYS_SK_LEN])
{
	crypto_sign_keypair(pk, sk);
}

void
keys_from_seed(const uint8_t seed[KEYS_SEED_LEN], uint8_t pk[KEYS_PK_LEN],
               uint8_t sk[KEYS_SK_LEN])
{
	crypto_sign_seed_keypair(pk, sk, seed);
}

int
keys_check_secret(const uint8_t sk[KEYS_SK_LEN])
{
	uint8_t pk[KEYS_PK_LEN];
	uint8_t sk2[KEYS_SK_LEN];
	int rc;

	crypto_sign_seed_keypair(pk, sk2, sk);
	rc = sodium_memcmp(pk, sk + KEYS_SEED_LEN, KEYS_PK_LEN) == 0 ? 0 : -1;
	sodium_memzero(sk2, sizeof(sk2));
	return rc;
}

char *
keys_id(const uint8_t pk[KEYS_PK_LEN])
{
	uint8_t h[crypto_hash_sha256_BYTES];
	char *hex, *s;

	crypto_hash_sha256(h, pk, KEYS_PK_LEN);
	hex = enc_hex_new(h, 8);
	s = xasprintf(KEYS_ID_PREFIX "%s", hex);
	free(hex);
	return s;
}

/* Writes all n bytes to fd, retrying on EINTR.  Returns 0 or -1. */
static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* fsyncs the directory holding path, so a new entry survives a crash. */
static int
sync_parent(const char *path)
{
	char *copy = xstrdup(path);
	int fd, rc = -1;

	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		rc = fsync(fd);
		close(fd);
	}
	free(copy);
	return rc;
}

enum keys_err
keys_save_secret(const char *path, const char *name,
                 const uint8_t sk[KEYS_SK_LEN])
{
	char *skey = NULL;
	enum keys_err rc = KEYS_ERR_IO;
	int fd = -1, created = 0, saved;

	if (note_name_valid(name, strlen(name)) != 0)
		return KEYS_ERR_FORMAT;
	if (keys_check_secret(sk) != 0)
		return KEYS_ERR_KEY;
	skey = note_skey_format(name, sk);
	if (skey == NULL) {
		rc = KEYS_ERR_FORMAT;
		goto out;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	          0600);
	if (fd < 0) {
		rc = errno == EEXIST ? KEYS_ERR_EXISTS : KEYS_ERR_IO;
		goto out;
	}
	created = 1;
	if (write_all(fd, skey, strlen(skey)) != 0 || write_all(fd, "\n", 1) ||
	    fsync(fd) != 0)
		goto out;
	if (close(fd) != 0) {
		fd = -1;
		goto out;
	}
	fd = -1;
	if (sync_parent(path) != 0)
		goto out;
	rc = KEYS_OK;
out:
	saved = errno;
	if (fd >= 0)
		close(fd);
	if (rc != KEYS_OK && created)
		unlink(path);
	note_skey_free(skey);
	errno = saved;
	return rc;
}

enum keys_err
keys_load_secret(const char *path, char name_out[NOTE_NAME_MAX + 1],
                 uint8_t sk[KEYS_SK_LEN])
{
	char data[KEYS_FILE_MAX_LEN + 1];
	enum keys_err rc = KEYS_ERR_IO;
	struct stat st;
	size_t n = 0;
	int fd, saved;

	memset(name_out, 0, NOTE_NAME_MAX + 1);
	sodium_memzero(sk, KEYS_SK_LEN);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return KEYS_ERR_IO;
	if (fstat(fd, &st) != 0)
		goto out;
	if (!S_ISREG(st.st_mode) || st.st_size > KEYS_FILE_MAX_LEN) {
		rc = KEYS_ERR_FORMAT;
		goto out;
	}
	if ((st.st_mode & 077) != 0) {
		rc = KEYS_ERR_MODE;
		goto out;
	}
	/* read one byte past the cap, in case the file grew */
	while (n < sizeof(data)) {
		ssize_t r = read(fd, data + n, sizeof(data) - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto out;
		if (r == 0)
			break;
		n += (size_t)r;
	}
	rc = KEYS_ERR_FORMAT;
	if (n > KEYS_FILE_MAX_LEN)
		goto out;
	if (n > 0 && data[n - 1] == '\n')
		n--;
	if (note_skey_parse(data, n, name_out, sk) != 0)
		goto out;
	rc = KEYS_OK;
out:
	saved = errno;
	close(fd);
	sodium_memzero(data, sizeof(data));
	if (rc != KEYS_OK) {
		memset(name_out, 0, NOTE_NAME_MAX + 1);
		sodium_memzero(sk, KEYS_SK_LEN);
	}
	errno = saved;
	return rc;
}
