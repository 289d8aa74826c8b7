/*
 * htmltext.h: text from outside made inert in HTML and XML (XHTML mail,
 * any page dagtop writes).  Pure: no I/O.
 */
#ifndef DAGTOP_HTMLTEXT_H
#define DAGTOP_HTMLTEXT_H

#include "buf.h"

/*
 * Appends s as XML character data that is also a safe attribute value:
 * first defused as a terminal id (sanitize.h with SAN_SHOW_ESCAPES: valid
 * UTF-8, escape sequences and other controls shown as "^[" text, never
 * obeyed), then & < > " ' written as entities, and the two characters
 * XML 1.0 forbids that the sanitizer lets through (U+FFFE, U+FFFF) as
 * U+FFFD, so that a strict XML parser accepts the result whatever s held.
 * NULL is "-", as report_put_id writes it.
 */
void	 html_text(struct buf *, const char *s);

#endif
