/*
 * test_sanitize.c: exact-output tests of the untrusted-text sanitiser and
 * of the UTF-8 and column helpers.  Every sanitiser case is also run
 * streamed, split at every byte and fed one byte at a time, and must give
 * the one-shot output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "sanitize.h"

#define ESC	"\033"
#define R	SAN_REPLACEMENT
#define NL	SAN_NEWLINES
#define TABS	SAN_TABS

/* Streamed: in[0..len) fed in the pieces that cuts[0..ncuts) mark. */
static void
run_split(const char *in, size_t len, int flags, const size_t *cuts,
    size_t ncuts, struct buf *out)
{
	struct sanitizer	*s = malloc(sizeof *s);
	size_t			 from = 0, i;

	assert_non_null(s);
	sanitize_init(s, flags);
	for (i = 0; i < ncuts; i++) {
		sanitize_feed(s, out, in + from, cuts[i] - from);
		from = cuts[i];
	}
	sanitize_feed(s, out, in + from, len - from);
	sanitize_finish(s, out);
	free(s);
}

/*
 * Sanitises in[0..len) one-shot, split in two at every position, and one
 * byte at a time; each must give exactly want.  Past 256 bytes (the cap
 * tests) the two-piece splits are every position in the first and last 128
 * bytes, where the introducers and the caps are, and every 61st between.
 */
static void
check(const char *in, size_t len, int flags, const char *want)
{
	struct buf	out = BUF_INIT;
	size_t		cut, *cuts;

	sanitize_append(&out, in, len, flags);
	assert_string_equal(buf_str(&out), want);
	assert_int_equal(out.len, strlen(want));

	for (cut = 0; cut <= len; cut++) {
		if (len > 256 && cut > 128 && cut + 128 < len && cut % 61 != 0)
			continue;
		buf_reset(&out);
		run_split(in, len, flags, &cut, 1, &out);
		assert_string_equal(buf_str(&out), want);
	}

	cuts = malloc((len + 1) * sizeof *cuts);
	assert_non_null(cuts);
	for (cut = 0; cut < len; cut++)
		cuts[cut] = cut;
	buf_reset(&out);
	run_split(in, len, flags, cuts, len, &out);
	assert_string_equal(buf_str(&out), want);
	free(cuts);
	buf_free(&out);
}

#define CHECK(flags, in, want) check((in), sizeof(in) - 1, (flags), (want))

