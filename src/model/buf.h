/* buf.h: a growable byte string, the one string builder of dagtop. */
#ifndef DAGTOP_BUF_H
#define DAGTOP_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct buf {
	char	*data;	/* always NUL-terminated when non-NULL */
	size_t	 len;
	size_t	 cap;
};

#define BUF_INIT { NULL, 0, 0 }

void	 buf_append(struct buf *, const void *, size_t);
void	 buf_puts(struct buf *, const char *);
void	 buf_putc(struct buf *, char);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_vprintf(struct buf *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
void	 buf_reset(struct buf *);
void	 buf_free(struct buf *);
/* buf_free for a buffer that held a secret: every byte zeroed first. */
void	 buf_wipe(struct buf *);
/* Hands the string to the caller (never NULL) and empties the buffer. */
char	*buf_detach(struct buf *);
/* The content as a C string; "" for an empty buffer. */
const char *buf_str(const struct buf *);

/* Allocation that cannot fail: on exhaustion the process says so and exits. */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
/* A copy of s, or NULL for NULL. */
char	*dup_or_null(const char *);
/* FNV-1a of a string: for hash tables and remembering texts by hash. */
uint64_t str_hash(const char *);
/* A copy of s, or NULL for NULL and for "" (an unset option). */
char	*dup_nonempty(const char *);
/*
 * Zeroes a secret string where the compiler cannot drop the store
 * (explicit_bzero), then frees it.  NULL is fine.
 */
void	 wipe_free(char *);
/* Zeroes n bytes of a secret the same way, without freeing. */
void	 wipe(void *, size_t);

#endif
