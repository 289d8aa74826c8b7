/*
 * fuzz_sanitize.c: libFuzzer harness for the untrusted-text sanitiser.
 *
 * The first byte of an input picks the flags (SAN_SHOW_ESCAPES included),
 * the rest is the text.  On every input it checks what must hold whatever
 * the text: the output is valid UTF-8 with no C0 control (so no ESC, BEL
 * or NUL) but a newline under SAN_NEWLINES, no DEL,
 * no C1 control, no bidi or invisible format character; streaming the text
 * in pieces cut at data-derived places gives the one-shot output;
 * sanitising the output again changes nothing; text_fit() and text_width()
 * agree.  A violation calls abort().
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc -Isrc/model \
 *       tests/fuzz/fuzz_sanitize.c src/model/sanitize.c src/model/buf.c \
 *       -o fuzz_sanitize && ./fuzz_sanitize -max_total_time=30
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "sanitize.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * Listed here, not taken from sanitize.c, so that a mistake there is
 * caught: the bidi controls of CVE-2021-42574 and the invisible format
 * characters the sanitiser promises to show.
 */
static int
forbidden(uint32_t cp, int flags)
{
	if (cp < 0x20)
		return !(cp == '\n' && (flags & SAN_NEWLINES));
	if (cp >= 0x7f && cp <= 0x9f)
		return 1;
	if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 &&
	    cp <= 0x2069) || cp == 0x200e || cp == 0x200f || cp == 0x061c)
		return 1;
	if (cp == 0x200b || (cp >= 0x2060 && cp <= 0x2064) ||
	    cp == 0xfeff || cp == 0x00ad)
		return 1;
	return 0;
}

static void
check_output(const char *s, size_t len, int flags)
{
	size_t		off = 0, used, fit;
	uint32_t	cp;
	int		n;

	if (strlen(s) != len)		/* no NUL inside, NUL at the end */
		abort();
	while (off < len) {
		n = utf8_decode(s + off, len - off, &cp);
		if (n <= 0 || forbidden(cp, flags))
			abort();
		off += (size_t)n;
	}
	fit = text_fit(s, len, SIZE_MAX, &used);
	if (fit != len || used != text_width(s, len))
		abort();
	/* A prefix that fits never ends inside a character. */
	fit = text_fit(s, len, used / 2, &used);
	if (fit > len || (fit < len &&
	    ((unsigned char)s[fit] & 0xc0) == 0x80))
		abort();
}

/* FNV-1a, to cut the input at places that depend on all of it. */
static uint32_t
hash(const uint8_t *p, size_t len)
{
	uint32_t	h = 2166136261u;

	while (len-- > 0)
		h = (h ^ *p++) * 16777619u;
	return h;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sanitizer	*s;
	struct buf		 one = BUF_INIT, split = BUF_INIT;
	struct buf		 again = BUF_INIT;
	const char		*in;
	size_t			 len, a, b;
	uint32_t		 h;
	int			 flags;

	if (size == 0)
		return 0;
	flags = data[0] & (SAN_NEWLINES | SAN_TABS | SAN_SHOW_ESCAPES);
	in = (const char *)data + 1;
	len = size - 1;

	sanitize_append(&one, in, len, flags);
	check_output(buf_str(&one), one.len, flags);

	/* Two pieces, then three. */
	h = hash(data, size);
	a = h % (len + 1);
	b = a + (h >> 16) % (len - a + 1);
	s = malloc(sizeof *s);
	if (s == NULL)
		abort();
	sanitize_init(s, flags);
	sanitize_feed(s, &split, in, a);
	sanitize_feed(s, &split, in + a, len - a);
	sanitize_finish(s, &split);
	if (split.len != one.len || memcmp(buf_str(&split), buf_str(&one),
	    one.len) != 0)
		abort();
	buf_reset(&split);
	sanitize_feed(s, &split, in, a);
	sanitize_feed(s, &split, in + a, b - a);
	sanitize_feed(s, &split, in + b, len - b);
	sanitize_finish(s, &split);
	if (split.len != one.len || memcmp(buf_str(&split), buf_str(&one),
	    one.len) != 0)
		abort();
	free(s);

	/* The output is already clean: a second pass keeps it as it is. */
	sanitize_append(&again, buf_str(&one), one.len, flags);
	if (again.len != one.len || memcmp(buf_str(&again), buf_str(&one),
	    one.len) != 0)
		abort();

	buf_free(&one);
	buf_free(&split);
	buf_free(&again);
	return 0;
}
