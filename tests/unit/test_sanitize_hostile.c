/*
 * test_sanitize_hostile.c: the sanitiser against hostile text, checked by
 * property rather than by exact output.  For every case, every flag set
 * and every way of cutting the input into two feeds (and one byte at a
 * time), the output must be valid UTF-8 with no ESC, BEL, NUL or other C0
 * control (but '\n' under SAN_NEWLINES), no DEL, no C1 control (U+0080 to
 * U+009F), no bidi override, embedding, isolate or mark, and must be the
 * one-shot output.  Cases also say which text must survive and which must
 * be gone (a hyperlink's URL, a title, clipboard data).
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

struct hostile {
	const char	*name;
	const char	*in;
	size_t		 len;		/* 0: strlen(in) */
	const char	*keep;		/* must be in the output, or NULL */
	const char	*gone;		/* must not be, or NULL */
};

#define CASE(n, s, k, g)	{ n, s, 0, k, g }
#define CASEN(n, s, k, g)	{ n, s, sizeof s - 1, k, g }

static const struct hostile cases[] = {
	/* CSI */
	CASE("csi colour", "\033[31;1mred\033[0m!", "red", "[31"),
	CASE("csi cursor", "\033[2J\033[H\033[10;20Hhome\033[K\033[?25l",
	    "home", "[?25"),
	CASE("csi private and intermediates", "\033[?1049h\033[>4;1m\033[ qx",
	    "x", "1049"),
	CASE("csi over the cap", "\033[1111111111111111111111111111111111111"
	    "111111111111111111111111111111111111111111111111111111111111m"
	    "after", "after", NULL),
	CASE("csi cancelled", "a\033[31\030b\033[1\032c", "a", NULL),
	/* OSC */
	CASE("osc 0 title bel", "\033]0;pwned title\007after", "after",
	    "pwned"),
	CASE("osc 2 title st", "\033]2;pwned title\033\\after", "after",
	    "pwned"),
	CASE("osc 8 st", "\033]8;;http://evil.example/\033\\click\033]8;;"
	    "\033\\ here", "click", "evil.example"),
	CASE("osc 8 bel", "\033]8;id=1;http://evil.example/\007click"
	    "\033]8;;\007 here", "click", "evil.example"),
	CASE("osc 52 clipboard", "\033]52;c;ZWNobyBwd25lZA==\007done", "done",
	    "ZWNob"),
	CASE("osc 52 query", "\033]52;c;?\033\\done", "done", NULL),
	CASE("osc with esc inside", "\033]0;a\033[31mb\007c", "c", NULL),
	CASE("osc unterminated", "text\033]0;never ends", "text", "never"),
	/* DCS, APC, SOS, PM */
	CASE("dcs decrqss", "\033P$qm\033\\x", "x", "$qm"),
	CASE("dcs sixel", "\033Pq#0;2;0;0;0#0~~@@vv@@~~$-\033\\after", "after",
	    "~~@@"),
	CASE("apc kitty graphics", "\033_Gf=24,s=1;AAAA\033\\after", "after",
	    "AAAA"),
	CASE("sos", "\033Xsos body\033\\after", "after", "sos body"),
	CASE("pm", "\033^pm body\033\\after", "after", "pm body"),
	/* Raw 8-bit C1: ill-formed UTF-8, so U+FFFD. */
	CASE("raw csi 9b", "\23331mtext\2330m", "text", NULL),
	CASE("raw osc 9d", "\2350;title\007after", "after", NULL),
	CASE("raw dcs 90", "\220dcs\234after", "after", NULL),
	CASE("raw c1 all", "\200\201\205\215\216\217\220\233\234\235\236\237",
	    NULL, NULL),
	/* UTF-8 encoded C1 */
	CASE("utf8 csi", "\302\23331mred\302\2330m", "red", NULL),
	CASE("utf8 osc", "\302\2350;pwned\302\234after", "after", "pwned"),
	CASE("utf8 osc bel", "\302\2358;;http://evil.example/\007x", "x",
	    "evil"),
	CASE("utf8 dcs", "\302\220dcs\302\234after", "after", "dcs"),
	CASE("utf8 apc sos pm", "\302\237a\302\234\302\230b\302\234\302\236c"
	    "\302\234d", "d", NULL),
	CASE("utf8 nel and others", "a\302\205b\302\200c\302\237", "a", NULL),
	/* Single controls */
	CASE("bel", "ding\007dong", "dong", NULL),
	CASE("del", "a\177b", "b", NULL),
	CASEN("nul", "a\0b\0", "b", NULL),
	CASE("c0 all", "\001\002\003\004\005\006\010\013\014\016\017\020\021"
	    "\022\023\024\025\026\027\031\034\035\036\037", NULL, NULL),
	CASE("cr", "a\rb\r\nc\r", "c", NULL),
	CASE("lone esc", "text\033", "text", NULL),
	CASE("esc esc", "\033\033[31mx\033\033\033", "x", NULL),
	CASE("esc nF", "\033(0lqk\033(B", "lqk", NULL),
	CASE("esc c reset", "\033cafter\0337\0338", "after", NULL),
	/* Bidi and invisible format characters */
	CASE("bidi embeddings", "a\342\200\252b\342\200\253c\342\200\254d"
	    "\342\200\255e\342\200\256f", "f", NULL),
	CASE("bidi isolates", "a\342\201\246b\342\201\247c\342\201\250d"
	    "\342\201\251e", "e", NULL),
	CASE("bidi marks", "\342\200\216\342\200\217\330\234x", "x", NULL),
	CASE("trojan source", "if (admin) { \342\200\256 } \342\201\246"
	    "// check later\342\201\251 {", "admin", NULL),
	/* Ill-formed UTF-8 */
	CASE("overlong slash", "\300\257\340\200\257\360\200\200\257", NULL,
	    NULL),
	CASE("overlong esc", "\300\233[31mx\340\200\233", "x", NULL),
	CASE("overlong c1", "\301\277\341\202\233", NULL, NULL),
	CASE("surrogates", "\355\240\200\355\277\277\355\240\275\355\270\200",
	    NULL, NULL),
	CASE("five and six bytes", "\370\210\200\200\200\374\204\200\200\200"
	    "\200", NULL, NULL),
	CASE("beyond u+10ffff", "\364\220\200\200\367\277\277\277", NULL,
	    NULL),
	CASE("fe ff", "\376\377\377\376", NULL, NULL),
	CASE("truncated", "ok\342\202", "ok", NULL),
	CASE("stray continuation", "\200\277x\277", "x", NULL),
	/* Tabs next to wide characters */
	CASE("tabs and cjk", "\346\274\242\tx\t\345\255\227\033[1m\t|"
	    "\346\274\242\346\274\242\t.", "|", NULL),
	CASE("tab after combining", "e\314\201\t\360\237\230\200\tz", "z",
	    NULL),
};

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
	return 0;
}

