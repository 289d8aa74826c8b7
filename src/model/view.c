/* view.c: the view file format and the layout of panes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textfile.h"
#include "view.h"

static const char *const kind_names[PANE_KIND_COUNT] = {
	[PANE_RUNS] = "runs", [PANE_TASKS] = "tasks", [PANE_LOG] = "log",
	[PANE_DETAILS] = "details", [PANE_HELP] = "help", [PANE_SLA] = "sla",
	[PANE_FOURKEYS] = "fourkeys", [PANE_SLOTS] = "slots",
	[PANE_SLA_WEEK] = "sla-week",
};

const char *
pane_kind_name(enum pane_kind k)
{
	return (unsigned)k < PANE_KIND_COUNT ? kind_names[k] : "?";
}

int
pane_kind_parse(const char *s, enum pane_kind *k)
{
	int i;

	for (i = 0; i < PANE_KIND_COUNT; i++) {
		if (strcmp(kind_names[i], s) == 0) {
			*k = (enum pane_kind)i;
			return 0;
		}
	}
	return -1;
}

/* "40%" -> 40; -1 when not a percentage from 1 to 100. */
static int
parse_pct(const char *s)
{
	char	*end;
	long	 n = strtol(s, &end, 10);

	if (end == s || strcmp(end, "%") != 0 || n < 1 || n > 100)
		return -1;
	return (int)n;
}

static struct view_screen *
add_screen(struct view *v, const char *name, int line)
{
	struct view_screen *s;

	v->screens = xreallocarray(v->screens, v->nscreens + 1,
	    sizeof *v->screens);
	s = &v->screens[v->nscreens++];
	memset(s, 0, sizeof *s);
	s->name = xstrdup(name != NULL ? name : "");
	s->line = line;
	return s;
}

static struct view_row *
add_row(struct view_screen *s, int pct, int line)
{
	struct view_row *r;

	s->rows = xreallocarray(s->rows, s->nrows + 1, sizeof *s->rows);
	r = &s->rows[s->nrows++];
	memset(r, 0, sizeof *r);
	r->pct = pct;
	r->line = line;
	return r;
}

/* A finished screen or row must not ask for more than all of the space. */
static void
check_row(struct view_row *r, struct buf *errors, const char *file, int line)
{
	size_t	i;
	int	sum = 0;

	for (i = 0; i < r->npanes; i++)
		sum += r->panes[i].pct;
	if (sum > 100)
		textfile_error(errors, file, line, "the panes of this row ask for more "
		    "than 100%", NULL);
}

/* What view_parse keeps between lines: where panes and rows go next. */
struct view_reader {
	struct view		*v;
	struct view_screen	*s;		/* the screen being filled */
	struct view_row		*r;		/* the row being filled */
	int			 row_line;	/* the line r began on */
	const char		*file;
	int			 lineno;
	struct buf		*errors;
};

/*
 * A line's words, at most 4, into w; -1 (said) when there are more.  The
 * line is cut in place.
 */
static int
view_words(struct view_reader *vr, char *line, char **w)
{
	int n;

	line[strcspn(line, "#\r")] = '\0';	/* a comment, or CR LF */
	for (n = 0; n < 4; n++) {
		while (*line == ' ' || *line == '\t')
			line++;
		if (*line == '\0')
			break;
		w[n] = line;
		line += strcspn(line, " \t");
		if (*line != '\0')
			*line++ = '\0';
	}
	while (*line == ' ' || *line == '\t')
		line++;
	if (n > 0 && *line != '\0') {
		textfile_error(vr->errors, vr->file, vr->lineno,
		    "too many words", NULL);
		return -1;
	}
	return n;
}

/* "min-size WxH". */
static void
view_min_size(struct view_reader *vr, char **w, int n)
{
	char	*end;
	long	 mw, mh;

	mw = n == 2 ? strtol(w[1], &end, 10) : 0;
	if (n != 2 || *end != 'x' ||
	    (mh = strtol(end + 1, &end, 10), *end != '\0') ||
	    mw < 20 || mw > 1000 || mh < 8 || mh > 1000) {
		textfile_error(vr->errors, vr->file, vr->lineno, "min-size "
		    "must be WxH with W >= 20 and H >= 8, not",
		    n == 2 ? w[1] : "");
		return;
	}
	vr->v->min_w = (int)mw;
	vr->v->min_h = (int)mh;
}

