/* slack.c: Slack Block Kit messages within Slack's limits (slack.h). */
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "slack.h"
#include "timefmt.h"

#define ZWSP		"\xe2\x80\x8b"	/* U+200B ZERO WIDTH SPACE */
#define ELLIPSIS	"\xe2\x80\xa6"	/* U+2026 */

enum block_kind {
	BLOCK_KEEP,		/* header, context: never cut away */
	BLOCK_OTHER,		/* a section that is not an item, a divider */
	BLOCK_ITEM		/* a failing DAG, a missed SLA */
};

struct slack_msg {
	json_t		*blocks;	/* array */
	enum block_kind	*kind;
	size_t		 n, cap;
};

struct slack_msg *
slack_msg_new(void)
{
	struct slack_msg *m = xcalloc(1, sizeof *m);

	m->blocks = json_array();
	return m;
}

void
slack_msg_free(struct slack_msg *m)
{
	if (m == NULL)
		return;
	json_decref(m->blocks);
	free(m->kind);
	free(m);
}

static void
add(struct slack_msg *m, json_t *block, enum block_kind k)
{
	if (m->n == m->cap) {
		m->cap = m->cap == 0 ? 16 : m->cap * 2;
		m->kind = xreallocarray(m->kind, m->cap, sizeof *m->kind);
	}
	m->kind[m->n++] = k;
	json_array_append_new(m->blocks, block);
}

bool
slack_cut(struct buf *b, size_t max)
{
	size_t	 len, i;

	if (b->len <= max)
		return false;
	len = max >= sizeof ELLIPSIS - 1 ? max - (sizeof ELLIPSIS - 1) : 0;
	/* Not inside a UTF-8 character: back to the start of one. */
	while (len > 0 && ((unsigned char)b->data[len] & 0xc0) == 0x80)
		len--;
	/* Not inside an entity: "&lt;" whole or not at all. */
	for (i = len; i > 0 && len - i < 6; i--) {
		if (b->data[i - 1] == ';')
			break;
		if (b->data[i - 1] == '&') {
			len = i - 1;
			break;
		}
	}
	b->len = len;
	b->data[len] = '\0';
	buf_puts(b, ELLIPSIS);
	return true;
}

void
slack_put_text(struct buf *b, const char *s)
{
	char		*clean;
	const char	*p;

	if (s == NULL) {
		buf_putc(b, '-');
		return;
	}
	if (*s == '\0') {
		buf_puts(b, "\"\"");
		return;
	}
	/* Escape sequences gone, controls as ^X, ill-formed UTF-8 as U+FFFD. */
	clean = sanitize_dup(s, 0);
	for (p = clean; *p != '\0'; p++) {
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
		case '*': case '_': case '~': case '`':
			/* Neither opening nor closing: no space either side. */
			buf_puts(b, ZWSP);
			buf_putc(b, *p);
			buf_puts(b, ZWSP);
			break;
		case '@':
			buf_putc(b, '@');
			buf_puts(b, ZWSP);
			break;
		case ':':
			buf_putc(b, ':');
			if (strncmp(p + 1, "//", 2) == 0)
				buf_puts(b, ZWSP);
			break;
		default:
			buf_putc(b, *p);
			break;
		}
	}
	free(clean);
}

/* A text object of type (mrkdwn, plain_text), cut to max bytes. */
static json_t *
text_object(const char *type, const char *text, size_t max)
{
	struct buf	 t = BUF_INIT;
	json_t		*o = json_object();

	buf_puts(&t, text != NULL && *text != '\0' ? text : "-");
	slack_cut(&t, max);
	json_object_set_new(o, "type", json_string(type));
	/* The caller's mrkdwn is valid UTF-8; sanitise in case it is not. */
	if (json_object_set_new(o, "text", json_string(buf_str(&t))) != 0) {
		char *clean = sanitize_dup(buf_str(&t), SAN_NEWLINES);

		buf_reset(&t);
		buf_puts(&t, clean);
		free(clean);
		slack_cut(&t, max);
		json_object_set_new(o, "text", json_string(buf_str(&t)));
	}
	buf_free(&t);
	return o;
}

void
slack_header(struct slack_msg *m, const char *plain)
{
	json_t	*block = json_object();
	char	*clean = sanitize_dup(plain, 0);

	json_object_set_new(block, "type", json_string("header"));
	json_object_set_new(block, "text",
	    text_object("plain_text", clean, SLACK_HEADER_MAX));
	free(clean);
	add(m, block, BLOCK_KEEP);
}

void
slack_section_fields(struct slack_msg *m, const char *mrkdwn,
    const char *const *fields, size_t nfields, bool item)
{
	json_t		*block = json_object(), *a;
	struct buf	 last = BUF_INIT;
	size_t		 i, keep;

	json_object_set_new(block, "type", json_string("section"));
	json_object_set_new(block, "text",
	    text_object("mrkdwn", mrkdwn, SLACK_TEXT_MAX));
	if (nfields > 0) {
		a = json_array();
		keep = nfields > SLACK_FIELDS_MAX ? SLACK_FIELDS_MAX : nfields;
		for (i = 0; i + 1 < keep; i++)
			json_array_append_new(a,
			    text_object("mrkdwn", fields[i], SLACK_FIELD_MAX));
		buf_puts(&last, fields[keep - 1]);
		if (keep < nfields) {
			slack_cut(&last, SLACK_FIELD_MAX / 2);
			buf_printf(&last, "\n" ELLIPSIS "and %zu more",
			    nfields - keep);
		}
		json_array_append_new(a,
		    text_object("mrkdwn", buf_str(&last), SLACK_FIELD_MAX));
		json_object_set_new(block, "fields", a);
		buf_free(&last);
	}
	add(m, block, item ? BLOCK_ITEM : BLOCK_OTHER);
}

