/*
 * sanitize.h: the one filter between text from outside (task logs, DAG and
 * task ids, API error messages, commit titles) and a terminal, a report file
 * or a pipe, plus the UTF-8 decoding and column counting that go with it.
 *
 * Whatever the input, the output is valid UTF-8 that cannot drive a
 * terminal: escape sequences are removed whole, other controls are shown in
 * caret ("^[") or "<U+0085>" form, bidi and invisible format characters are
 * shown as "<U+202E>", and ill-formed UTF-8 becomes U+FFFD.  Pure: no I/O,
 * no locale.
 */
#ifndef DAGTOP_SANITIZE_H
#define DAGTOP_SANITIZE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum {
	SAN_NEWLINES = 1,	/* keep \n (and drop a CR right before it) */
	SAN_TABS = 2,		/* expand tabs to 8-column stops */
	/*
	 * Show escape sequences instead of removing them: ESC becomes "^["
	 * and what follows it stays as text.  For identifiers, where a
	 * removed sequence would make two different ids look the same.
	 */
	SAN_SHOW_ESCAPES = 4
};

/*
 * The most bytes a sequence may swallow, counted from its introducer (ESC,
 * or the two bytes of a UTF-8 encoded C1 introducer) and not counting its
 * terminator; ill-formed bytes count as the 3 bytes of U+FFFD.  A sequence
 * that would swallow more is given up: its introducer is shown ("^[" or
 * "<U+009B>"), the text it had swallowed is output as ordinary text, and
 * parsing resumes.
 */
#define SAN_CONTROL_MAX	64	/* CSI and ESC-intermediate sequences */
#define SAN_STRING_MAX	4096	/* OSC, DCS, SOS, PM, APC */

#define SAN_REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD in UTF-8 */

/*
 * Streaming state.  A UTF-8 character, a CR before an LF or an escape
 * sequence may be split across sanitize_feed() calls; the output is the
 * same however the input is split.  Treat the fields as private.
 */
struct sanitizer {
	int		 flags;
	int		 state;		/* where in an escape sequence */
	int		 cr_pending;	/* a CR waits to see if LF follows */
	uint32_t	 intro;		/* ESC or C1 code point opening it */
	size_t		 col;		/* display column since last \n out */

	/* UTF-8 decoder: a partial character. */
	uint32_t	 u_cp;
	unsigned char	 u_need;	/* continuation bytes still due */
	unsigned char	 u_lo;		/* bounds of the next byte */
	unsigned char	 u_hi;
	unsigned char	 u_len;
	unsigned char	 u_raw[4];

	/* What the current sequence has swallowed after its introducer. */
	size_t		 seq_len;
	char		 seq[SAN_STRING_MAX];
};

void	 sanitize_init(struct sanitizer *, int flags);
/* Appends the sanitised form of in[0..len) to out. */
void	 sanitize_feed(struct sanitizer *, struct buf *out, const char *in,
	    size_t len);
/*
 * Ends the input: a pending partial character is output as U+FFFD, a pending
 * CR as "^M", and an unterminated escape sequence is dropped.  The sanitizer
 * is then ready for a new input with the same flags.
 */
void	 sanitize_finish(struct sanitizer *, struct buf *out);

/* One-shot: init, feed, finish. */
void	 sanitize_append(struct buf *out, const char *in, size_t len,
	    int flags);
/* One-shot on a C string; never NULL (NULL input gives ""). Free it. */
char	*sanitize_dup(const char *s, int flags);

/*
 * Decodes one character from s[0..len).  Returns the bytes it used: n > 0
 * for a well-formed character (stored in *cp); -n for an ill-formed
 * subsequence of n bytes (1 to 3: the maximal subpart of Unicode ch. 3, so a
 * decoder that skips n bytes and goes on replaces exactly as WHATWG does),
 * with *cp set to U+FFFD; 0 only when len is 0.  A character cut short by the
 * end of s is ill-formed.
 */
int	 utf8_decode(const char *s, size_t len, uint32_t *cp);

/*
 * Display columns of one code point: 0 for controls, combining marks
 * (Mn, Me), format characters (Cf, which includes ZWJ) and Hangul medial
 * and final jamo; 2 for East Asian Wide and Fullwidth and emoji presentation
 * characters; 1 for everything else.  Unicode 15.0.
 */
int	 text_cp_width(uint32_t cp);
/*
 * Display columns of s[0..len), the sum of its characters' widths; an
 * ill-formed subsequence counts as U+FFFD (1).  Meant for sanitised single
 * lines: \t and \n count 0.
 */
size_t	 text_width(const char *s, size_t len);
/*
 * The longest prefix of s[0..len), in bytes, that fits in cols columns
 * without splitting a character; zero-width characters that follow the last
 * character that fits are included.  Stores the prefix's width in
 * *used_cols when used_cols is not NULL.
 */
size_t	 text_fit(const char *s, size_t len, size_t cols, size_t *used_cols);

#endif