/* "screen [NAME]": the row being filled is over. */
static void
view_screen(struct view_reader *vr, char **w, int n)
{
	if (n > 2) {
		textfile_error(vr->errors, vr->file, vr->lineno, "'screen' "
		    "takes at most a name", NULL);
		return;
	}
	if (vr->r != NULL)
		check_row(vr->r, vr->errors, vr->file, vr->row_line);
	vr->s = add_screen(vr->v, n == 2 ? w[1] : NULL, vr->lineno);
	vr->r = NULL;
}

/* "row [PCT]": a new row, on a new screen when there is none yet. */
static void
view_row(struct view_reader *vr, char **w, int n)
{
	int pct = 0;

	if (n > 2 || (n == 2 && (pct = parse_pct(w[1])) < 0)) {
		textfile_error(vr->errors, vr->file, vr->lineno, "'row' takes "
		    "a percentage from 1% to 100%, not", n == 2 ? w[1] : "");
		return;
	}
	if (vr->r != NULL)
		check_row(vr->r, vr->errors, vr->file, vr->row_line);
	if (vr->s == NULL)
		vr->s = add_screen(vr->v, NULL, vr->lineno);
	vr->r = add_row(vr->s, pct, vr->lineno);
	vr->row_line = vr->lineno;
}

/* "pane KIND [PCT]": added to the row being filled, or to a new one. */
static void
view_pane(struct view_reader *vr, char **w, int n)
{
	struct view_row	*r;
	enum pane_kind	 kind;
	int		 pct = 0;

	if (n < 2 || n > 3) {
		textfile_error(vr->errors, vr->file, vr->lineno, "'pane' needs "
		    "a kind and may have a percentage", NULL);
		return;
	}
	if (pane_kind_parse(w[1], &kind) != 0) {
		textfile_error(vr->errors, vr->file, vr->lineno,
		    "unknown pane kind", w[1]);
		return;
	}
	if (n == 3 && (pct = parse_pct(w[2])) < 0) {
		textfile_error(vr->errors, vr->file, vr->lineno, "a pane takes "
		    "a percentage from 1% to 100%, not", w[2]);
		return;
	}
	if (vr->s == NULL)
		vr->s = add_screen(vr->v, NULL, vr->lineno);
	if (vr->r == NULL) {
		vr->r = add_row(vr->s, 0, vr->lineno);
		vr->row_line = vr->lineno;
	}
	r = vr->r;
	r->panes = xreallocarray(r->panes, r->npanes + 1, sizeof *r->panes);
	r->panes[r->npanes].kind = kind;
	r->panes[r->npanes].pct = pct;
	r->npanes++;
}

/* After the last line: every screen and row has a pane, and rows fit. */
static void
view_check(const struct view *v, const char *file, int lineno,
    struct buf *errors)
{
	size_t	i, j;
	int	sum;

	if (v->nscreens == 0)
		textfile_error(errors, file, lineno > 0 ? lineno : 1,
		    "the view has no pane", NULL);
	for (i = 0; i < v->nscreens; i++) {
		const struct view_screen *sc = &v->screens[i];

		if (sc->nrows == 0) {
			textfile_error(errors, file, sc->line,
			    "a screen has no pane", sc->name);
			continue;
		}
		sum = 0;
		for (j = 0; j < sc->nrows; j++) {
			sum += sc->rows[j].pct;
			if (sc->rows[j].npanes == 0)
				textfile_error(errors, file, sc->rows[j].line,
				    "a row has no pane", NULL);
		}
		if (sum > 100)
			textfile_error(errors, file,
			    sc->rows[sc->nrows - 1].line,
			    "the rows of a screen ask for more than 100%", NULL);
	}
}

