/*
 * detente key gen|register and detente act: a party's own Ed25519 key, and
 * acts signed with it (DSSE) and submitted to a server, so that the log
 * holds the party's signature and not only the server's word.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app/app.h"
#include "base/enc.h"
#include "base/jsonx.h"
#include "base/timeutil.h"
#include "base/xmalloc.h"
#include "cli/cli.h"
#include "cli/client.h"
#include "core/acts.h"
#include "ledger/dsse.h"
#include "ledger/keys.h"
#include "ledger/note.h"

static const char key_usage[] =
    "usage: detente key gen --out FILE [--name NAME]\n"
    "       detente key register --key FILE [--server URL] [--token TOKEN]\n"
    "\n"
    "gen makes an Ed25519 key pair; FILE (mode 0600, never overwritten)\n"
    "holds the private key.  register records the public key on the\n"
    "server as a key.register act signed by the key itself.  The server\n"
    "and token default to $DETENTE_SERVER and $DETENTE_TOKEN.\n";

/* An act file: one act, or a batch (the server takes 4 MiB of JSON). */
#define ACT_FILE_MAX (4 * 1024 * 1024)

static const char act_usage[] =
    "usage: detente act [--sign KEYFILE] [--server URL] [--token TOKEN]\n"
    "                   FILE|-\n"
    "\n"
    "Submits the act in FILE ({\"type\": ..., \"body\": {...}}).  With\n"
    "--sign it is wrapped in a DSSE envelope signed by the key (which must\n"
    "be registered); otherwise the server attests it.  Prints the receipt\n"
    "(log index and leaf hash).\n"
    "\n"
    "FILE may also hold an array of up to 1000 acts: they are submitted as\n"
    "one batch, in order, all or none (each signed with --sign), and the\n"
    "receipts are printed.\n";

struct remote {
	const char *server;
	const char *token;
};

static void
remote_init(struct remote *r)
{
	r->server = getenv("DETENTE_SERVER");
	r->token = getenv("DETENTE_TOKEN");
}

/* Who the token belongs to: {username, party}. */
static int
whoami(const struct remote *r, json_t **user)
{
	char err[400];
	json_t *s = NULL;

	if (client_get_json(r->server, "/api/v1/session", r->token, &s, err,
	                    sizeof(err)) != 0)
		return cli_fail("%s", err);
	*user = json_incref(json_object_get(s, "user"));
	json_decref(s);
	return *user ? 0 : cli_fail("the server did not say who you are");
}

/* Builds the act document and its envelope, signed with sk. */
static char *
sign_act(const char *type, json_t *body, const json_t *user,
         const uint8_t sk[64], size_t *len)
{
	char when[TIME_RFC3339_LEN];
	uint8_t salt[16];
	char *salt_b64, *payload, *keyid, *entry;
	size_t plen;
	json_t *act, *env;
	const struct act_type *t = acts_find(type);

	randombytes_buf(salt, sizeof(salt));
	salt_b64 = enc_b64_new(salt, sizeof(salt));
	time_format_ms(time_now_ms(), when);
	act = json_pack("{s:i,s:s,s:s,s:O,s:O,s:s,s:O}", "v", 1, "type", type,
	                "time", when, "party",
	                json_object_get(user, "party")
	                    ? json_object_get(user, "party")
	                    : json_null(),
	                "user", json_object_get(user, "username"), "salt",
	                salt_b64, "body", body);
	if (t != NULL) {
		/* the label the server will compute: the kind's, or the
		 * body's own (it refuses the act if the body's is bad) */
		enum tlp label = t->tlp;
		char err[200];

		if (acts_label(t, body, &label, err, sizeof(err)) != 0)
			label = t->tlp;
		json_object_set_new(act, "tlp",
		                    json_string(policy_tlp_name(label)));
	}
	free(salt_b64);
	payload = jsonx_dump(act, &plen);
	json_decref(act);
	keyid = keys_id(sk + 32);
	env = dsse_sign(ACTS_PAYLOAD_TYPE, (const uint8_t *)payload, plen,
	                keyid, sk);
	free(keyid);
	free(payload);
	if (env == NULL)
		return NULL;
	entry = jsonx_dump(env, len);
	json_decref(env);
	return entry;
}

