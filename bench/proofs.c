/*
 * proofs DIR N [QUERIES]
 *
 * Builds a log tree of N leaves (random leaf hashes) in a new SQLite
 * database DIR/proofs.db through the real store (store_log_node_put) and
 * merkle_append, with the same get/put callbacks as src/app/app.c, in
 * transactions of 100,000 leaves.  Then, on a fresh connection as a server
 * reader would use, times QUERIES (default 1000) random inclusion proofs
 * (index uniform in [0, N), size N) and QUERIES random consistency proofs
 * (1 <= from < to <= N, both uniform), each checked afterwards against the
 * tree's roots with merkle_verify_*.  Each proof runs in one read
 * transaction (store_read_begin), as src/app/log.c serves it, and is timed
 * twice: wall clock (what a client waits) and the thread's CPU time, so that
 * a busy machine's preemption shows as wall >> CPU in the tail; the bytes
 * the proof phase read from the disk (/proc/self/io read_bytes) tell
 * page-cache misses apart.  Prints "name value unit" lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "ledger/merkle.h"
#include "store/store.h"

#define BATCH 100000

static int
node_get(void *ctx, unsigned level, uint64_t index, uint8_t out[32])
{
	return store_log_node_get(ctx, level, index, out) == STORE_OK ? 0 : -1;
}

static int
node_put(void *ctx, unsigned level, uint64_t index, const uint8_t h[32])
{
	return store_log_node_put(ctx, level, index, h) == STORE_OK ? 0 : -1;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long long
disk_read_bytes(void)
{
	char line[128];
	long long v = -1;
	FILE *f = fopen("/proc/self/io", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "read_bytes:", 11) == 0)
			v = atoll(line + 11);
	fclose(f);
	return v;
}

static uint64_t
rnd(uint64_t n) /* uniform in [0, n) */
{
	uint64_t r;

	randombytes_buf(&r, sizeof(r));
	return n ? r % n : 0; /* bias < 2^-40 for n <= 2^24 */
}

static void
report(const char *name, double *us, int q)
{
	qsort(us, (size_t)q, sizeof(*us), cmp_double);
	printf("%s_median %.1f us\n", name, us[q / 2]);
	printf("%s_p99 %.1f us\n", name, us[(q * 99) / 100]);
	printf("%s_max %.1f us\n", name, us[q - 1]);
}

