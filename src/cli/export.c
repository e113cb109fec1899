/*
 * detente export: the record as open data, one file per table (CSV or
 * JSON), the log's signed checkpoint, and a README of the columns, the
 * sources and their licences.  What the public may read only.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"

static const char export_usage[] =
    "usage: detente export [--format csv|json] [--db PATH] [--key PATH] DIR\n"
    "\n"
    "Writes the historical record as open data into DIR (made if missing):\n"
    "one file per table (parties, memberships, norms, forums, "
    "forum_members,\n"
    "instruments, instrument_norms, commitments, votes, "
    "instrument_parties),\n"
    "checkpoint.txt (the log's signed checkpoint) and README.md (the "
    "columns,\n"
    "the sources and their licences).  CSV by default (RFC 4180, UTF-8).\n"
    "Only what is marked TLP:CLEAR is written.  Files of the same names in "
    "DIR\nare replaced.\n";

struct dir {
	const char *path;
	int n;
};

/* Writes one file of the export, whole or not at all (a temporary name,
 * then a rename). */
static int
write_file(void *ctx, const char *name, const char *data, size_t len)
{
	struct dir *d = ctx;
	char *path = NULL, *tmp = NULL;
	int fd = -1, rc = -1;
	size_t off = 0;

	if (asprintf(&path, "%s/%s", d->path, name) < 0 ||
	    asprintf(&tmp, "%s/.%s.tmp", d->path, name) < 0)
		goto out;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "detente: cannot write %s: %s\n", tmp,
		        strerror(errno));
		goto out;
	}
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "detente: cannot write %s: %s\n", tmp,
			        strerror(errno));
			goto out;
		}
		off += (size_t)w;
	}
	if (close(fd) != 0) {
		fd = -1;
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) != 0) {
		fprintf(stderr, "detente: cannot rename %s: %s\n", tmp,
		        strerror(errno));
		goto out;
	}
	printf("  %s (%zu bytes)\n", path, len);
	d->n++;
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (rc != 0 && tmp != NULL)
		unlink(tmp);
	free(path);
	free(tmp);
	return rc;
}

int
cli_export(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"format", required_argument, NULL, 'f'},
	    {"db", required_argument, NULL, 'D'},
	    {"key", required_argument, NULL, 'K'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct cli_paths p;
	const char *format = "csv";
	struct app *app = NULL;
	struct app_error e = {0};
	struct dir d = {0};
	struct stat sb;
	int c, rc = 1;

	cli_paths_init(&p);
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (cli_path_option(&p, c, optarg))
			continue;
		switch (c) {
		case 'f':
			format = optarg;
			break;
		case 'h':
			fputs(export_usage, stdout);
			cli_paths_free(&p);
			return 0;
		default:
			cli_paths_free(&p);
			return cli_usage(export_usage);
		}
	}
	if (optind != argc - 1) {
		cli_paths_free(&p);
		return cli_usage(export_usage);
	}
	if (strcmp(format, "csv") != 0 && strcmp(format, "json") != 0) {
		cli_paths_free(&p);
		fputs("detente: --format is csv or json\n", stderr);
		return 2;
	}
	d.path = argv[optind];
	if (mkdir(d.path, 0755) != 0 && errno != EEXIST) {
		rc = cli_fail("cannot make %s: %s", d.path, strerror(errno));
		goto out;
	}
	if (stat(d.path, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		rc = cli_fail("%s is not a directory", d.path);
		goto out;
	}
	cli_paths_finish(&p);
	if ((app = cli_open(&p)) == NULL)
		goto out;
	if (app_export(app, format, write_file, &d, &e) != 0) {
		rc = cli_fail("the export stopped: %s", e.detail);
		goto out;
	}
	printf("detente: exported the record as %s: %d files in %s\n", format,
	       d.n, d.path);
	rc = 0;
out:
	app_close(app);
	cli_paths_free(&p);
	return rc;
}
