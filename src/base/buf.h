/*
 * Growable byte buffers with a hard cap given at init, after curl's dynbuf.
 * The contents are always NUL-terminated (the NUL is not counted in len), so
 * a buffer of text can be handed to C string functions.
 */
#ifndef DETENTE_BASE_BUF_H
#define DETENTE_BASE_BUF_H

#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t alloc;
	size_t cap; /* the most bytes the buffer may ever hold */
};

void buf_init(struct buf *b, size_t cap);

/* Releases the memory and leaves the buffer empty and reusable.  NULL-safe. */
void buf_free(struct buf *b);

/* Empties the buffer, keeping its memory. */
void buf_reset(struct buf *b);

/*
 * Appends n bytes.  Returns 0, or -1 when the result would exceed the cap, in
 * which case the buffer is left unchanged.
 */
__attribute__((warn_unused_result)) int buf_add(struct buf *b, const void *p,
                                                size_t n);
__attribute__((warn_unused_result)) int buf_adds(struct buf *b, const char *s);
__attribute__((warn_unused_result, format(printf, 2, 3))) int
buf_printf(struct buf *b, const char *fmt, ...);

/* Hands the contents to the caller (to free) and leaves the buffer empty. */
char *buf_take(struct buf *b, size_t *len);

#endif