void
slack_section(struct slack_msg *m, const char *mrkdwn, bool item)
{
	slack_section_fields(m, mrkdwn, NULL, 0, item);
}

void
slack_context(struct slack_msg *m, const char *const *mrkdwn, size_t n)
{
	json_t	*block = json_object(), *a = json_array();
	size_t	 i;

	if (n > SLACK_CONTEXT_MAX)
		n = SLACK_CONTEXT_MAX;
	for (i = 0; i < n; i++)
		json_array_append_new(a,
		    text_object("mrkdwn", mrkdwn[i], SLACK_TEXT_MAX));
	if (n == 0)
		json_array_append_new(a, text_object("mrkdwn", "-", 1));
	json_object_set_new(block, "type", json_string("context"));
	json_object_set_new(block, "elements", a);
	add(m, block, BLOCK_KEEP);
}

void
slack_divider(struct slack_msg *m)
{
	json_t *block = json_object();

	json_object_set_new(block, "type", json_string("divider"));
	add(m, block, BLOCK_OTHER);
}

/* A section's text: "…and 12 more failing DAGs". */
static json_t *
more_section(size_t n, const char *noun)
{
	struct buf	 t = BUF_INIT;
	json_t		*block = json_object();

	buf_printf(&t, ELLIPSIS "and %zu more", n);
	if (noun != NULL)
		buf_printf(&t, " %s", noun);
	json_object_set_new(block, "type", json_string("section"));
	json_object_set_new(block, "text",
	    text_object("mrkdwn", buf_str(&t), SLACK_TEXT_MAX));
	buf_free(&t);
	return block;
}

/*
 * Within 50 blocks: cut blocks from the end, those that are not kept,
 * until the rest and the "…and N more" section fit; dividers left at the
 * cut go too.  N counts the items cut, or the sections when no item was.
 */
static json_t *
fit_blocks(struct slack_msg *m, const char *noun)
{
	json_t	*out;
	bool	*cut;
	size_t	 i, left = m->n, items = 0, sections = 0, at = m->n;

	if (m->n <= SLACK_MAX_BLOCKS)
		return json_incref(m->blocks);
	cut = xcalloc(m->n, sizeof *cut);
	for (i = m->n; i-- > 0 && left + 1 > SLACK_MAX_BLOCKS;) {
		if (m->kind[i] == BLOCK_KEEP)
			continue;
		cut[i] = true;
		left--;
		at = i;
	}
	/* A divider just before the cut separates nothing now. */
	for (i = at; i-- > 0 && m->kind[i] == BLOCK_OTHER &&
	    strcmp(json_string_value(json_object_get(json_array_get(m->blocks,
	    i), "type")), "divider") == 0;) {
		cut[i] = true;
		at = i;
	}
	for (i = 0; i < m->n; i++) {
		const char *type;

		if (!cut[i])
			continue;
		type = json_string_value(json_object_get(json_array_get(
		    m->blocks, i), "type"));
		items += m->kind[i] == BLOCK_ITEM;
		sections += strcmp(type, "section") == 0;
	}
	out = json_array();
	for (i = 0; i < m->n; i++) {
		if (i == at)
			json_array_append_new(out, more_section(items > 0 ?
			    items : sections, items > 0 ? noun : NULL));
		if (!cut[i])
			json_array_append(out, json_array_get(m->blocks, i));
	}
	free(cut);
	return out;
}

json_t *
slack_msg_finish(struct slack_msg *m, const char *fallback, const char *noun)
{
	json_t	*doc = json_object(), *text;

	text = text_object("mrkdwn", fallback, SLACK_TEXT_MAX);
	json_object_set(doc, "text", json_object_get(text, "text"));
	json_decref(text);
	json_object_set_new(doc, "blocks", fit_blocks(m, noun));
	slack_msg_free(m);
	return doc;
}

void
slack_read_from(struct buf *b, int64_t read_at, int64_t now,
    const char *kind, const char *about)
{
	buf_puts(b, "read ");
	fmt_duration(b, (double)(now > read_at ? now - read_at : 0));
	buf_printf(b, " ago from Airflow %s", strcmp(kind, "api") == 0 ?
	    "API" : kind);
	if (about != NULL) {
		buf_puts(b, ": ");
		slack_put_text(b, about);
	}
}

json_t *
slack_unknown(const char *what, const char *why, const char *source)
{
	struct slack_msg	*m = slack_msg_new();
	struct buf		 t = BUF_INIT, fallback = BUF_INIT;
	const char		*ctx[1];
	char			*plain = sanitize_dup(what, 0);
	json_t			*doc;

	buf_printf(&t, "UNKNOWN: %s", plain);
	slack_header(m, buf_str(&t));
	buf_reset(&t);
	buf_puts(&t, "*UNKNOWN*: ");
	slack_put_text(&t, what);
	buf_puts(&t, ": ");
	slack_put_text(&t, why);
	buf_puts(&t, "\ndagtop could not make the report; the exit status is 3.");
	slack_section(m, buf_str(&t), false);
	buf_puts(&fallback, "UNKNOWN: ");
	slack_put_text(&fallback, what);
	buf_reset(&t);
	buf_puts(&t, "nothing read");
	if (source != NULL) {
		buf_puts(&t, "; source: ");
		slack_put_text(&t, source);
	}
	ctx[0] = buf_str(&t);
	slack_context(m, ctx, 1);
	doc = slack_msg_finish(m, buf_str(&fallback), NULL);
	buf_free(&t);
	buf_free(&fallback);
	free(plain);
	return doc;
}
