/*
 * ceilings DIR [SECONDS]
 *
 * The hardware ceilings that bound the signed-acts path, measured on one
 * core in the same run as the HTTP figures:
 *   - Ed25519 verify/s (crypto_sign_verify_detached, 256-byte messages);
 *   - Ed25519 sign/s (same messages; what the server pays to seal an act);
 *   - SHA-256 of a 65-byte Merkle node per second (libsodium);
 *   - SQLite WAL + synchronous=FULL in a file under DIR, 512-byte rows:
 *     commits/s at 1 row per transaction and rows/s at 1000 rows per
 *     transaction.
 * Each is run for SECONDS (default 2).  Output: one "name value unit" line
 * each, for bench/run.sh to parse.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>
#include <sqlite3.h>

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
die(const char *what, sqlite3 *db)
{
	fprintf(stderr, "ceilings: %s: %s\n", what,
	        db ? sqlite3_errmsg(db) : "failed");
	exit(1);
}

static void
exec(sqlite3 *db, const char *q)
{
	char *msg = NULL;

	if (sqlite3_exec(db, q, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "ceilings: %s: %s\n", q, msg ? msg : "?");
		exit(1);
	}
}

/* Inserts rows of 512 random bytes, `per` rows a transaction, for secs. */
static double
sqlite_rate(const char *dir, int per, double secs, const char *tag)
{
	char path[4096];
	sqlite3 *db = NULL;
	sqlite3_stmt *ins = NULL;
	unsigned char row[512];
	long rows = 0;
	double t0, t;

	snprintf(path, sizeof(path), "%s/ceiling-%s.db", dir, tag);
	remove(path);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		die("open", db);
	exec(db, "PRAGMA journal_mode = WAL");
	exec(db, "PRAGMA synchronous = FULL");
	exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB NOT NULL)");
	if (sqlite3_prepare_v2(db, "INSERT INTO t (v) VALUES (?1)", -1, &ins,
	                       NULL) != SQLITE_OK)
		die("prepare", db);
	t0 = now_s();
	do {
		exec(db, "BEGIN IMMEDIATE");
		for (int i = 0; i < per; i++) {
			randombytes_buf(row, sizeof(row));
			sqlite3_bind_blob(ins, 1, row, sizeof(row),
			                  SQLITE_TRANSIENT);
			if (sqlite3_step(ins) != SQLITE_DONE)
				die("insert", db);
			sqlite3_reset(ins);
		}
		exec(db, "COMMIT");
		rows += per;
		t = now_s();
	} while (t - t0 < secs);
	sqlite3_finalize(ins);
	sqlite3_close(db);
	remove(path);
	{
		char wal[4200];

		snprintf(wal, sizeof(wal), "%s-wal", path);
		remove(wal);
		snprintf(wal, sizeof(wal), "%s-shm", path);
		remove(wal);
	}
	return (double)rows / (t - t0);
}

int
main(int argc, char **argv)
{
	double secs = argc > 2 ? atof(argv[2]) : 2.0;
	unsigned char pk[crypto_sign_PUBLICKEYBYTES],
	    sk[crypto_sign_SECRETKEYBYTES];
	unsigned char msg[256], sig[crypto_sign_BYTES], node[65], h[32];
	double t0, t;
	long n;

	if (argc < 2 || secs <= 0) {
		fputs("usage: ceilings DIR [SECONDS]\n", stderr);
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	crypto_sign_keypair(pk, sk);
	randombytes_buf(msg, sizeof(msg));

	n = 0;
	t0 = now_s();
	do {
		for (int i = 0; i < 100; i++) {
			msg[0] = (unsigned char)n;
			crypto_sign_detached(sig, NULL, msg, sizeof(msg), sk);
			n++;
		}
		t = now_s();
	} while (t - t0 < secs);
	printf("ed25519_sign %.0f ops/s\n", (double)n / (t - t0));

	crypto_sign_detached(sig, NULL, msg, sizeof(msg), sk);
	n = 0;
	t0 = now_s();
	do {
		for (int i = 0; i < 100; i++) {
			if (crypto_sign_verify_detached(sig, msg, sizeof(msg),
			                                pk) != 0) {
				fputs("ceilings: verify failed\n", stderr);
				return 1;
			}
			n++;
		}
		t = now_s();
	} while (t - t0 < secs);
	printf("ed25519_verify %.0f ops/s\n", (double)n / (t - t0));

	memset(node, 1, sizeof(node));
	n = 0;
	t0 = now_s();
	do {
		for (int i = 0; i < 10000; i++) {
			crypto_hash_sha256(h, node, sizeof(node));
			node[1] = h[0];
			n++;
		}
		t = now_s();
	} while (t - t0 < secs / 2);
	printf("sha256_node %.0f ops/s\n", (double)n / (t - t0));

	printf("sqlite_wal_full_1row_txn %.0f commits/s\n",
	       sqlite_rate(argv[1], 1, secs, "1"));
	printf("sqlite_wal_full_1000row_txn %.0f rows/s\n",
	       sqlite_rate(argv[1], 1000, secs, "1000"));
	return 0;
}