/* Posts an act document (or a batch) and prints the receipt(s). */
static int
post_act(const struct remote *r, const char *path, const char *doc, size_t len)
{
	struct client_resp resp;
	char err[400];
	json_t *v;
	int rc;

	if (client_request("POST", r->server, path, r->token, doc, len, &resp,
	                   err, sizeof(err)) != 0)
		return cli_fail("%s", err);
	v = json_loadb(resp.body, resp.len, 0, NULL);
	if (resp.status == 201) {
		printf("%s\n", resp.body);
		rc = 0;
	} else {
		rc = cli_fail(
		    "the server refused the act (HTTP %ld): %s", resp.status,
		    json_string_value(json_object_get(v, "detail"))
		        ? json_string_value(json_object_get(v, "detail"))
		        : resp.body);
	}
	json_decref(v);
	client_resp_free(&resp);
	return rc;
}

static int
load_key(const char *path, uint8_t sk[64])
{
	char name[NOTE_NAME_MAX + 1];
	enum keys_err ke = keys_load_secret(path, name, sk);

	if (ke != KEYS_OK)
		return cli_fail("cannot use the key %s: %s", path,
		                keys_strerror(ke));
	return 0;
}

int
cli_key(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"out", required_argument, NULL, 'o'},
	    {"name", required_argument, NULL, 'n'},
	    {"key", required_argument, NULL, 'k'},
	    {"server", required_argument, NULL, 's'},
	    {"token", required_argument, NULL, 't'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *sub = argc >= 2 ? argv[1] : "";
	const char *out = NULL, *name = "detente-user", *keyfile = NULL;
	struct remote r;
	uint8_t pk[32], sk[64];
	int c, rc = 1;

	if (strcmp(sub, "--help") == 0) {
		fputs(key_usage, stdout);
		return 0;
	}
	if (strcmp(sub, "gen") != 0 && strcmp(sub, "register") != 0)
		return cli_usage(key_usage);
	remote_init(&r);
	optind = 1;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'n':
			name = optarg;
			break;
		case 'k':
			keyfile = optarg;
			break;
		case 's':
			r.server = optarg;
			break;
		case 't':
			r.token = optarg;
			break;
		case 'h':
			fputs(key_usage, stdout);
			return 0;
		default:
			return cli_usage(key_usage);
		}
	}
	if (optind != argc - 1)
		return cli_usage(key_usage);
	if (strcmp(sub, "gen") == 0) {
		enum keys_err ke;
		char *id, *b64;

		if (out == NULL)
			return cli_usage(key_usage);
		if (note_name_valid(name, strlen(name)) != 0) {
			fputs("detente: --name has no spaces or '+'\n", stderr);
			return 2;
		}
		keys_generate(pk, sk);
		ke = keys_save_secret(out, name, sk);
		sodium_memzero(sk, sizeof(sk));
		if (ke != KEYS_OK)
			return cli_fail("cannot write %s: %s", out,
			                keys_strerror(ke));
		id = keys_id(pk);
		b64 = enc_b64_new(pk, 32);
		printf("key_id %s\npublic_key %s\n", id, b64);
		free(id);
		free(b64);
		return 0;
	}
	if (keyfile == NULL || r.server == NULL || r.token == NULL) {
		fputs("detente: key register needs --key, --server and "
		      "--token\n",
		      stderr);
		return 2;
	}
	if (load_key(keyfile, sk) != 0)
		return 1;
	{
		json_t *user = NULL, *body;
		char *id = keys_id(sk + 32), *b64 = enc_b64_new(sk + 32, 32);
		char *doc;
		size_t len;

		body = json_pack("{s:s,s:s}", "key_id", id, "public_key", b64);
		if (whoami(&r, &user) == 0) {
			doc = sign_act("key.register", body, user, sk, &len);
			rc = doc ? post_act(&r, "/api/v1/acts", doc, len)
			         : cli_fail("cannot sign the act");
			free(doc);
		}
		json_decref(user);
		json_decref(body);
		free(id);
		free(b64);
	}
	sodium_memzero(sk, sizeof(sk));
	return rc;
}

static bool
is_act(const json_t *a)
{
	return json_is_string(json_object_get(a, "type")) &&
	       json_is_object(json_object_get(a, "body"));
}

/* An act file holds one act, or an array of 1..APP_BATCH_MAX acts; each is
 * {"type": ..., "body": {...}}.  Says what is wrong on stderr. */
