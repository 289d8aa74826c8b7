/* htmltext.c: text from outside escaped for HTML and XML (htmltext.h). */
#include <string.h>

#include "htmltext.h"
#include "sanitize.h"

void
html_text(struct buf *b, const char *s)
{
	struct buf	 t = BUF_INIT;
	const char	*p;

	if (s == NULL) {
		buf_putc(b, '-');
		return;
	}
	sanitize_append(&t, s, strlen(s), SAN_SHOW_ESCAPES);
	for (p = buf_str(&t); *p != '\0'; p++) {
		switch (*p) {
		case '&':
			buf_puts(b, "&amp;");
			break;
		case '<':
			buf_puts(b, "&lt;");
			break;
		case '>':
			buf_puts(b, "&gt;");
			break;
		case '"':
			buf_puts(b, "&quot;");
			break;
		case '\'':
			buf_puts(b, "&#39;");
			break;
		case '\xef':
			/* U+FFFE and U+FFFF: EF BF BE, EF BF BF. */
			if (p[1] == '\xbf' && (p[2] == '\xbe' || p[2] == '\xbf')) {
				buf_puts(b, SAN_REPLACEMENT);
				p += 2;
				break;
			}
			/* FALLTHROUGH */
		default:
			buf_putc(b, *p);
			break;
		}
	}
	buf_free(&t);
}
