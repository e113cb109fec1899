/*
 * A zip archive in memory (PKWARE APPNOTE 6.3: local headers, deflated
 * data, the central directory), for a download of several files at once.
 * No zip64: an archive stays under 4 GiB.
 */
#ifndef DETENTE_BASE_ZIP_H
#define DETENTE_BASE_ZIP_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

#define ZIP_MAX_FILES 256

struct zip {
	struct buf out;
	struct buf dir; /* the central directory, appended at the end */
	unsigned n;
	uint16_t dos_time, dos_date;
};

/* Starts an archive of at most cap bytes whose files are dated time_ms. */
void zip_init(struct zip *z, size_t cap, int64_t time_ms);
/* Adds a file (name: a relative path in UTF-8).  Returns 0, or -1 past the
 * cap or ZIP_MAX_FILES. */
__attribute__((warn_unused_result)) int zip_add(struct zip *z, const char *name,
                                                const void *data, size_t len);
/* Ends the archive and hands it to the caller (to free), or NULL. */
char *zip_finish(struct zip *z, size_t *len);
void zip_free(struct zip *z);

#endif