/* The promised properties, on the bytes too (not only via the decoder). */
static void
check_clean(const struct buf *out, int flags, const char *name)
{
	size_t			off = 0;
	uint32_t		cp;
	int			n;
	const unsigned char	*s = (const unsigned char *)buf_str(out);

	for (off = 0; off < out->len; off++) {
		if (s[off] == 0x1b || s[off] == 0x07 || s[off] == 0x7f ||
		    (s[off] < 0x20 && !(s[off] == '\n' &&
		    (flags & SAN_NEWLINES))))
			fail_msg("%s: byte 0x%02x at %zu", name, s[off], off);
		if (s[off] == 0xc2 && off + 1 < out->len && s[off + 1] >= 0x80 &&
		    s[off + 1] <= 0x9f)
			fail_msg("%s: C1 at %zu", name, off);
	}
	for (off = 0; off < out->len; off += (size_t)n) {
		n = utf8_decode((const char *)s + off, out->len - off, &cp);
		if (n <= 0)
			fail_msg("%s: ill-formed UTF-8 at %zu", name, off);
		if (forbidden(cp, flags))
			fail_msg("%s: U+%04X at %zu", name, (unsigned)cp, off);
	}
}

static void
feed_split(const char *in, size_t len, int flags, size_t a, size_t b,
    struct buf *out)
{
	struct sanitizer	*s = malloc(sizeof *s);