/* UTF-8 of a valid code point. */
static size_t
encode(uint32_t cp, char *p)
{
	if (cp < 0x80) {
		p[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		p[0] = (char)(0xc0 | cp >> 6);
		p[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		p[0] = (char)(0xe0 | cp >> 12);
		p[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		p[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	p[0] = (char)(0xf0 | cp >> 18);
	p[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	p[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	p[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static void
put_repeat(struct buf *b, const char *s, size_t times)
{
	while (times-- > 0)
		buf_puts(b, s);
}

static void
test_printable_kept(void **state)
{
	(void)state;
	CHECK(0, "hello, world ~!{}|`", "hello, world ~!{}|`");
	CHECK(0, "na\xc3\xafve caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 "
	    "\xf0\x9f\x98\x80 e\xcc\x81",
	    "na\xc3\xafve caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 "
	    "\xf0\x9f\x98\x80 e\xcc\x81");
	/* U+FFFD itself, U+FFFE and U+FFFF, private use, U+10FFFF. */
	CHECK(0, "\xef\xbf\xbd\xef\xbf\xbe\xef\xbf\xbf\xee\x80\x80"
	    "\xf4\x8f\xbf\xbf", "\xef\xbf\xbd\xef\xbf\xbe\xef\xbf\xbf"
	    "\xee\x80\x80\xf4\x8f\xbf\xbf");
	CHECK(0, "", "");
	/* Caret and "<U+" in the input are plain text. */
	CHECK(0, "^[ <U+202E>", "^[ <U+202E>");
}

static void
test_c0_caret(void **state)
{
	(void)state;
	CHECK(0, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d"
	    "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c"
	    "\x1d\x1e\x1f",
	    "^@^A^B^C^D^E^F^G^H^I^J^K^L^M^N^O^P^Q^R^S^T^U^V^W^X^Y^Z^[^\\"
	    "^]^^^_");
	/* The flags spare only \n and \t. */
	CHECK(NL | TABS, "\x01\x07\x08\x0b\x0c\x1f", "^A^G^H^K^L^_");
	CHECK(0, "a\x7f" "b\x7f", "a^?b^?");
	CHECK(NL, "backspace\x08\x08" "ok", "backspace^H^Hok");
}

static void
test_nul_in_middle(void **state)
{
	(void)state;
	CHECK(0, "ab\0cd", "ab^@cd");
	CHECK(NL, "x\0\n\0y", "x^@\n^@y");
	CHECK(0, "\0\0", "^@^@");
}

static void
test_newlines(void **state)
{
	(void)state;
	CHECK(0, "a\nb", "a^Jb");
	CHECK(TABS, "a\nb", "a^Jb");
	CHECK(NL, "a\nb\n\n", "a\nb\n\n");
}

static void
test_crlf(void **state)
{
	(void)state;
	CHECK(NL, "a\r\nb\r\n", "a\nb\n");
	CHECK(NL, "a\rb", "a^Mb");
	CHECK(NL, "a\r", "a^M");
	CHECK(NL, "a\r\r\n", "a^M\n");
	CHECK(NL, "\r\n\r\n", "\n\n");
	/* Only a CR directly before the LF goes. */
	CHECK(NL, "a\r" ESC "[0m\n", "a^M\n");
	CHECK(NL, "50%\r100%\n", "50%^M100%\n");
	CHECK(0, "a\r\nb", "a^M^Jb");
	CHECK(TABS, "a\r\n", "a^M^J");
}

static void
test_tabs_expanded(void **state)
{
	(void)state;
	CHECK(TABS, "\tx", "        x");
	CHECK(TABS, "a\tb", "a       b");
	CHECK(TABS, "abcdefg\tX", "abcdefg X");
	CHECK(TABS, "abcdefgh\tX", "abcdefgh        X");
	CHECK(TABS, "\t\tx", "                x");
	CHECK(NL | TABS, "abc\n\tX", "abc\n        X");
	/* Without SAN_NEWLINES the ^J is two columns, not a new line. */
	CHECK(TABS, "ab\n\tX", "ab^J    X");
	/* Visible forms count their own width; removed sequences none. */
	CHECK(TABS, "\x01\tX", "^A      X");
	CHECK(TABS, "\xe2\x80\xae\tX", "<U+202E>        X");
	CHECK(TABS, "ab" ESC "[31m\tx", "ab      x");
	CHECK(TABS, "\xff\tX", R "       X");
}

static void
test_tabs_after_wide(void **state)
{
	(void)state;
	CHECK(TABS, "\xe4\xb8\xad\tx", "\xe4\xb8\xad      x");
	CHECK(TABS, "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97\tx",
	    "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97  x");
	CHECK(TABS, "\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80"
	    "\xf0\x9f\x98\x80\tx", "\xf0\x9f\x98\x80\xf0\x9f\x98\x80"
	    "\xf0\x9f\x98\x80\xf0\x9f\x98\x80        x");
	/* Combining acute: zero columns. */
	CHECK(TABS, "e\xcc\x81\tx", "e\xcc\x81       x");
	/* Fullwidth A is two columns, halfwidth katakana one. */
	CHECK(TABS, "\xef\xbc\xa1\tx", "\xef\xbc\xa1      x");
	CHECK(TABS, "\xef\xbd\xb1\tx", "\xef\xbd\xb1       x");
	CHECK(TABS, "a\xe4\xb8\xad" "b\tc", "a\xe4\xb8\xad" "b    c");
}

static void
test_tabs_not_expanded(void **state)
{
	(void)state;
	CHECK(0, "a\tb", "a^Ib");
	CHECK(NL, "a\tb", "a^Ib");
}

static void
test_osc_title(void **state)
{
	(void)state;
	CHECK(0, "before" ESC "]0;pwned\x07" "after", "beforeafter");
	CHECK(0, ESC "]2;title\x07", "");
	CHECK(0, "a" ESC "]0;pwned" ESC "\\b", "ab");
	CHECK(0, "a" ESC "]2;pwned" ESC "\\b", "ab");
	CHECK(0, ESC "]1;icon\x07" "x", "x");
	/* 8-bit ST ends a 7-bit OSC too. */
	CHECK(0, ESC "]0;t\xc2\x9c" "b", "b");
	/* xterm font op (CVE-2022-45063). */
	CHECK(0, ESC "]50;?\x07" "z", "z");
}

static void
test_osc52_clipboard(void **state)
{
	(void)state;
	CHECK(0, ESC "]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07" "ok", "ok");
	CHECK(0, ESC "]52;c;Y3VybCBldmlsLnNoIHwgc2g=" ESC "\\ok", "ok");
	CHECK(0, ESC "]52;c;?\x07", "");
}

static void
test_osc8_hyperlink(void **state)
{
	(void)state;
	CHECK(0, "see " ESC "]8;;https://evil.example/" ESC "\\click here"
	    ESC "]8;;" ESC "\\ now", "see click here now");
	CHECK(0, ESC "]8;id=1;http://x/\x07" "t" ESC "]8;;\x07", "t");
}

static void
test_sgr_removed(void **state)
{
	(void)state;
	CHECK(0, ESC "[1;31mERROR" ESC "[0m: x", "ERROR: x");
	CHECK(0, ESC "[38;2;255;0;0mred" ESC "[m", "red");
	CHECK(0, ESC "[38:5:196mX", "X");
	CHECK(NL, "[2024-01-01] " ESC "[32mINFO" ESC "[39m - ok\n",
	    "[2024-01-01] INFO - ok\n");
}

static void
test_cursor_csi_removed(void **state)
{
	(void)state;
	CHECK(0, ESC "[2J" ESC "[H" ESC "[10;20H" ESC "[3A" ESC "[K"
	    ESC "[?25l" ESC "[?1049h" ESC "[6n" ESC "[>c" ESC "[!p"
	    ESC "[ q" ESC "[21t" ESC "[1;1'zx", "x");
	CHECK(0, "over" ESC "[1Gwrite", "overwrite");
}

static void
test_dcs_apc_pm_sos(void **state)
{
	(void)state;
	/* DECRQSS (CVE-2008-2383, CVE-2022-45872). */
	CHECK(0, "a" ESC "P$q\"p" ESC "\\b", "ab");
	CHECK(0, ESC "P1;2|17/ab" ESC "\\", "");
	/* kitty graphics over APC. */
	CHECK(0, ESC "_Gf=100,a=T;AAAA" ESC "\\x", "x");
	CHECK(0, "p" ESC "^privacy message" ESC "\\q", "pq");
	CHECK(0, "s" ESC "Xstart of string" ESC "\\t", "st");
	CHECK(0, ESC "Pq#0;2;0;0;0\x07" "z", "z");
	/*
	 * tmux passthrough doubles the inner ESC: the DCS ends at the first
	 * ESC of the pair, which shows, and the inner OSC 52 is removed.
	 */
	CHECK(0, ESC "Ptmux;" ESC ESC "]52;c;ZGF0YQ==\x07" ESC "\\", "^[");
}

static void
test_c1_introducers(void **state)
{
	(void)state;
	CHECK(0, "\xc2\x9b" "31mred\xc2\x9b" "0m", "red");
	CHECK(0, "\xc2\x9b" "2J\xc2\x9b" "?1049hx", "x");
	CHECK(0, "\xc2\x9d" "0;title\x07" "x", "x");
	CHECK(0, "\xc2\x9d" "0;title\xc2\x9c" "x", "x");
	CHECK(0, "\xc2\x9d" "52;c;ZGF0YQ==" ESC "\\x", "x");
	CHECK(0, "\xc2\x90" "$q\"p\xc2\x9c" "y", "y");
	CHECK(0, "\xc2\x98" "sos\xc2\x9c" "y", "y");
	CHECK(0, "\xc2\x9e" "pm\xc2\x9c" "y", "y");
	CHECK(0, "\xc2\x9f" "apc\xc2\x9c" "y", "y");
	CHECK(0, "a\xc2\x9b", "a");
	/* Raw 8-bit bytes are not UTF-8, so not introducers either. */
	CHECK(0, "\x9b" "31m\x9d" "0;t\x07", R "31m" R "0;t^G");
}

static void
test_other_c1_visible(void **state)
{
	(void)state;
	CHECK(0, "a\xc2\x85" "b", "a<U+0085>b");
	CHECK(NL, "\xc2\x80\xc2\x8d\xc2\x8e\xc2\x9a",
	    "<U+0080><U+008D><U+008E><U+009A>");
	/* A lone ST is shown. */
	CHECK(0, "\xc2\x9c", "<U+009C>");
}

static void
test_two_byte_esc(void **state)
{
	(void)state;
	CHECK(0, "a" ESC "(Bb", "ab");
	CHECK(0, ESC "#8", "");
	CHECK(0, ESC "7x" ESC "8", "x");
	CHECK(0, "reset" ESC "c!", "reset!");
	CHECK(0, ESC "=" ESC ">" ESC "M" ESC "D" ESC "%G" ESC " F" ESC "\\",
	    "");
	CHECK(0, ESC "$)Ax", "x");
}

static void
test_lone_esc(void **state)
{
	(void)state;
	CHECK(0, "abc" ESC, "abc");
	CHECK(0, ESC, "");
	CHECK(NL, "a" ESC "\nb", "a^[\nb");
	CHECK(0, ESC ESC "[31mX", "^[X");
	CHECK(0, ESC "\xc3\xa9", "^[\xc3\xa9");
	CHECK(0, ESC "\x7f", "^[^?");
	CHECK(0, ESC "\t", "^[^I");
	CHECK(0, ESC "\0x", "^[^@x");
	CHECK(0, ESC "\xff", "^[" R);
	CHECK(0, ESC "\xc2\x85", "^[<U+0085>");
	CHECK(0, ESC "\xc2\x9b" "1mx", "^[x");
}

static void
test_unterminated_dropped(void **state)
{
	(void)state;
	CHECK(0, "a" ESC "]0;title", "a");
	CHECK(0, "a" ESC "[12", "a");
	CHECK(0, "a" ESC "P", "a");
	CHECK(0, "a" ESC "(", "a");
	CHECK(0, "a" ESC "]0;t" ESC, "a");
	CHECK(0, "a" ESC "]0;t\xe2\x82", "a");
}

static void
test_malformed_sequences(void **state)
{
	(void)state;
	/* A byte that cannot be in a CSI ends it, dropped, and is output. */
	CHECK(NL, ESC "[1\nX", "\nX");
	CHECK(0, ESC "[12\xc3\xa9", "\xc3\xa9");
	CHECK(0, ESC "[1\x7f" "X", "^?X");
	CHECK(0, ESC "[1" ESC "[31mX", "X");
	CHECK(NL, ESC "(\nX", "\nX");
	CHECK(0, ESC "[1\xc2\x85", "<U+0085>");
}

static void
test_string_cancelled(void **state)
{
	(void)state;
	CHECK(0, ESC "]0;t" ESC "[31mX", "X");
	CHECK(0, ESC "]0;t\x18" "X", "^XX");
	CHECK(0, ESC "]0;t\x1a" "X", "^ZX");
	CHECK(0, ESC "]0;t\xc2\x85" "X", "<U+0085>X");
	CHECK(0, ESC "]0;t\xc2\x9b" "1mX", "X");
	CHECK(0, ESC "]0;t" ESC "7X", "X");
	/* Other controls are part of the string. */
	CHECK(NL, ESC "]0;a\nb\r\0\x7f\007c", "c");
}

static void
test_bidi_visible(void **state)
{
	static const uint32_t	 bidi[] = {
		0x202a, 0x202b, 0x202c, 0x202d, 0x202e,
		0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c
	};
	static const char	*shown[] = {
		"a<U+202A>b", "a<U+202B>b", "a<U+202C>b", "a<U+202D>b",
		"a<U+202E>b", "a<U+2066>b", "a<U+2067>b", "a<U+2068>b",
		"a<U+2069>b", "a<U+200E>b", "a<U+200F>b", "a<U+061C>b"
	};
	char			 in[8];
	size_t			 i, n;

	(void)state;
	for (i = 0; i < sizeof bidi / sizeof bidi[0]; i++) {
		in[0] = 'a';
		n = 1 + encode(bidi[i], in + 1);
		in[n++] = 'b';
		check(in, n, 0, shown[i]);
	}
	/* Trojan Source, "stretched string". */
	CHECK(0, "if (access_level != \"user\xe2\x80\xae \xe2\x81\xa6// Check "
	    "if admin\xe2\x81\xa9 \xe2\x81\xa6\") {",
	    "if (access_level != \"user<U+202E> <U+2066>// Check if admin"
	    "<U+2069> <U+2066>\") {");
}

static void
test_invisible_visible(void **state)
{
	static const uint32_t	 hidden[] = {
		0x200b, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xfeff, 0x00ad,
		0x180e, 0x2028, 0x2029, 0x206a, 0x206f, 0xfff9, 0xfffb,
		0xe0001, 0xe0041, 0xe007f
	};
	static const char	*shown[] = {
		"<U+200B>", "<U+2060>", "<U+2061>", "<U+2062>", "<U+2063>",
		"<U+2064>", "<U+FEFF>", "<U+00AD>", "<U+180E>", "<U+2028>",
		"<U+2029>", "<U+206A>", "<U+206F>", "<U+FFF9>", "<U+FFFB>",
		"<U+E0001>", "<U+E0041>", "<U+E007F>"
	};
	char			 in[8];
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof hidden / sizeof hidden[0]; i++)
		check(in, encode(hidden[i], in), 0, shown[i]);
	CHECK(0, "task\xe2\x80\x8b_id", "task<U+200B>_id");
}

static void
test_joiners_and_selectors_kept(void **state)
{
	(void)state;
	/* ZWJ family, ZWNJ, VS16, VS1, CGJ, VS17. */
	CHECK(0, "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9",
	    "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9");
	CHECK(0, "\xd9\x85\xe2\x80\x8c\xd9\x8a",
	    "\xd9\x85\xe2\x80\x8c\xd9\x8a");
	CHECK(0, "\xe2\x9d\xa4\xef\xb8\x8f\xe2\x89\xa9\xef\xb8\x80"
	    "a\xcd\x8f" "b\xf3\xa0\x84\x80",
	    "\xe2\x9d\xa4\xef\xb8\x8f\xe2\x89\xa9\xef\xb8\x80"
	    "a\xcd\x8f" "b\xf3\xa0\x84\x80");
}

static void
test_cap_csi(void **state)
{
	struct buf	in = BUF_INIT, want = BUF_INIT;

	(void)state;
	/* ESC [ and 62 parameter bytes: 64, removed. */
	buf_puts(&in, ESC "[");
	put_repeat(&in, "1", 62);
	buf_puts(&in, "mX" ESC "[0mY");
	check(in.data, in.len, 0, "XY");

	/* One more: given up, shown, and later sequences still go. */
	buf_reset(&in);
	buf_puts(&in, ESC "[");
	put_repeat(&in, "1", 63);
	buf_puts(&in, "mX" ESC "[0mY");
	buf_puts(&want, "^[[");
	put_repeat(&want, "1", 63);
	buf_puts(&want, "mXY");
	check(in.data, in.len, 0, want.data);

	/* The two bytes of U+009B count. */
	buf_reset(&in);
	buf_puts(&in, "\xc2\x9b");
	put_repeat(&in, "1", 62);
	buf_puts(&in, "mX");
	check(in.data, in.len, 0, "X");
	buf_reset(&in);
	buf_puts(&in, "\xc2\x9b");
	put_repeat(&in, "1", 63);
	buf_puts(&in, "mX");
	buf_reset(&want);
	buf_puts(&want, "<U+009B>");
	put_repeat(&want, "1", 63);
	buf_puts(&want, "mX");
	check(in.data, in.len, 0, want.data);

	/* ESC with intermediates. */
	buf_reset(&in);
	buf_puts(&in, ESC);
	put_repeat(&in, " ", 63);
	buf_puts(&in, "Fx");
	check(in.data, in.len, 0, "x");
	buf_reset(&in);
	buf_puts(&in, ESC);
	put_repeat(&in, " ", 64);
	buf_puts(&in, "Fx");
	buf_reset(&want);
	buf_puts(&want, "^[");
	put_repeat(&want, " ", 64);
	buf_puts(&want, "Fx");
	check(in.data, in.len, 0, want.data);

	buf_free(&in);
	buf_free(&want);
}

static void
test_cap_string(void **state)
{
	struct buf	in = BUF_INIT, want = BUF_INIT;

	(void)state;
	/* ESC ] and 4094 bytes: 4096, removed. */
	buf_puts(&in, ESC "]");
	put_repeat(&in, "x", 4094);
	buf_puts(&in, "\x07Y");
	check(in.data, in.len, 0, "Y");

	buf_reset(&in);
	buf_puts(&in, ESC "]");
	put_repeat(&in, "x", 4095);
	buf_puts(&in, "\x07Y" ESC "]0;t\x07Z");
	buf_puts(&want, "^[]");
	put_repeat(&want, "x", 4095);
	buf_puts(&want, "^GYZ");
	check(in.data, in.len, 0, want.data);

	/* A character is never split by the cap. */
	buf_reset(&in);
	buf_puts(&in, ESC "]");
	put_repeat(&in, "x", 4092);
	buf_puts(&in, "\xc3\xa9\x07Y");
	check(in.data, in.len, 0, "Y");
	buf_reset(&in);
	buf_puts(&in, ESC "]");
	put_repeat(&in, "x", 4093);
	buf_puts(&in, "\xc3\xa9\x07Y");
	buf_reset(&want);
	buf_puts(&want, "^[]");
	put_repeat(&want, "x", 4093);
	buf_puts(&want, "\xc3\xa9^GY");
	check(in.data, in.len, 0, want.data);

	/* An ill-formed byte counts as the three bytes of U+FFFD. */
	buf_reset(&in);
	buf_puts(&in, ESC "]");
	put_repeat(&in, "x", 4091);
	buf_puts(&in, "\xff\x07Y");
	check(in.data, in.len, 0, "Y");
	buf_reset(&in);
	buf_puts(&in, ESC "]");
	put_repeat(&in, "x", 4092);
	buf_puts(&in, "\xff\x07Y");
	buf_reset(&want);
	buf_puts(&want, "^[]");
	put_repeat(&want, "x", 4092);
	buf_puts(&want, R "^GY");
	check(in.data, in.len, 0, want.data);

	/* 8-bit OSC. */
	buf_reset(&in);
	buf_puts(&in, "\xc2\x9d");
	put_repeat(&in, "x", 4095);
	buf_puts(&in, "\xc2\x9c");
	buf_reset(&want);
	buf_puts(&want, "<U+009D>");
	put_repeat(&want, "x", 4095);
	buf_puts(&want, "<U+009C>");
	check(in.data, in.len, 0, want.data);

	buf_free(&in);
	buf_free(&want);
}

/* What a given-up string had swallowed is output like any other text. */
static void
test_cap_replay(void **state)
{
	struct buf	in = BUF_INIT, want = BUF_INIT;

	(void)state;
	buf_puts(&in, ESC "]a\r\n\tb");
	put_repeat(&in, "x", 4090);
	buf_puts(&in, "\x07");
	buf_puts(&want, "^[]a\n        b");
	put_repeat(&want, "x", 4090);
	buf_puts(&want, "^G");
	check(in.data, in.len, NL | TABS, want.data);

	/* The CR was swallowed, the LF that follows gives the string up. */
	buf_reset(&in);
	buf_puts(&in, ESC "]");
	put_repeat(&in, "x", 4093);
	buf_puts(&in, "\r\nz");
	buf_reset(&want);
	buf_puts(&want, "^[]");
	put_repeat(&want, "x", 4093);
	buf_puts(&want, "\nz");
	check(in.data, in.len, NL, want.data);

	/* Tab stops continue from the text before the sequence. */
	buf_reset(&in);
	buf_puts(&in, "abc" ESC "]");
	put_repeat(&in, "\t", 4095);
	buf_reset(&want);
	buf_puts(&want, "abc^[]  ");
	put_repeat(&want, "        ", 4094);
	check(in.data, in.len, TABS, want.data);

	buf_free(&in);
	buf_free(&want);
}

/* Streaming equals one-shot for every split, including three-way ones. */
static void
test_split_everywhere(void **state)
{
	static const char	 in[] = "a" ESC "[31mb" ESC "]0;t\x07" "c"
	    ESC "]8;;u" ESC "\\d\xc2\x9b" "1me\xe4\xb8\xad\tf\r\ng"
	    "\xf0\x9f\x98\x80\xe2\x80\xae\xff\xe2\x82h" ESC "(Bi\r"
	    ESC "Px" ESC "\\\xed\xa0\x80j" ESC;
	static const char	*want[] = {
		"abcde\xe4\xb8\xad^If^M^Jg\xf0\x9f\x98\x80<U+202E>" R R "hi^M"
		    R R R "j",
		"abcde\xe4\xb8\xad^If\ng\xf0\x9f\x98\x80<U+202E>" R R "hi^M"
		    R R R "j",
		"abcde\xe4\xb8\xad f^M^Jg\xf0\x9f\x98\x80<U+202E>" R R
		    "hi^M" R R R "j",
		"abcde\xe4\xb8\xad f\ng\xf0\x9f\x98\x80<U+202E>" R R
		    "hi^M" R R R "j"
	};
	struct buf		 one = BUF_INIT, out = BUF_INIT;
	size_t			 len = sizeof in - 1, cuts[2];
	int			 flags;

	(void)state;
	for (flags = 0; flags < 4; flags++) {
		check(in, len, flags, want[flags]);
		buf_reset(&one);
		sanitize_append(&one, in, len, flags);
		for (cuts[0] = 0; cuts[0] <= len; cuts[0]++) {
			for (cuts[1] = cuts[0]; cuts[1] <= len; cuts[1]++) {
				buf_reset(&out);
				run_split(in, len, flags, cuts, 2, &out);
				assert_string_equal(buf_str(&out),
				    buf_str(&one));
			}
		}
	}
	buf_free(&one);
	buf_free(&out);
}

/* Markus Kuhn's UTF-8 decoder capability and stress test, sections 2-5. */
static void
test_kuhn_boundaries(void **state)
{
	(void)state;
	/* 2.1 first sequence of each length. */
	CHECK(0, "\0", "^@");
	CHECK(0, "\xc2\x80", "<U+0080>");
	CHECK(0, "\xe0\xa0\x80", "\xe0\xa0\x80");
	CHECK(0, "\xf0\x90\x80\x80", "\xf0\x90\x80\x80");
	CHECK(0, "\xf8\x88\x80\x80\x80", R R R R R);
	CHECK(0, "\xfc\x84\x80\x80\x80\x80", R R R R R R);
	/* 2.2 last sequence of each length. */
	CHECK(0, "\x7f", "^?");
	CHECK(0, "\xdf\xbf", "\xdf\xbf");
	CHECK(0, "\xef\xbf\xbf", "\xef\xbf\xbf");
	CHECK(0, "\xf7\xbf\xbf\xbf", R R R R);
	CHECK(0, "\xfb\xbf\xbf\xbf\xbf", R R R R R);
	CHECK(0, "\xfd\xbf\xbf\xbf\xbf\xbf", R R R R R R);
	/* 2.3 other boundaries. */
	CHECK(0, "\xed\x9f\xbf", "\xed\x9f\xbf");
	CHECK(0, "\xee\x80\x80", "\xee\x80\x80");
	CHECK(0, "\xef\xbf\xbd", "\xef\xbf\xbd");
	CHECK(0, "\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf");
	CHECK(0, "\xf4\x90\x80\x80", R R R R);
}

static void
test_kuhn_malformed(void **state)
{
	struct buf	in = BUF_INIT, want = BUF_INIT;
	int		b;

	(void)state;
	/* 3.1 unexpected continuation bytes. */
	CHECK(0, "\x80", R);
	CHECK(0, "\xbf", R);
	CHECK(0, "\x80\xbf", R R);
	CHECK(0, "\x80\xbf\x80\xbf\x80\xbf\x80", R R R R R R R);
	for (b = 0x80; b <= 0xbf; b++) {
		buf_putc(&in, (char)b);
		buf_puts(&want, R);
	}
	check(in.data, in.len, 0, want.data);

	/* 3.2 lonely start characters, each followed by a space. */
	buf_reset(&in);
	buf_reset(&want);
	for (b = 0xc0; b <= 0xfd; b++) {
		buf_putc(&in, (char)b);
		buf_putc(&in, ' ');
		buf_puts(&want, R " ");
	}
	check(in.data, in.len, 0, want.data);

	/* 3.3 sequences with the last continuation byte missing. */
	CHECK(0, "\xc0", R);
	CHECK(0, "\xe0\x80", R R);
	CHECK(0, "\xf0\x80\x80", R R R);
	CHECK(0, "\xf8\x80\x80\x80", R R R R);
	CHECK(0, "\xfc\x80\x80\x80\x80", R R R R R);
	CHECK(0, "\xdf", R);
	CHECK(0, "\xef\xbf", R);
	CHECK(0, "\xf7\xbf\xbf", R R R);
	CHECK(0, "\xfb\xbf\xbf\xbf", R R R R);
	CHECK(0, "\xfd\xbf\xbf\xbf\xbf", R R R R R);
	CHECK(0, "\xc2" "a\xe2\x82" "b\xf0\x9f\x98" "c\xf4\x8f\xbf",
	    R "a" R "b" R "c" R);
	/* 3.4 their concatenation. */
	CHECK(0, "\xc0\xe0\x80\xf0\x80\x80\xf8\x80\x80\x80\xfc\x80\x80\x80"
	    "\x80\xdf\xef\xbf\xf7\xbf\xbf\xfb\xbf\xbf\xbf\xfd\xbf\xbf\xbf"
	    "\xbf", R R R R R R R R R R R R R R R R R R R R R R R R R R R R R);
	/* 3.5 impossible bytes. */
	CHECK(0, "\xfe", R);
	CHECK(0, "\xff", R);
	CHECK(0, "\xfe\xfe\xff\xff", R R R R);
	/* 4.1 overlong "/". */
	CHECK(0, "\xc0\xaf", R R);
	CHECK(0, "\xe0\x80\xaf", R R R);
	CHECK(0, "\xf0\x80\x80\xaf", R R R R);
	CHECK(0, "\xf8\x80\x80\x80\xaf", R R R R R);
	CHECK(0, "\xfc\x80\x80\x80\x80\xaf", R R R R R R);
	/* 4.2 largest overlongs. */
	CHECK(0, "\xc1\xbf", R R);
	CHECK(0, "\xe0\x9f\xbf", R R R);
	CHECK(0, "\xf0\x8f\xbf\xbf", R R R R);
	/* 4.3 overlong NUL, and overlong ESC never becomes an ESC. */
	CHECK(0, "\xc0\x80", R R);
	CHECK(0, "\xe0\x80\x80", R R R);
	CHECK(0, "\xc0\x9b[31mx", R R "[31mx");
	CHECK(0, "\xe0\x80\x9b[31mx", R R R "[31mx");
	/* 5.1 single surrogates. */
	CHECK(0, "\xed\xa0\x80", R R R);
	CHECK(0, "\xed\xad\xbf", R R R);
	CHECK(0, "\xed\xae\x80", R R R);
	CHECK(0, "\xed\xaf\xbf", R R R);
	CHECK(0, "\xed\xb0\x80", R R R);
	CHECK(0, "\xed\xbe\x80", R R R);
	CHECK(0, "\xed\xbf\xbf", R R R);
	/* 5.2 paired surrogates. */
	CHECK(0, "\xed\xa0\x80\xed\xb0\x80", R R R R R R);
	CHECK(0, "\xed\xaf\xbf\xed\xbf\xbf", R R R R R R);
	/* 5.3 noncharacters are well-formed. */
	CHECK(0, "\xef\xbf\xbe\xef\xb7\x90", "\xef\xbf\xbe\xef\xb7\x90");

	buf_free(&in);
	buf_free(&want);
}

/* Unicode 15 ch. 3, "U+FFFD Substitution of Maximal Subparts", table 3-8. */
static void
test_maximal_subpart_example(void **state)
{
	(void)state;
	CHECK(0, "a\xf1\x80\x80\xe1\x80\xc2" "b\x80" "c\x80\xbf" "d",
	    "a" R R R "b" R "c" R R "d");
}

static void
test_finish(void **state)
{
	struct sanitizer	*s = malloc(sizeof *s);
	struct buf		 out = BUF_INIT;

	(void)state;
	assert_non_null(s);
	CHECK(0, "a\xe2\x82", "a" R);

	/* After finish the sanitizer starts a new input. */
	sanitize_init(s, TABS);
	sanitize_feed(s, &out, "abc\xe2\x82", 5);
	sanitize_finish(s, &out);
	sanitize_feed(s, &out, "\xac\tx" ESC "]0;", 7);
	sanitize_finish(s, &out);
	sanitize_feed(s, &out, "y", 1);
	sanitize_finish(s, &out);
	assert_string_equal(buf_str(&out), "abc" R R "       xy");

	buf_reset(&out);
	sanitize_init(s, NL);
	sanitize_feed(s, &out, "a\r", 2);
	sanitize_finish(s, &out);
	sanitize_feed(s, &out, "\nb", 2);
	sanitize_finish(s, &out);
	sanitize_feed(s, &out, NULL, 0);
	sanitize_finish(s, &out);
	assert_string_equal(buf_str(&out), "a^M\nb");

	buf_free(&out);
	free(s);
}

static void
test_dup(void **state)
{
	char	*s;

	(void)state;
	s = sanitize_dup(NULL, 0);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
	s = sanitize_dup("", NL);
	assert_string_equal(s, "");
	free(s);
	s = sanitize_dup("a" ESC "[31mb\x01\n", 0);
	assert_string_equal(s, "ab^A^J");
	free(s);
	s = sanitize_dup("a" ESC "[31mb\x01\r\n", NL);
	assert_string_equal(s, "ab^A\n");
	free(s);
}

static void
test_append_keeps_buffer(void **state)
{
	struct buf	out = BUF_INIT;

	(void)state;
	buf_puts(&out, "dag: ");
	sanitize_append(&out, "etl" ESC "]0;x\x07_daily", 15, 0);
	sanitize_append(&out, "\xe2\x80\xae", 3, 0);
	assert_string_equal(buf_str(&out), "dag: etl_daily<U+202E>");
	buf_free(&out);
}

static void
test_utf8_decode(void **state)
{
	uint32_t	cp = 0;

	(void)state;
	assert_int_equal(utf8_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 0x41);
	assert_int_equal(utf8_decode("\0", 1, &cp), 1);
	assert_int_equal(cp, 0);
	assert_int_equal(utf8_decode("\xc3\xa9", 2, &cp), 2);
	assert_int_equal(cp, 0xe9);
	assert_int_equal(utf8_decode("\xe4\xb8\xad", 3, &cp), 3);
	assert_int_equal(cp, 0x4e2d);
	assert_int_equal(utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1f600);
	assert_int_equal(utf8_decode("\xf4\x8f\xbf\xbf", 4, &cp), 4);
	assert_int_equal(cp, 0x10ffff);
	cp = 7;
	assert_int_equal(utf8_decode("", 0, &cp), 0);
	assert_int_equal(cp, 7);

	assert_int_equal(utf8_decode("\x80", 1, &cp), -1);
	assert_int_equal(cp, 0xfffd);
	cp = 0;
	assert_int_equal(utf8_decode("\xe2\x82", 2, &cp), -2);
	assert_int_equal(cp, 0xfffd);
	assert_int_equal(utf8_decode("\xe2\x82" "A", 3, &cp), -2);
	assert_int_equal(utf8_decode("\xe2\x82\xac", 2, &cp), -2);
	assert_int_equal(utf8_decode("\xf0\x9f\x98" "A", 4, &cp), -3);
	assert_int_equal(utf8_decode("\xf0\x80\x80\x80", 4, &cp), -1);
	assert_int_equal(utf8_decode("\xed\xa0\x80", 3, &cp), -1);
	assert_int_equal(utf8_decode("\xf4\x90\x80\x80", 4, &cp), -1);
	assert_int_equal(utf8_decode("\xc0\xaf", 2, &cp), -1);
	assert_int_equal(utf8_decode("\xf5\x80\x80\x80", 4, &cp), -1);
	assert_int_equal(utf8_decode("\xff", 1, &cp), -1);
	assert_int_equal(cp, 0xfffd);
}

static void
test_text_width(void **state)
{
#define W(s)	text_width((s), sizeof(s) - 1)
	(void)state;
	assert_int_equal(W(""), 0);
	assert_int_equal(W("abc"), 3);
	assert_int_equal(W("\xe4\xb8\xad\xe6\x96\x87"), 4);	/* CJK */
	assert_int_equal(W("\xe3\x81\x82\xe3\x80\x80"), 4);	/* U+3000 */
	assert_int_equal(W("\xed\x95\x9c"), 2);			/* Hangul */
	assert_int_equal(W("\xe1\x84\x80\xe1\x85\xa1"), 2);	/* jamo L V */
	assert_int_equal(W("\xed\x9e\xa3\xed\x9e\xb0"), 2);	/* D7A3 D7B0 */
	assert_int_equal(W("\xf0\xa0\x80\x80"), 2);		/* U+20000 */
	assert_int_equal(W("\xf0\xaf\xbf\xbd"), 2);		/* U+2FFFD */
	assert_int_equal(W("\xef\xbc\xa1\xef\xbd\xb1"), 3);	/* FF21 FF71 */
	assert_int_equal(W("\xf0\x9f\x98\x80"), 2);		/* emoji */
	assert_int_equal(W("\xe2\x8c\x9a"), 2);			/* U+231A */
	/* Per code point: ZWJ sequences and flags are not clustered. */
	assert_int_equal(W("\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9"
	    "\xe2\x80\x8d\xf0\x9f\x91\xa7"), 6);
	assert_int_equal(W("\xf0\x9f\x87\xab\xf0\x9f\x87\xb7"), 4);
	assert_int_equal(W("\xe2\x98\xba\xef\xb8\x8f"), 1);	/* 263A VS16 */
	assert_int_equal(W("e\xcc\x81"), 1);			/* combining */
	assert_int_equal(W("\xe2\x83\x9d"), 0);			/* Me U+20DD */
	assert_int_equal(W("\xe3\x80\xaa"), 0);			/* Mn, EAW W */
	assert_int_equal(W("\xe2\x80\x8b\xe2\x80\x8c\xef\xbb\xbf"), 0);
	assert_int_equal(W("\xf3\xa0\x84\x80"), 0);		/* VS17 */
	assert_int_equal(W("\xc2\xad\xd8\x80"), 2);		/* 00AD 0600 */
	assert_int_equal(W("\xe2\x91\xa0"), 1);			/* ambiguous */
	assert_int_equal(W("\xef\xbf\xbd\xff\xe2\x82"), 3);	/* U+FFFD */
	assert_int_equal(W("\t\n\x1b\x7f\xc2\x85"), 0);
#undef W
	assert_int_equal(text_cp_width(0x1100), 2);
	assert_int_equal(text_cp_width(0x115f), 2);
	assert_int_equal(text_cp_width(0x1160), 0);
	assert_int_equal(text_cp_width(0x3fffd), 2);
	assert_int_equal(text_cp_width(0x40000), 1);
	assert_int_equal(text_cp_width(0x1f1e6), 2);
	assert_int_equal(text_cp_width(0xfe0f), 0);
	assert_int_equal(text_cp_width(0xa0), 1);
}

static void
test_text_fit(void **state)
{
	static const char	cjk[] = "\xe4\xb8\xad\xe6\x96\x87";
	static const char	mark[] = "e\xcc\x81x";
	static const char	emoji[] = "ab\xf0\x9f\x98\x80" "c";
	size_t			used = 99;

	(void)state;
	assert_int_equal(text_fit(cjk, 6, 3, &used), 3);
	assert_int_equal(used, 2);
	assert_int_equal(text_fit(cjk, 6, 4, &used), 6);
	assert_int_equal(used, 4);
	assert_int_equal(text_fit(cjk, 6, 100, &used), 6);
	assert_int_equal(used, 4);
	assert_int_equal(text_fit(cjk, 6, 1, &used), 0);
	assert_int_equal(used, 0);
	assert_int_equal(text_fit(cjk, 6, 0, &used), 0);
	assert_int_equal(used, 0);
	/* A combining mark stays with its base. */
	assert_int_equal(text_fit(mark, 4, 1, &used), 3);
	assert_int_equal(used, 1);
	assert_int_equal(text_fit(mark, 4, 2, &used), 4);
	assert_int_equal(used, 2);
	assert_int_equal(text_fit("\xcc\x81" "a", 3, 0, &used), 2);
	assert_int_equal(used, 0);
	assert_int_equal(text_fit(emoji, 7, 3, &used), 2);
	assert_int_equal(used, 2);
	assert_int_equal(text_fit(emoji, 7, 4, &used), 6);
	assert_int_equal(used, 4);
	/* An ill-formed subsequence is one column and never split. */
	assert_int_equal(text_fit("\xe2\x82" "ab", 4, 1, &used), 2);
	assert_int_equal(used, 1);
	assert_int_equal(text_fit("\xff" "ab", 3, 2, &used), 2);
	assert_int_equal(used, 2);
	assert_int_equal(text_fit("abc", 3, 2, NULL), 2);
	assert_int_equal(text_fit("", 0, 5, &used), 0);
	assert_int_equal(used, 0);
}

/* Identifiers: sequences shown as text, never removed or obeyed. */
static void
test_show_escapes(void **state)
{
	(void)state;
	CHECK(SAN_SHOW_ESCAPES, "we'ird" ESC "[31mdag", "we'ird^[[31mdag");
	CHECK(SAN_SHOW_ESCAPES, "t" ESC "]0;pwned\a", "t^[]0;pwned^G");
	CHECK(SAN_SHOW_ESCAPES, "a\xc2\x9b" "2Jb", "a<U+009B>2Jb");
	CHECK(SAN_SHOW_ESCAPES, "x\xe2\x80\xaey", "x<U+202E>y");
	CHECK(SAN_SHOW_ESCAPES | NL, "l1\r\nl2" ESC, "l1\nl2^[");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_printable_kept),
		cmocka_unit_test(test_c0_caret),
		cmocka_unit_test(test_nul_in_middle),
		cmocka_unit_test(test_newlines),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_tabs_expanded),
		cmocka_unit_test(test_tabs_after_wide),
		cmocka_unit_test(test_tabs_not_expanded),
		cmocka_unit_test(test_osc_title),
		cmocka_unit_test(test_osc52_clipboard),
		cmocka_unit_test(test_osc8_hyperlink),
		cmocka_unit_test(test_sgr_removed),
		cmocka_unit_test(test_cursor_csi_removed),
		cmocka_unit_test(test_dcs_apc_pm_sos),
		cmocka_unit_test(test_c1_introducers),
		cmocka_unit_test(test_other_c1_visible),
		cmocka_unit_test(test_two_byte_esc),
		cmocka_unit_test(test_lone_esc),
		cmocka_unit_test(test_unterminated_dropped),
		cmocka_unit_test(test_malformed_sequences),
		cmocka_unit_test(test_string_cancelled),
		cmocka_unit_test(test_bidi_visible),
		cmocka_unit_test(test_invisible_visible),
		cmocka_unit_test(test_joiners_and_selectors_kept),
		cmocka_unit_test(test_cap_csi),
		cmocka_unit_test(test_cap_string),
		cmocka_unit_test(test_cap_replay),
		cmocka_unit_test(test_split_everywhere),
		cmocka_unit_test(test_kuhn_boundaries),
		cmocka_unit_test(test_kuhn_malformed),
		cmocka_unit_test(test_maximal_subpart_example),
		cmocka_unit_test(test_finish),
		cmocka_unit_test(test_dup),
		cmocka_unit_test(test_append_keeps_buffer),
		cmocka_unit_test(test_utf8_decode),
		cmocka_unit_test(test_text_width),
		cmocka_unit_test(test_text_fit),
		cmocka_unit_test(test_show_escapes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
