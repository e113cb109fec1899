/*
 * detente audit URL: the monitor's side of the log.  It keeps the last
 * checkpoint it accepted for a log in a state file, and for a new one
 * checks, in order: the signature against the pinned log key, the origin,
 * that the tree did not shrink, consistency with the old checkpoint, and
 * the inclusion of any entries named.  Any failure exits 1 and names the
 * check; the state is only updated when every check passes.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/enc.h"
#include "base/jsonx.h"
#include "base/xmalloc.h"
#include "cli/cli.h"
#include "cli/client.h"
#include "ledger/merkle.h"
#include "ledger/note.h"

static const char audit_usage[] =
    "usage: detente audit URL [--state FILE] [--vkey VKEY] [--entry N]...\n"
    "\n"
    "Fetches URL's latest checkpoint and checks it against the one seen\n"
    "last (kept in FILE, default ./detente-audit.json): the log key's\n"
    "signature (pinned on first use unless --vkey is given), that the\n"
    "tree only grew, and the consistency proof between the two.  Each\n"
    "--entry N also checks that entry N is in the tree.  Exit 0 when\n"
    "every check passes, 1 when one fails (the message names it).\n";

#define MAX_ENTRIES 64

static int
decode_hashes(const json_t *a, uint8_t out[][32], size_t *n)
{
	size_t i;
	json_t *v;

	if (!json_is_array(a) || json_array_size(a) > MERKLE_MAX_PROOF)
		return -1;
	json_array_foreach(a, i, v)
	{
		const char *s = json_string_value(v);

		if (s == NULL ||
		    enc_b64_decode_exact(s, strlen(s), out[i], 32) != 0)
			return -1;
	}
	*n = json_array_size(a);
	return 0;
}

/* Writes the state atomically (a temporary file renamed over it). */
static int
save_state(const char *path, const char *vkey, const struct checkpoint *cp,
           const char *note)
{
	char *tmp = xasprintf("%s.tmp", path);
	char *root = enc_b64_new(cp->root, 32);
	json_t *st = json_pack("{s:s,s:s,s:I,s:s,s:s}", "origin", cp->origin,
	                       "vkey", vkey, "size", (json_int_t)cp->size,
	                       "root", root, "checkpoint", note);
	int rc = json_dump_file(st, tmp, JSON_INDENT(2)) == 0 &&
	                 rename(tmp, path) == 0
	             ? 0
	             : -1;

	json_decref(st);
	free(root);
	free(tmp);
	return rc;
}