	assert_non_null(s);
	sanitize_init(s, flags);
	sanitize_feed(s, out, in, a);
	sanitize_feed(s, out, in + a, b - a);
	sanitize_feed(s, out, in + b, len - b);
	sanitize_finish(s, out);
	free(s);
}

static const int flag_sets[] = {
	0, SAN_NEWLINES, SAN_TABS, SAN_NEWLINES | SAN_TABS,
	SAN_SHOW_ESCAPES, SAN_SHOW_ESCAPES | SAN_NEWLINES | SAN_TABS,
};

static void
check_input(const char *name, const char *in, size_t len, const char *keep,
    const char *gone, int every3)
{
	struct buf	 one = BUF_INIT, split = BUF_INIT, again = BUF_INIT;
	size_t		 f, a, b;
	int		 flags;

	for (f = 0; f < sizeof flag_sets / sizeof flag_sets[0]; f++) {
		flags = flag_sets[f];
		buf_reset(&one);
		sanitize_append(&one, in, len, flags);
		check_clean(&one, flags, name);
		if (keep != NULL)
			assert_non_null(strstr(buf_str(&one), keep));
		if (gone != NULL && !(flags & SAN_SHOW_ESCAPES))
			assert_null(strstr(buf_str(&one), gone));
		/*
		 * Every split point of the input into two feeds (past 1 KB,
		 * every point near the ends and every 13th between).
		 */
		for (a = 0; a <= len; a += (len > 1024 && a >= 512 &&
		    a + 512 < len) ? 13 : 1) {
			buf_reset(&split);
			feed_split(in, len, flags, a, a, &split);
			check_clean(&split, flags, name);
			assert_int_equal(split.len, one.len);
			assert_memory_equal(split.data, one.data, one.len);
		}
		/* Three feeds, around every pair of points (small inputs). */
		for (a = 0; every3 && a <= len; a++)
			for (b = a; b <= len; b++) {
				buf_reset(&split);
				feed_split(in, len, flags, a, b, &split);
				assert_int_equal(split.len, one.len);
				assert_memory_equal(split.data, one.data,
				    one.len);
			}
		/* Clean output is a fixed point. */
		buf_reset(&again);
		sanitize_append(&again, one.data, one.len, flags);
		assert_int_equal(again.len, one.len);
		assert_memory_equal(again.data, one.data, one.len);
	}
	buf_free(&one);
	buf_free(&split);
	buf_free(&again);
}

static void
test_cases(void **state)
{
	const struct hostile	*c;
	size_t			 i, len;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		c = &cases[i];
		len = c->len ? c->len : strlen(c->in);
		check_input(c->name, c->in, len, c->keep, c->gone, len <= 48);
	}
}

/* All the cases back to back: sequences meet their neighbours' bytes. */
static void
test_concatenated(void **state)
{
	struct buf	all = BUF_INIT;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_append(&all, cases[i].in, cases[i].len ? cases[i].len :
		    strlen(cases[i].in));
		buf_putc(&all, '\n');
	}
	check_input("all", all.data, all.len, NULL, NULL, 0);
	buf_free(&all);
}

/*
 * An ESC (or a UTF-8 C1 introducer) split from the rest of its sequence at
 * every offset, in a long OSC that hits the string cap.
 */
static void
test_long_sequences(void **state)
{
	struct buf	in = BUF_INIT;
	size_t		i;

	(void)state;
	buf_puts(&in, "x\033]0;");
	for (i = 0; i < SAN_STRING_MAX + 10; i++)
		buf_putc(&in, (char)('A' + i % 26));
	buf_puts(&in, "\007y\302\235");
	for (i = 0; i < SAN_STRING_MAX / 2; i++)
		buf_puts(&in, "\033[");
	buf_puts(&in, "\302\234z");
	check_input("long", in.data, in.len, "z", NULL, 0);
	buf_free(&in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_concatenated),
		cmocka_unit_test(test_long_sequences),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
