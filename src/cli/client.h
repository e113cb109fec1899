/* A small HTTP client over libcurl for the commands that talk to a server. */
#ifndef DETENTE_CLI_CLIENT_H
#define DETENTE_CLI_CLIENT_H

#include <stddef.h>

#include <jansson.h>

#define CLIENT_MAX_BODY (16u << 20)

struct client_resp {
	long status;
	char *body; /* NUL-terminated, to free */
	size_t len;
};

/*
 * Sends method to base + path with an optional bearer token and JSON body.
 * Returns 0 when an HTTP answer came (whatever its status), or -1 with err.
 */
__attribute__((warn_unused_result)) int
client_request(const char *method, const char *base, const char *path,
               const char *token, const char *body, size_t len,
               struct client_resp *out, char *err, size_t errlen);
void client_resp_free(struct client_resp *r);

/* GETs base + path and parses a JSON object answered with 200. */
__attribute__((warn_unused_result)) int
client_get_json(const char *base, const char *path, const char *token,
                json_t **out, char *err, size_t errlen);

#endif
