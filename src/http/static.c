/*
 * The web UI's static files.  Paths are checked character by character (no
 * "..", no hidden files), and any path without an extension is the single
 * page's index.html, so that deep links work.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/xmalloc.h"
#include "http/internal.h"

static const struct {
	const char *ext;
	const char *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".yaml", "application/yaml"},
    {".txt", "text/plain; charset=utf-8"},
    {".woff2", "font/woff2"},
};

static bool
safe_path(const char *p)
{
	if (p[0] != '/')
		return false;
	for (const char *c = p; *c; c++) {
		bool ok = (*c >= 'a' && *c <= 'z') ||
		          (*c >= 'A' && *c <= 'Z') ||
		          (*c >= '0' && *c <= '9') || *c == '/' || *c == '-' ||
		          *c == '_' || *c == '.';
		if (!ok)
			return false;
		if (*c == '.' && c[-1] == '/')
			return false; /* hidden files and ".." */
	}
	return strstr(p, "//") == NULL;
}

struct MHD_Response *
http_static(struct http_req *r, int *status)
{
	const char *path = r->path;
	const char *slash = strrchr(path, '/');
	const char *type = NULL;
	char *file;
	int fd;
	struct stat sb;
	struct MHD_Response *resp;

	if (!safe_path(path))
		return http_problem(r, status, 404, "not-found",
		                    "no such file");
	if (strchr(slash, '.') == NULL)
		path = "/index.html";
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		size_t el = strlen(types[i].ext), pl = strlen(path);

		if (pl > el && strcmp(path + pl - el, types[i].ext) == 0)
			type = types[i].type;
	}
	if (type == NULL)
		return http_problem(r, status, 404, "not-found",
		                    "no such file");
	file = xasprintf("%s%s", r->srv->web_dir, path);
	fd = open(file, O_RDONLY | O_CLOEXEC);
	free(file);
	if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		if (fd >= 0)
			close(fd);
		return http_problem(r, status, 404, "not-found",
		                    "no such file: %.200s", path);
	}
	resp = MHD_create_response_from_fd((uint64_t)sb.st_size, fd);
	MHD_add_response_header(resp, "Content-Type", type);
	MHD_add_response_header(resp, "Cache-Control", "no-cache");
	*status = 200;
	return resp;
}
