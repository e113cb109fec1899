#include "cli/client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "base/buf.h"
#include "base/xmalloc.h"

static size_t
on_data(char *p, size_t size, size_t n, void *userdata)
{
	struct buf *b = userdata;

	if (buf_add(b, p, size * n) != 0)
		return 0; /* over the cap: curl stops with an error */
	return size * n;
}

int
client_request(const char *method, const char *base, const char *path,
               const char *token, const char *body, size_t len,
               struct client_resp *out, char *err, size_t errlen)
{
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	struct buf b;
	char *url = NULL, *auth = NULL;
	size_t blen = strlen(base);
	CURLcode cc;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (c == NULL) {
		snprintf(err, errlen, "cannot start libcurl");
		return -1;
	}
	buf_init(&b, CLIENT_MAX_BODY);
	while (blen > 0 && base[blen - 1] == '/')
		blen--;
	url = xasprintf("%.*s%s", (int)blen, base, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	if (token != NULL) {
		auth = xasprintf("Authorization: Bearer %s", token);
		h = curl_slist_append(h, auth);
	}
	if (body != NULL) {
		h = curl_slist_append(h, "Content-Type: application/json");
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)len);
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	cc = curl_easy_perform(c);
	if (cc != CURLE_OK) {
		snprintf(err, errlen, "%s: %s", url, curl_easy_strerror(cc));
		buf_free(&b);
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
	out->body = buf_take(&b, &out->len);
	rc = 0;
out:
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	free(url);
	free(auth);
	return rc;
}

void
client_resp_free(struct client_resp *r)
{
	free(r->body);
	r->body = NULL;
}

int
client_get_json(const char *base, const char *path, const char *token,
                json_t **out, char *err, size_t errlen)
{
	struct client_resp r;
	json_t *v;

	*out = NULL;
	if (client_request("GET", base, path, token, NULL, 0, &r, err,
	                   errlen) != 0)
		return -1;
	if (r.status != 200) {
		json_t *p = json_loadb(r.body, r.len, 0, NULL);

		snprintf(err, errlen, "GET %s: HTTP %ld%s%s", path, r.status,
		         json_string_value(json_object_get(p, "detail")) ? ": "
		                                                         : "",
		         json_string_value(json_object_get(p, "detail"))
		             ? json_string_value(json_object_get(p, "detail"))
		             : "");
		json_decref(p);
		client_resp_free(&r);
		return -1;
	}
	v = json_loadb(r.body, r.len, JSON_REJECT_DUPLICATES, NULL);
	client_resp_free(&r);
	if (!json_is_object(v)) {
		json_decref(v);
		snprintf(err, errlen, "GET %s: not a JSON object", path);
		return -1;
	}
	*out = v;
	return 0;
}
