/*
 * digest_html.c: the weekly digest's page (digest_doc.h) as one XHTML
 * document for mail.  What mail clients show alike (Gmail, Outlook, Apple
 * Mail) decides the form:
 *
 *  - tables for layout, every style inline on the element it styles (Gmail
 *    drops or rewrites <style> blocks, so nothing depends on one), no class;
 *  - no script, no event attribute, no form, and nothing fetched: no
 *    external image, font, stylesheet or link, so that the page reads the
 *    same offline and behind image blocking;
 *  - charts as table-cell bars: the 26-week trend is a row of cells whose
 *    heights are the weeks' compliance.  Not inline SVG, which Gmail and
 *    Outlook (Word's renderer) do not show reliably; not images, which
 *    would be fetched or attached;
 *  - colour is never alone: every coloured cell says the same in words
 *    ("late 25m", "failed", "WARNING"), and bad cells are bold too;
 *  - well-formed XML (XHTML 1.0 markup, numeric character references
 *    only, no named entity but the five of XML), so a strict XML parser
 *    reads it (tests/tools/check_digest_html.py does).
 *
 * Every span of text, dagtop's own words included, goes through html_text:
 * sanitised as for a terminal (invalid UTF-8 replaced, escape sequences and
 * controls shown as text, never obeyed), then & < > " ' escaped.
 */
#include <stdlib.h>
#include <string.h>

#include "digest_doc.h"
#include "htmltext.h"

#define FONT	"font-family:Arial,Helvetica,sans-serif;"
/* The bars' full height, in pixels. */
#define BAR_PX	20

static void
html_cell_text(struct buf *b, const struct doc_cell *c)
{
	size_t i;

	for (i = 0; i < c->nsp; i++)
		html_text(b, c->sp[i].s);
}

/* The colours of a tone (background, text), or NULL for none. */
static const char *
tone_style(enum doc_tone t)
{
	switch (t) {
	case TONE_GOOD:
		return "background-color:#e6f4ea;color:#1e4620;";
	case TONE_WARN:
		return "background-color:#fff4e5;color:#663c00;";
	case TONE_BAD:
		return "background-color:#fdecea;color:#7f1d1d;"
		    "font-weight:bold;";
	case TONE_MUTED:
		return "color:#666666;";
	default:
		return "";
	}
}

/*
 * A trend strip as bars: one cell a week, bottom-aligned in a row of
 * BAR_PX, its height the week's compliance (at least 2px so 0% shows), a
 * 1px grey stub for a week with nothing judged; each bar's title says its
 * figure.  The cell's Unicode strip follows in small type, for clients
 * that drop the bars' heights.  Attributes (height, width, bgcolor) rather
 * than styles for the bar itself: Outlook's Word renderer honours them on
 * a cell, and they keep a bar near 200 bytes, since Gmail clips a message
 * past 102 kB.
 */
static void
html_strip(struct buf *b, const struct doc_cell *c)
{
	size_t i;

	buf_printf(b, "<table role=\"presentation\" cellpadding=\"0\" "
	    "cellspacing=\"0\" border=\"0\"><tr style=\"height:%dpx\">",
	    BAR_PX);
	for (i = 0; i < c->nstrip; i++) {
		double	v = c->strip[i];
		int	px = v < 0 ? 1 : (int)(v * BAR_PX + 0.5);
		const char *colour = v < 0 ? "#cccccc" : v >= 0.9995 ?
		    "#2e7d32" : v >= 0.9 ? "#f9a825" : "#c62828";

		if (v >= 0 && px < 2)
			px = 2;
		buf_puts(b, "<td style=\"vertical-align:bottom;padding:0 1px 0 0\"");
		if (v < 0)
			buf_puts(b, " title=\"nothing judged\"");
		else
			buf_printf(b, " title=\"%.1f%%\"", v * 100);
		buf_printf(b, "><table cellpadding=\"0\" cellspacing=\"0\" "
		    "border=\"0\"><tr><td height=\"%d\" width=\"5\" "
		    "bgcolor=\"%s\" style=\"font-size:1px;line-height:1px\">"
		    "&#160;</td></tr></table></td>", px, colour);
	}
	buf_puts(b, "</tr></table><div style=\"font-size:10px;color:#666666\">");
	html_cell_text(b, c);
	buf_puts(b, "</div>");
}

