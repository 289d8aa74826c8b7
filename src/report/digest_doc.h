/*
 * digest_doc.h: the weekly digest laid out once, written three ways.
 * digest_write.c turns a struct digest into a list of blocks (headings,
 * paragraphs, tables) whose cells hold spans of text, each span either
 * dagtop's own words or text from outside; the text and Markdown writers
 * (digest_text.c) and the HTML writer (digest_html.c) only render those
 * blocks, so that every format carries the same content and outside text
 * is made inert at exactly one place per format.
 */
#ifndef DAGTOP_DIGEST_DOC_H
#define DAGTOP_DIGEST_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* What a cell says at a glance; always said in words too, never colour alone. */
enum doc_tone { TONE_NONE, TONE_GOOD, TONE_WARN, TONE_BAD, TONE_MUTED };

struct doc_span {
	char	*s;
	bool	 outside;	/* from outside: made inert by each writer */
};

struct doc_cell {
	struct doc_span	*sp;
	size_t		 nsp;
	enum doc_tone	 tone;
	/*
	 * A trend strip: values 0..1 (below 0: no data), oldest first.  The
	 * spans hold the same strip as Unicode blocks for text and Markdown;
	 * HTML draws table-cell bars from the values instead.
	 */
	double		*strip;
	size_t		 nstrip;
};

enum doc_kind {
	DOC_TITLE, DOC_HEADING, DOC_SUB, DOC_PARA, DOC_ORIGIN, DOC_ERROR,
	DOC_TABLE
};

struct doc_table {
	size_t		 ncols;
	struct doc_cell	*head;		/* ncols */
	struct doc_cell	*rows;		/* nrows * ncols */
	size_t		 nrows;
	unsigned	 right;		/* bit per column: numbers, aligned right */
	unsigned	 shrink;	/* bit per column: may be cut in text */
	bool		 first_alone;	/* text: column 0 on a line of its own */
};

struct doc_block {
	enum doc_kind	 kind;
	enum doc_tone	 tone;
	struct doc_cell	 text;		/* all but DOC_TABLE */
	struct doc_table t;		/* DOC_TABLE */
};

struct doc {
	struct doc_block *v;
	size_t		  n;
};

struct digest;
/* The digest's page, every section in order (digest_write.c); doc_free it. */
void	 doc_build(struct doc *, const struct digest *);
void	 doc_free(struct doc *);
/* The page as text and Markdown (digest_text.c), HTML (digest_html.c). */
void	 doc_write_text(struct buf *, const struct doc *);
void	 doc_write_markdown(struct buf *, const struct doc *);
void	 doc_write_html(struct buf *, const struct doc *, const char *title);

#endif
