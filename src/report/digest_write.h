/*
 * digest_write.h: the weekly digest (digest.h) written out.  Each writer
 * renders the whole struct digest, every section in the order of enum
 * digest_section, with its origin (source and age) and, for a section that
 * could not be read, its error in place of its figures.  Text from outside
 * is made inert for each format: defused for a terminal (text), escaped
 * for CommonMark (Markdown), entity-escaped in well-formed XHTML without
 * scripts or remote references (HTML), exact JSON strings (JSON).
 */
#ifndef DAGTOP_DIGEST_WRITE_H
#define DAGTOP_DIGEST_WRITE_H

#include <jansson.h>

#include "buf.h"
#include "digest.h"

void	 digest_write_text(struct buf *, const struct digest *);
void	 digest_write_markdown(struct buf *, const struct digest *);
/* A whole XHTML document for mail: inline styles, table-cell bars (not
   SVG, which Gmail and Outlook do not show reliably), no script. */
void	 digest_write_html(struct buf *, const struct digest *);
/*
 * The page a report written as HTML gives when it cannot be made
 * (report_unknown): "UNKNOWN: what" and why, so that a mail sent by cron
 * says what went wrong instead of arriving empty.  what is dagtop's own
 * text; why comes from outside.
 */
void	 digest_write_html_unknown(struct buf *, const char *what,
	    const char *why);
/* The digest as one JSON object (digest_json.c). */
json_t	*digest_json(const struct digest *);

#endif
