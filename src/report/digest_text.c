/*
 * digest_text.c: the weekly digest's page (digest_doc.h) as text and as
 * Markdown.
 *
 * Text fits 80 columns: a table too wide has its widest outside-text
 * columns cut first (the cut ends in an ellipsis: reports have no ASCII
 * mode), a paragraph is wrapped between words, a word longer than a line
 * broken across lines (nothing lost); outside text is defused for a
 * terminal by report_put_id.  Markdown is GitHub-flavoured: headings,
 * tables with numbers aligned right and bad cells in bold, every outside
 * text made inert by report_md_text.
 */
#include <stdlib.h>
#include <string.h>

#include "digest_doc.h"
#include "report.h"
#include "sanitize.h"

#define TEXT_WIDTH	80
#define ELLIPSIS	"\xe2\x80\xa6"

/* --- text ------------------------------------------------------------------ */

/* A cell on one line, defused: outside spans as report_put_id writes them. */
static void
text_cell(struct buf *b, const struct doc_cell *c)
{
	size_t i;

	for (i = 0; i < c->nsp; i++)
		if (c->sp[i].outside)
			report_put_id(b, c->sp[i].s);
		else
			buf_puts(b, c->sp[i].s);
}

/* s in exactly w columns: cut with an ellipsis, or padded. */
static void
text_fit_cell(struct buf *b, const char *s, size_t w, bool right)
{
	size_t len = strlen(s), cols = text_width(s, len), used, n;

	if (cols > w) {
		n = w > 0 ? text_fit(s, len, w - 1, &used) : 0;
		buf_append(b, s, n);
		if (w > 0)
			buf_puts(b, ELLIPSIS);
		for (; w > 0 && used + 1 < w; used++)
			buf_putc(b, ' ');
		return;
	}
	if (right)
		for (n = cols; n < w; n++)
			buf_putc(b, ' ');
	buf_puts(b, s);
	if (!right)
		for (n = cols; n < w; n++)
			buf_putc(b, ' ');
}