int
cli_audit(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"state", required_argument, NULL, 's'},
	    {"vkey", required_argument, NULL, 'v'},
	    {"entry", required_argument, NULL, 'e'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *state_path = "detente-audit.json", *vkey = NULL;
	uint64_t entries[MAX_ENTRIES];
	size_t nentries = 0;
	json_t *state = NULL, *keydoc = NULL, *proof = NULL;
	struct note_verifier v;
	struct note_result nr;
	struct checkpoint cp;
	struct client_resp resp = {0};
	char err[400];
	const char *url;
	int c, rc = 1;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			state_path = optarg;
			break;
		case 'v':
			vkey = optarg;
			break;
		case 'e': {
			char *end;

			if (nentries == MAX_ENTRIES || optarg[0] < '0' ||
			    optarg[0] > '9') {
				fputs("detente: --entry takes an index (at "
				      "most 64 of them)\n",
				      stderr);
				return 2;
			}
			entries[nentries++] = strtoull(optarg, &end, 10);
			if (*end != '\0') {
				fputs("detente: --entry takes an index\n",
				      stderr);
				return 2;
			}
			break;
		}
		case 'h':
			fputs(audit_usage, stdout);
			return 0;
		default:
			return cli_usage(audit_usage);
		}
	}
	if (optind != argc - 1)
		return cli_usage(audit_usage);
	url = argv[optind];
	if (strncmp(url, "http://", 7) != 0 &&
	    strncmp(url, "https://", 8) != 0) {
		fputs("detente: URL is http://HOST:PORT or https://...\n",
		      stderr);
		return 2;
	}
	if (access(state_path, F_OK) == 0) {
		json_error_t je;

		state = json_load_file(state_path, JSON_REJECT_DUPLICATES, &je);
		if (!json_is_object(state) ||
		    !json_is_string(json_object_get(state, "vkey"))) {
			cli_fail("%s is not an audit state file: %s",
			         state_path, je.text);
			goto out;
		}
		if (vkey != NULL &&
		    strcmp(vkey, jsonx_str(state, "vkey")) != 0) {
			cli_fail("--vkey differs from the key pinned in %s",
			         state_path);
			goto out;
		}
		vkey = jsonx_str(state, "vkey");
	} else if (vkey == NULL) {
		if (client_get_json(url, "/api/v1/log/key", NULL, &keydoc, err,
		                    sizeof(err)) != 0) {
			cli_fail("%s", err);
			goto out;
		}
		vkey = jsonx_str(keydoc, "vkey");
		fprintf(stderr,
		        "detente: no state yet: pinning the log key the server "
		        "gave (%s); pass --vkey to pin a key you got another "
		        "way\n",
		        vkey ? vkey : "?");
	}
	if (vkey == NULL || note_vkey_parse(vkey, &v) != 0) {
		cli_fail("not a verifier key: %s", vkey ? vkey : "(none)");
		goto out;
	}

	/* 1. the checkpoint and its signature */
	if (client_request("GET", url, "/api/v1/log/checkpoint", NULL, NULL, 0,
	                   &resp, err, sizeof(err)) != 0) {
		cli_fail("%s", err);
		goto out;
	}
	if (resp.status != 200) {
		cli_fail("GET /api/v1/log/checkpoint: HTTP %ld", resp.status);
		goto out;
	}
	if (note_verify(resp.body, resp.len, &v, 1, &nr) != NOTE_OK) {
		cli_fail("signature check failed: the checkpoint is not signed "
		         "by the pinned log key %s",
		         v.name);
		goto out;
	}
	if (checkpoint_parse(resp.body, nr.text_len, &cp) != 0) {
		cli_fail("the checkpoint is malformed");
		goto out;
	}
	if (strcmp(cp.origin, v.name) != 0) {
		cli_fail("origin check failed: the checkpoint is for %s, the "
		         "key for %s",
		         cp.origin, v.name);
		goto out;
	}

	/* 2. append-only: the tree grew, and the old tree is in the new one */
	if (state != NULL) {
		uint64_t old = (uint64_t)jsonx_int(state, "size", 0);
		const char *ob = jsonx_str(state, "root");
		uint8_t oldroot[32];
		uint8_t p[MERKLE_MAX_PROOF][32];
		size_t n = 0;
		char *path;

		if (ob == NULL ||
		    enc_b64_decode_exact(ob, strlen(ob), oldroot, 32) != 0) {
			cli_fail("%s holds no valid root", state_path);
			goto out;
		}
		if (cp.size < old) {
			cli_fail("size check failed: the log shrank from %llu "
			         "to %llu entries",
			         (unsigned long long)old,
			         (unsigned long long)cp.size);
			goto out;
		}
		if (cp.size == old && memcmp(oldroot, cp.root, 32) != 0) {
			cli_fail("consistency check failed: the same size %llu "
			         "has another root: the log was rewritten",
			         (unsigned long long)old);
			goto out;
		}
		if (cp.size > old && old > 0) {
			path = xasprintf("/api/v1/log/proof/consistency?from="
			                 "%llu&to=%llu",
			                 (unsigned long long)old,
			                 (unsigned long long)cp.size);
			c = client_get_json(url, path, NULL, &proof, err,
			                    sizeof(err));
			free(path);
			if (c != 0 ||
			    decode_hashes(json_object_get(proof, "proof"), p,
			                  &n) != 0 ||
			    merkle_verify_consistency(
			        old, cp.size, oldroot, cp.root,
			        (const uint8_t(*)[32])p, n) != 0) {
				cli_fail("consistency check failed between "
				         "sizes %llu and %llu: the log was "
				         "rewritten or forked%s%s",
				         (unsigned long long)old,
				         (unsigned long long)cp.size,
				         c ? ": " : "", c ? err : "");
				goto out;
			}
			json_decref(proof);
			proof = NULL;
		}
	}

	/* 3. named entries are in the tree */
	for (size_t i = 0; i < nentries; i++) {
		uint8_t p[MERKLE_MAX_PROOF][32], leaf[32];
		size_t n = 0;
		json_t *page = NULL, *item;
		const char *e64, *lh;
		char *path;

		if (entries[i] >= cp.size) {
			cli_fail("inclusion check failed: entry %llu is not "
			         "in a tree of %llu entries",
			         (unsigned long long)entries[i],
			         (unsigned long long)cp.size);
			goto out;
		}
		path = xasprintf("/api/v1/log/entries?start=%llu&end=%llu",
		                 (unsigned long long)entries[i],
		                 (unsigned long long)entries[i] + 1);
		c = client_get_json(url, path, NULL, &page, err, sizeof(err));
		free(path);
		item = json_array_get(json_object_get(page, "items"), 0);
		e64 = jsonx_str(item, "entry");
		lh = jsonx_str(item, "leaf_hash");
		if (c != 0 || lh == NULL || app_hash_parse(lh, leaf) != 0) {
			json_decref(page);
			cli_fail("inclusion check failed: entry %llu cannot "
			         "be read%s%s",
			         (unsigned long long)entries[i], c ? ": " : "",
			         c ? err : "");
			goto out;
		}
		if (e64 != NULL) {
			/* the entry's bytes must hash to the leaf */
			uint8_t *bytes = NULL, h[32];
			size_t blen = 0;

			if (enc_b64_decode_new(e64, strlen(e64), 1 << 22,
			                       &bytes, &blen) != 0) {
				json_decref(page);
				cli_fail("entry %llu is not base64",
				         (unsigned long long)entries[i]);
				goto out;
			}
			merkle_leaf_hash(bytes, blen, h);
			free(bytes);
			if (memcmp(h, leaf, 32) != 0) {
				json_decref(page);
				cli_fail("inclusion check failed: entry %llu's "
				         "bytes do not hash to its leaf hash",
				         (unsigned long long)entries[i]);
				goto out;
			}
		}
		json_decref(page);
		path = xasprintf("/api/v1/log/proof/inclusion?index=%llu&size="
		                 "%llu",
		                 (unsigned long long)entries[i],
		                 (unsigned long long)cp.size);
		c = client_get_json(url, path, NULL, &proof, err, sizeof(err));
		free(path);
		if (c != 0 ||
		    decode_hashes(json_object_get(proof, "proof"), p, &n) !=
		        0 ||
		    merkle_verify_inclusion(entries[i], cp.size, leaf,
		                            (const uint8_t(*)[32])p, n,
		                            cp.root) != 0) {
			cli_fail("inclusion check failed: entry %llu is not in "
			         "the tree the checkpoint signs%s%s",
			         (unsigned long long)entries[i], c ? ": " : "",
			         c ? err : "");
			goto out;
		}
		json_decref(proof);
		proof = NULL;
	}
	if (save_state(state_path, vkey, &cp, resp.body) != 0) {
		cli_fail("cannot write %s: %s", state_path, strerror(errno));
		goto out;
	}
	printf("detente: %s is consistent: %llu entries%s, %zu entr%s "
	       "included\n",
	       cp.origin, (unsigned long long)cp.size,
	       state ? "" : " (first checkpoint seen)", nentries,
	       nentries == 1 ? "y" : "ies");
	rc = 0;
out:
	client_resp_free(&resp);
	json_decref(state);
	json_decref(keydoc);
	json_decref(proof);
	return rc;
}