static int
check_acts(const char *path, const json_t *v, size_t len)
{
	const json_t *a;
	size_t i;

	if (json_is_object(v) && len > ACTS_MAX_BYTES) {
		fprintf(stderr, "detente: %s: an act is at most %d bytes\n",
		        path, ACTS_MAX_BYTES);
		return -1;
	}
	if (json_is_object(v) && !is_act(v)) {
		fprintf(stderr,
		        "detente: %s: an act is {\"type\": ..., \"body\": "
		        "{...}}\n",
		        path);
		return -1;
	}
	if (json_is_object(v))
		return 0;
	if (!json_is_array(v) || json_array_size(v) == 0 ||
	    json_array_size(v) > APP_BATCH_MAX) {
		fprintf(
		    stderr,
		    "detente: %s: give an act or an array of 1 to %d acts\n",
		    path, APP_BATCH_MAX);
		return -1;
	}
	json_array_foreach(v, i, a)
	{
		if (!is_act(a)) {
			fprintf(stderr,
			        "detente: %s: act %zu is not {\"type\": ..., "
			        "\"body\": {...}}\n",
			        path, i);
			return -1;
		}
	}
	return 0;
}

int
cli_act(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"sign", required_argument, NULL, 'k'},
	    {"server", required_argument, NULL, 's'},
	    {"token", required_argument, NULL, 't'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *keyfile = NULL;
	struct remote r;
	uint8_t sk[64];
	char *text = NULL, *doc = NULL;
	size_t len = 0;
	json_t *v = NULL, *user = NULL;
	char err[300];
	int c, rc = 1;

	remote_init(&r);
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'k':
			keyfile = optarg;
			break;
		case 's':
			r.server = optarg;
			break;
		case 't':
			r.token = optarg;
			break;
		case 'h':
			fputs(act_usage, stdout);
			return 0;
		default:
			return cli_usage(act_usage);
		}
	}
	if (optind != argc - 1)
		return cli_usage(act_usage);
	if (r.server == NULL || r.token == NULL) {
		fputs("detente: give --server and --token (or $DETENTE_SERVER "
		      "and $DETENTE_TOKEN)\n",
		      stderr);
		return 2;
	}
	text = cli_read_all(argv[optind], ACT_FILE_MAX, &len);
	if (text == NULL)
		return cli_fail("cannot read %s (or it is over %d bytes)",
		                argv[optind], ACT_FILE_MAX);
	if (jsonx_parse(text, len, ACTS_MAX_DEPTH + 1, &v, err, sizeof(err)) !=
	    0) {
		fprintf(stderr, "detente: %s: %s\n", argv[optind], err);
		rc = 2;
		goto out;
	}
	if (check_acts(argv[optind], v, len) != 0) {
		rc = 2;
		goto out;
	}
	if (keyfile != NULL &&
	    (load_key(keyfile, sk) != 0 || whoami(&r, &user) != 0))
		goto out;
	if (json_is_array(v)) {
		json_t *batch = json_array(), *a;
		size_t i;

		json_array_foreach(v, i, a)
		{
			if (keyfile == NULL) {
				json_array_append(batch, a);
				continue;
			}
			doc = sign_act(jsonx_str(a, "type"),
			               json_object_get(a, "body"), user, sk,
			               &len);
			if (doc == NULL)
				break;
			json_array_append_new(batch,
			                      json_loadb(doc, len, 0, NULL));
			free(doc);
			doc = NULL;
		}
		if (json_array_size(batch) == json_array_size(v)) {
			json_t *body = json_pack("{s:o}", "acts", batch);

			doc = jsonx_dump(body, &len);
			json_decref(body);
			rc = post_act(&r, "/api/v1/acts/batch", doc, len);
		} else {
			json_decref(batch);
			rc = cli_fail("cannot sign act %zu", i);
		}
	} else if (keyfile == NULL) {
		rc = post_act(&r, "/api/v1/acts", text, len);
	} else {
		doc = sign_act(jsonx_str(v, "type"), json_object_get(v, "body"),
		               user, sk, &len);
		rc = doc ? post_act(&r, "/api/v1/acts", doc, len)
		         : cli_fail("cannot sign the act");
	}
	sodium_memzero(sk, sizeof(sk));
out:
	free(text);
	free(doc);
	json_decref(v);
	json_decref(user);
	return rc;
}
