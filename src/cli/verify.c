/*
 * detente log verify-inclusion / verify-consistency: offline checks of
 * RFC 9162 proofs, with no server and no database.  Exit 0 valid, 1
 * invalid, 2 bad usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/enc.h"
#include "base/jsonx.h"
#include "base/xmalloc.h"
#include "cli/cli.h"
#include "ledger/merkle.h"
#include "ledger/proofjson.h"

static const char inc_usage[] =
    "usage: detente log verify-inclusion --json FILE|-\n"
    "       detente log verify-inclusion --index I --size N --leaf-hash H\n"
    "                                    --root H [--proof H]...\n"
    "\n"
    "Checks an RFC 9162 inclusion proof.  The JSON is what\n"
    "GET /api/v1/log/proof/inclusion returns, or the transparency-dev\n"
    "probe form.  Hashes are base64 or 64 hex digits.  Prints valid or\n"
    "invalid; exit 0 valid, 1 invalid, 2 bad usage.\n";

static const char cons_usage[] =
    "usage: detente log verify-consistency --json FILE|-\n"
    "       detente log verify-consistency --from M --to N --first-root H\n"
    "                                      --second-root H [--proof H]...\n"
    "\n"
    "Checks an RFC 9162 consistency proof (from 0 is consistent with any\n"
    "tree, with an empty proof).  Exit 0 valid, 1 invalid, 2 bad usage.\n";

/* Reads a whole file ("-" is standard input), capped. */
char *
cli_read_all(const char *path, size_t cap, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	struct buf b;
	char chunk[4096];
	size_t n;

	if (f == NULL)
		return NULL;
	buf_init(&b, cap);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_add(&b, chunk, n) != 0) {
			buf_free(&b);
			if (f != stdin)
				fclose(f);
			return NULL;
		}
	if (f != stdin)
		fclose(f);
	return buf_take(&b, len);
}

/* A hash in base64 or hex. */
static int
parse_hash(const char *s, uint8_t out[32])
{
	if (strlen(s) == 64)
		return enc_hex_decode(s, out, 32);
	return enc_b64_decode_exact(s, strlen(s), out, 32);
}

static int
parse_size(const char *s, uint64_t *out)
{
	char *end;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	*out = strtoull(s, &end, 10);
	return *end == '\0' ? 0 : -1;
}

/* Renames the API's snake_case members to the probe form proofjson reads. */
static char *
to_probe(const char *json, size_t len, const char *const map[][2], size_t n,
         size_t *outlen)
{
	json_t *v = json_loadb(json, len, JSON_REJECT_DUPLICATES, NULL);
	char *s;

	if (v == NULL)
		return xmemdup(json, len + 1);
	for (size_t i = 0; i < n; i++) {
		json_t *m = json_object_get(v, map[i][0]);

		if (m != NULL) {
			json_object_set(v, map[i][1], m);
			json_object_del(v, map[i][0]);
		}
	}
	s = jsonx_dump(v, outlen);
	json_decref(v);
	return s;
}

static int
report(int ok)
{
	puts(ok ? "valid" : "invalid");
	return ok ? 0 : 1;
}

int
cli_verify(int argc, char **argv, int consistency)
{
	static const struct option opts[] = {
	    {"json", required_argument, NULL, 'j'},
	    {"index", required_argument, NULL, 'i'},
	    {"from", required_argument, NULL, 'i'},
	    {"size", required_argument, NULL, 's'},
	    {"to", required_argument, NULL, 's'},
	    {"leaf-hash", required_argument, NULL, 'l'},
	    {"first-root", required_argument, NULL, 'l'},
	    {"root", required_argument, NULL, 'r'},
	    {"second-root", required_argument, NULL, 'r'},
	    {"proof", required_argument, NULL, 'p'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *usage = consistency ? cons_usage : inc_usage;
	const char *json = NULL, *a = NULL, *b = NULL, *h1 = NULL, *h2 = NULL;
	const char *proof[MERKLE_MAX_PROOF + 1];
	size_t nproof = 0;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = optarg;
			break;
		case 'i':
			a = optarg;
			break;
		case 's':
			b = optarg;
			break;
		case 'l':
			h1 = optarg;
			break;
		case 'r':
			h2 = optarg;
			break;
		case 'p':
			if (nproof == MERKLE_MAX_PROOF) {
				fprintf(stderr,
				        "detente: at most %d proof "
				        "hashes\n",
				        MERKLE_MAX_PROOF);
				return 2;
			}
			proof[nproof++] = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			return cli_usage(usage);
		}
	}
	if (optind != argc || (json != NULL) == (a != NULL || b != NULL ||
	                                         h1 != NULL || h2 != NULL))
		return cli_usage(usage);
	if (json != NULL) {
		static const char *const imap[][2] = {{"leaf_index", "leafIdx"},
		                                      {"tree_size", "treeSize"},
		                                      {"leaf_hash", "leafHash"},
		                                      {"root_hash", "root"}};
		static const char *const cmap[][2] = {{"from", "size1"},
		                                      {"to", "size2"},
		                                      {"first_root", "root1"},
		                                      {"second_root", "root2"}};
		char err[300];
		size_t len = 0, plen = 0;
		char *text = cli_read_all(json, PROOFJSON_MAX_LEN, &len);
		char *probe;
		int ok;

		if (text == NULL)
			return cli_fail("cannot read %s (or it is larger than "
			                "%d bytes)",
			                json, PROOFJSON_MAX_LEN);
		probe = consistency ? to_probe(text, len, cmap, 4, &plen)
		                    : to_probe(text, len, imap, 4, &plen);
		free(text);
		if (consistency) {
			struct proofjson_consistency p;

			ok = proofjson_parse_consistency(probe, plen, &p, err,
			                                 sizeof(err)) == 0;
			free(probe);
			if (!ok) {
				fprintf(stderr, "detente: %s\n", err);
				return 2;
			}
			return report(proofjson_verify_consistency(&p) == 0);
		} else {
			struct proofjson_inclusion p;

			ok = proofjson_parse_inclusion(probe, plen, &p, err,
			                               sizeof(err)) == 0;
			free(probe);
			if (!ok) {
				fprintf(stderr, "detente: %s\n", err);
				return 2;
			}
			return report(proofjson_verify_inclusion(&p) == 0);
		}
	}
	{
		uint64_t x, y;
		uint8_t r1[32], r2[32];
		uint8_t p[MERKLE_MAX_PROOF][MERKLE_HASH_LEN];

		if (a == NULL || b == NULL || h1 == NULL || h2 == NULL ||
		    parse_size(a, &x) != 0 || parse_size(b, &y) != 0) {
			fputs("detente: give both sizes as whole numbers and "
			      "both hashes\n",
			      stderr);
			return cli_usage(usage);
		}
		if (parse_hash(h1, r1) != 0 || parse_hash(h2, r2) != 0) {
			fputs("detente: a hash is 32 bytes in base64 or 64 "
			      "hex digits\n",
			      stderr);
			return 2;
		}
		for (size_t i = 0; i < nproof; i++)
			if (parse_hash(proof[i], p[i]) != 0) {
				fprintf(stderr,
				        "detente: proof hash %zu is not 32 "
				        "bytes\n",
				        i + 1);
				return 2;
			}
		if (consistency)
			return report(merkle_verify_consistency(
			                  x, y, r1, r2, (const uint8_t(*)[32])p,
			                  nproof) == 0);
		return report(merkle_verify_inclusion(x, y, r1,
		                                      (const uint8_t(*)[32])p,
		                                      nproof, r2) == 0);
	}
}