int
main(int argc, char **argv)
{
	char path[4096], err[300];
	struct store *st = NULL;
	uint64_t n;
	int q = argc > 3 ? atoi(argv[3]) : 1000;
	uint8_t leaf[32], proof[MERKLE_MAX_PROOF + 1][32];
	double t0, *us, *cpu;
	long long rb0;
	size_t plen, total_len = 0;

	if (argc < 3 || q < 1) {
		fputs("usage: proofs DIR N [QUERIES]\n", stderr);
		return 2;
	}
	n = strtoull(argv[2], NULL, 10);
	if (n < 2) {
		fputs("proofs: N must be at least 2\n", stderr);
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	snprintf(path, sizeof(path), "%s/proofs.db", argv[1]);
	if (store_open(path, STORE_CREATE, &st, err, sizeof(err)) != STORE_OK) {
		fprintf(stderr, "proofs: %s\n", err);
		return 1;
	}
	t0 = now_s();
	for (uint64_t i = 0; i < n; i++) {
		if (i % BATCH == 0 && store_begin(st) != STORE_OK)
			goto fail;
		randombytes_buf(leaf, sizeof(leaf));
		if (merkle_append(i, leaf, node_get, node_put, st) != 0)
			goto fail;
		if ((i % BATCH == BATCH - 1 || i == n - 1) &&
		    store_commit(st) != STORE_OK)
			goto fail;
	}
	printf("build_leaves %llu leaves\n", (unsigned long long)n);
	printf("build_time %.2f s\n", now_s() - t0);
	printf("build_rate %.0f leaves/s\n", (double)n / (now_s() - t0));
	store_close(st);

	/* A fresh connection, as a server's reader thread would have. */
	if (store_open(path, 0, &st, err, sizeof(err)) != STORE_OK) {
		fprintf(stderr, "proofs: %s\n", err);
		return 1;
	}
	us = calloc((size_t)q, sizeof(*us));
	cpu = calloc((size_t)q, sizeof(*cpu));
	if (us == NULL || cpu == NULL)
		return 1;
	rb0 = disk_read_bytes();
	{
		uint64_t *idx = calloc((size_t)q, sizeof(*idx));
		uint8_t root[32], lh[32];

		for (int k = 0; k < q; k++) {
			double t;

			double c;

			idx[k] = rnd(n);
			t = now_s();
			c = cpu_s();
			/* one read transaction a proof, as the server */
			if (store_read_begin(st) != STORE_OK)
				goto fail;
			if (merkle_inclusion_proof(idx[k], n, node_get, st,
			                           proof, &plen) != 0)
				goto fail;
			store_read_end(st);
			cpu[k] = (cpu_s() - c) * 1e6;
			us[k] = (now_s() - t) * 1e6;
			total_len += plen;
		}
		report("inclusion", us, q);
		report("inclusion_cpu", cpu, q);
		printf("inclusion_avg_len %.1f hashes\n",
		       (double)total_len / q);
		/* correctness, untimed */
		if (merkle_root(n, node_get, st, root) != 0)
			goto fail;
		for (int k = 0; k < q && k < 50; k++) {
			if (merkle_inclusion_proof(idx[k], n, node_get, st,
			                           proof, &plen) != 0 ||
			    store_log_node_get(st, 0, idx[k], lh) != STORE_OK ||
			    merkle_verify_inclusion(idx[k], n, lh,
			                            (const uint8_t(*)[32])proof,
			                            plen, root) != 0) {
				fputs("proofs: an inclusion proof does not "
				      "verify\n",
				      stderr);
				return 1;
			}
		}
		free(idx);
	}
	total_len = 0;
	{
		uint64_t *from = calloc((size_t)q, sizeof(*from));
		uint64_t *to = calloc((size_t)q, sizeof(*to));
		uint8_t r1[32], r2[32];

		for (int k = 0; k < q; k++) {
			double t;
			uint64_t a = 1 + rnd(n), b = 1 + rnd(n);

			if (a == b)
				b = a == n ? a - 1 : a + 1;
			double c;

			from[k] = a < b ? a : b;
			to[k] = a < b ? b : a;
			t = now_s();
			c = cpu_s();
			/* one read transaction a proof, as the server */
			if (store_read_begin(st) != STORE_OK)
				goto fail;
			if (merkle_consistency_proof(from[k], to[k], node_get,
			                             st, proof, &plen) != 0)
				goto fail;
			store_read_end(st);
			cpu[k] = (cpu_s() - c) * 1e6;
			us[k] = (now_s() - t) * 1e6;
			total_len += plen;
		}
		report("consistency", us, q);
		report("consistency_cpu", cpu, q);
		printf("consistency_avg_len %.1f hashes\n",
		       (double)total_len / q);
		for (int k = 0; k < q && k < 50; k++) {
			if (merkle_consistency_proof(from[k], to[k], node_get,
			                             st, proof, &plen) != 0 ||
			    merkle_root(from[k], node_get, st, r1) != 0 ||
			    merkle_root(to[k], node_get, st, r2) != 0 ||
			    merkle_verify_consistency(
			        from[k], to[k], r1, r2,
			        (const uint8_t(*)[32])proof, plen) != 0) {
				fputs("proofs: a consistency proof does not "
				      "verify\n",
				      stderr);
				return 1;
			}
		}
		free(from);
		free(to);
	}
	printf("proofs_disk_read %lld bytes\n",
	       rb0 >= 0 ? disk_read_bytes() - rb0 : -1);
	free(us);
	free(cpu);
	store_close(st);
	return 0;
fail:
	fprintf(stderr, "proofs: %s\n", store_errmsg(st));
	store_close(st);
	return 1;
}
