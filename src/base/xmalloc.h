/*
 * Out-of-memory is decided once, here: every allocation in Détente goes
 * through these wrappers, which abort the process when the system cannot
 * give memory.  Callers never check their result for NULL.
 */
#ifndef DETENTE_BASE_XMALLOC_H
#define DETENTE_BASE_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
void *xmemdup(const void *p, size_t n);

/* Allocates and formats like asprintf(3); aborts on out of memory. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