/* A line without its trailing spaces. */
static void
text_end_line(struct buf *b)
{
	while (b->len > 0 && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
	buf_putc(b, '\n');
}

/*
 * Wraps a paragraph at TEXT_WIDTH columns between words; a word longer
 * than a line is broken across lines (nothing is lost).
 */
static void
text_wrap(struct buf *b, const char *s, const char *indent)
{
	size_t	width = TEXT_WIDTH - strlen(indent), col = 0;

	while (*s != '\0') {
		const char *w = s;
		size_t n, cols;

		while (*s != '\0' && *s != ' ')
			s++;
		n = (size_t)(s - w);
		cols = text_width(w, n);
		if (col > 0 && col + 1 + cols > width) {
			buf_putc(b, '\n');
			col = 0;
		}
		if (col == 0)
			buf_puts(b, indent);
		else {
			buf_putc(b, ' ');
			col++;
		}
		while (cols > width - col) {
			size_t used, k = text_fit(w, n, width - col, &used);

			if (k == 0)
				k = 1;	/* never stuck */
			buf_append(b, w, k);
			buf_putc(b, '\n');
			buf_puts(b, indent);
			w += k;
			n -= k;
			cols = text_width(w, n);
			col = 0;
		}
		buf_append(b, w, n);
		col += cols;
		while (*s == ' ')
			s++;
	}
	buf_putc(b, '\n');
}

static void
text_table(struct buf *b, const struct doc_table *t)
{
	char	**cells;
	size_t	 *w, nc = t->ncols, i, r, k, first = t->first_alone ? 1 : 0;
	size_t	  total, avail;

	cells = xcalloc((t->nrows + 1) * nc, sizeof *cells);
	w = xcalloc(nc, sizeof *w);
	for (r = 0; r <= t->nrows; r++)
		for (k = 0; k < nc; k++) {
			struct buf c = BUF_INIT;

			text_cell(&c, r == 0 ? &t->head[k] :
			    &t->rows[(r - 1) * nc + k]);
			cells[r * nc + k] = buf_detach(&c);
			if (k >= first) {
				size_t cw = text_width(cells[r * nc + k],
				    strlen(cells[r * nc + k]));

				if (cw > w[k])
					w[k] = cw;
			}
		}
	/*
	 * Two spaces of indent and two between columns (four and one under
	 * a first column alone); cut the widest first.
	 */
	avail = t->first_alone ? TEXT_WIDTH - 4 - (nc - first - 1) :
	    TEXT_WIDTH - 2 - 2 * (nc - first - 1);
	for (;;) {
		size_t widest = nc, pass;

		for (total = 0, k = first; k < nc; k++)
			total += w[k];
		if (total <= avail)
			break;
		for (pass = 0; pass < 2 && widest == nc; pass++)
			for (k = first; k < nc; k++) {
				bool may = pass == 1 || (t->shrink >> k & 1);

				if (may && w[k] > (pass == 0 ? 6u : 3u) &&
				    (widest == nc || w[k] > w[widest]))
					widest = k;
			}
		if (widest == nc)
			break;
		w[widest]--;
	}
	for (r = 0; r <= t->nrows; r++) {
		if (t->first_alone && r > 0) {
			buf_puts(b, "  ");
			text_fit_cell(b, cells[r * nc], TEXT_WIDTH - 2, false);
			text_end_line(b);
		}
		buf_puts(b, t->first_alone ? "    " : "  ");
		for (k = first; k < nc; k++) {
			if (k > first)
				buf_puts(b, t->first_alone ? " " : "  ");
			text_fit_cell(b, cells[r * nc + k], w[k],
			    t->right >> k & 1);
		}
		text_end_line(b);
	}
	for (i = 0; i < (t->nrows + 1) * nc; i++)
		free(cells[i]);
	free(cells);
	free(w);
}

void
doc_write_text(struct buf *b, const struct doc *doc)
{
	struct buf	 line = BUF_INIT;
	size_t		 i;

	for (i = 0; i < doc->n; i++) {
		const struct doc_block *bl = &doc->v[i];

		if (bl->kind == DOC_TABLE) {
			text_table(b, &bl->t);
			continue;
		}
		buf_reset(&line);
		text_cell(&line, &bl->text);
		switch (bl->kind) {
		case DOC_HEADING: {
			size_t k, n = text_width(line.data, line.len);

			buf_putc(b, '\n');
			text_wrap(b, buf_str(&line), "");
			for (k = 0; k < n && k < TEXT_WIDTH; k++)
				buf_putc(b, '=');
			buf_putc(b, '\n');
			break;
		}
		case DOC_SUB:
			buf_putc(b, '\n');
			text_wrap(b, buf_str(&line), "");
			break;
		default:
			text_wrap(b, buf_str(&line), "");
			break;
		}
	}
	buf_free(&line);
}

/* --- Markdown ---------------------------------------------------------------- */

static void
md_cell(struct buf *b, const struct doc_cell *c)
{
	size_t i;

	for (i = 0; i < c->nsp; i++)
		if (c->sp[i].outside)
			report_md_text(b, c->sp[i].s);
		else
			buf_puts(b, c->sp[i].s);
}

static void
md_table(struct buf *b, const struct doc_table *t)
{
	size_t r, k;

	buf_putc(b, '|');
	for (k = 0; k < t->ncols; k++) {
		buf_putc(b, ' ');
		md_cell(b, &t->head[k]);
		buf_puts(b, " |");
	}
	buf_puts(b, "\n|");
	for (k = 0; k < t->ncols; k++)
		buf_puts(b, t->right >> k & 1 ? "---:|" : "---|");
	buf_putc(b, '\n');
	for (r = 0; r < t->nrows; r++) {
		buf_putc(b, '|');
		for (k = 0; k < t->ncols; k++) {
			const struct doc_cell *c = &t->rows[r * t->ncols + k];
			bool bold = c->tone == TONE_BAD && c->nsp > 0;

			buf_puts(b, bold ? " **" : " ");
			md_cell(b, c);
			buf_puts(b, bold ? "** |" : " |");
		}
		buf_putc(b, '\n');
	}
	buf_putc(b, '\n');
}

void
doc_write_markdown(struct buf *b, const struct doc *doc)
{
	size_t i;

	for (i = 0; i < doc->n; i++) {
		const struct doc_block *bl = &doc->v[i];

		switch (bl->kind) {
		case DOC_TABLE:
			md_table(b, &bl->t);
			continue;
		case DOC_TITLE:
			buf_puts(b, "# ");
			break;
		case DOC_HEADING:
			buf_puts(b, "## ");
			break;
		case DOC_SUB:
			buf_puts(b, "### ");
			break;
		case DOC_ORIGIN:
			buf_puts(b, "*");
			break;
		case DOC_ERROR:
			buf_puts(b, "**");
			break;
		default:
			break;
		}
		md_cell(b, &bl->text);
		if (bl->kind == DOC_ORIGIN)
			buf_puts(b, "*");
		else if (bl->kind == DOC_ERROR)
			buf_puts(b, "**");
		buf_puts(b, "\n\n");
	}
}