int
view_parse(struct view *v, const char *text, size_t len, const char *name,
    const char *file, struct buf *errors)
{
	struct view_reader	 vr;
	char			*copy, *rest, *line, *w[4];
	size_t			 before = errors->len;
	int			 n;

	memset(v, 0, sizeof *v);
	v->name = xstrdup(name);
	v->min_w = 60;
	v->min_h = 16;
	if ((copy = textfile_copy(text, len, file, errors)) == NULL)
		return -1;
	memset(&vr, 0, sizeof vr);
	vr.v = v;
	vr.file = file;
	vr.errors = errors;
	for (rest = copy; (line = textfile_line(&rest)) != NULL;) {
		vr.lineno++;
		if ((n = view_words(&vr, line, w)) <= 0)
			continue;
		if (strcmp(w[0], "min-size") == 0)
			view_min_size(&vr, w, n);
		else if (strcmp(w[0], "screen") == 0)
			view_screen(&vr, w, n);
		else if (strcmp(w[0], "row") == 0)
			view_row(&vr, w, n);
		else if (strcmp(w[0], "pane") == 0)
			view_pane(&vr, w, n);
		else
			textfile_error(errors, file, vr.lineno,
			    "unknown directive", w[0]);
	}
	if (vr.r != NULL)
		check_row(vr.r, errors, file, vr.row_line);
	view_check(v, file, vr.lineno, errors);
	free(copy);
	return errors->len > before ? -1 : 0;
}

void
view_free(struct view *v)
{
	size_t i, j;

	for (i = 0; i < v->nscreens; i++) {
		for (j = 0; j < v->screens[i].nrows; j++)
			free(v->screens[i].rows[j].panes);
		free(v->screens[i].rows);
		free(v->screens[i].name);
	}
	free(v->screens);
	free(v->name);
	memset(v, 0, sizeof *v);
}

/*
 * Splits total into n parts: explicit percentages first (of the total,
 * never more than is left), the rest shared equally among the parts
 * without one, the last part taking what rounding left.  Then, when there
 * is room for it, no part is empty: each empty part takes one from the
 * largest part (the last of equals).  The parts add up to total exactly.
 */
static void
split(int total, const int *pct, size_t n, int *out)
{
	size_t		i, j, big, nfree = 0;
	long long	used = 0, want, share;
	int		sum = 0;

	if (n == 0)
		return;
	if (total < 0)
		total = 0;
	for (i = 0; i < n; i++) {
		if (pct[i] > 0) {
			want = (long long)total * pct[i] / 100;
			if (want > total - used)
				want = total - used;
			out[i] = (int)want;
			used += want;
		} else
			nfree++;
	}
	share = nfree > 0 ? (total - used) / (long long)nfree : 0;
	for (i = 0; i < n; i++) {
		if (pct[i] <= 0)
			out[i] = (int)share;
		sum += out[i];
	}
	out[n - 1] += total - sum;	/* rounding, and unasked space */
	if ((size_t)total < n)
		return;
	for (i = 0; i < n; i++) {
		if (out[i] > 0)
			continue;
		for (big = 0, j = 1; j < n; j++)
			if (out[j] >= out[big])
				big = j;
		out[big]--;
		out[i]++;
	}
}

size_t
view_layout(const struct view *v, size_t screen, int x, int y, int w, int h,
    struct pane_rect *out, size_t max)
{
	const struct view_screen	*s;
	int				*pct, *size, *pw, *ph;
	size_t				 i, j, n = 0;
	int				 yy = y, xx;

	if (screen >= v->nscreens || w <= 0 || h <= 0)
		return 0;
	s = &v->screens[screen];
	pct = xcalloc(s->nrows + 1, sizeof *pct);
	size = xcalloc(s->nrows + 1, sizeof *size);
	for (i = 0; i < s->nrows; i++)
		pct[i] = s->rows[i].pct;
	split(h, pct, s->nrows, size);
	for (i = 0; i < s->nrows; i++) {
		const struct view_row *r = &s->rows[i];

		pw = xcalloc(r->npanes + 1, sizeof *pw);
		ph = xcalloc(r->npanes + 1, sizeof *ph);
		for (j = 0; j < r->npanes; j++)
			pw[j] = r->panes[j].pct;
		split(w, pw, r->npanes, ph);
		xx = x;
		for (j = 0; j < r->npanes && n < max; j++) {
			out[n].kind = r->panes[j].kind;
			out[n].x = xx;
			out[n].y = yy;
			out[n].w = ph[j];
			out[n].h = size[i];
			xx += ph[j];
			n++;
		}
		free(pw);
		free(ph);
		yy += size[i];
	}
	free(pct);
	free(size);
	return n;
}