/*
 * A table of figures: cell borders from the border attribute, alignment
 * from align and valign, a style only on a cell with a tone, so that a
 * long digest stays well under Gmail's 102 kB clipping.  word-break lets
 * a 200-character DAG id wrap where clients allow it (not Outlook's Word
 * renderer, which widens the table instead).
 */
static void
html_table(struct buf *b, const struct doc_table *t)
{
	size_t r, k;

	buf_puts(b, "<table cellpadding=\"4\" cellspacing=\"0\" border=\"1\" "
	    "style=\"border-collapse:collapse;border-color:#cccccc;"
	    "margin:0 0 12px 0;word-break:break-word;" FONT "font-size:13px\">"
	    "\n<tr>");
	for (k = 0; k < t->ncols; k++) {
		buf_printf(b, "<th align=\"%s\" style=\"background-color:"
		    "#f0f0f0\">", t->right >> k & 1 ? "right" : "left");
		html_cell_text(b, &t->head[k]);
		buf_puts(b, "</th>");
	}
	buf_puts(b, "</tr>\n");
	for (r = 0; r < t->nrows; r++) {
		buf_puts(b, "<tr valign=\"top\">");
		for (k = 0; k < t->ncols; k++) {
			const struct doc_cell *c = &t->rows[r * t->ncols + k];

			buf_puts(b, "<td");
			if (t->right >> k & 1)
				buf_puts(b, " align=\"right\"");
			if (c->tone != TONE_NONE)
				buf_printf(b, " style=\"%s\"", tone_style(c->tone));
			buf_putc(b, '>');
			if (c->nstrip > 0)
				html_strip(b, c);
			else
				html_cell_text(b, c);
			buf_puts(b, "</td>");
		}
		buf_puts(b, "</tr>\n");
	}
	buf_puts(b, "</table>\n");
}

void
doc_write_html(struct buf *b, const struct doc *doc, const char *title)
{
	size_t i;

	buf_puts(b, "<!DOCTYPE html>\n"
	    "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\" "
	    "xml:lang=\"en\">\n<head>\n"
	    "<meta http-equiv=\"Content-Type\" content=\"text/html; "
	    "charset=UTF-8\" />\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1.0\" />\n<title>");
	html_text(b, title);
	buf_puts(b, "</title>\n</head>\n"
	    "<body style=\"margin:0;padding:0;background-color:#f4f4f4\">\n"
	    "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" "
	    "cellspacing=\"0\" border=\"0\" style=\"background-color:#f4f4f4\">"
	    "<tr><td align=\"center\" style=\"padding:16px\">\n"
	    "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" "
	    "cellspacing=\"0\" border=\"0\" style=\"max-width:760px;"
	    "background-color:#ffffff;" FONT "font-size:14px;"
	    "line-height:1.4;color:#222222\"><tr><td align=\"left\" "
	    "style=\"padding:16px 20px\">\n");
	for (i = 0; i < doc->n; i++) {
		const struct doc_block *bl = &doc->v[i];
		const char *tag = "p", *style;

		switch (bl->kind) {
		case DOC_TABLE:
			html_table(b, &bl->t);
			continue;
		case DOC_TITLE:
			tag = "h1";
			style = "font-size:22px;margin:0 0 8px 0";
			break;
		case DOC_HEADING:
			tag = "h2";
			style = "font-size:18px;margin:24px 0 6px 0;"
			    "padding-bottom:4px;border-bottom:2px solid #dddddd";
			break;
		case DOC_SUB:
			tag = "h3";
			style = "font-size:15px;margin:14px 0 6px 0";
			break;
		case DOC_ORIGIN:
			style = "font-size:12px;color:#666666;margin:0 0 8px 0";
			break;
		case DOC_ERROR:
			style = "margin:0 0 8px 0;padding:6px;"
			    "background-color:#fdecea;color:#7f1d1d;"
			    "font-weight:bold";
			break;
		default:
			style = "margin:0 0 8px 0";
			break;
		}
		buf_printf(b, "<%s style=\"" FONT "%s", tag, style);
		if (bl->tone != TONE_NONE)
			buf_printf(b, ";padding:4px;%s", tone_style(bl->tone));
		buf_puts(b, "\">");
		html_cell_text(b, &bl->text);
		buf_printf(b, "</%s>\n", tag);
	}
	buf_puts(b, "</td></tr></table>\n</td></tr></table>\n</body>\n</html>\n");
}
