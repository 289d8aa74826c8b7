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

#define VIEW_WORDS	8

/*
 * A line's words, at most VIEW_WORDS, into w; -1 (said) when there are
 * more.  The line is cut in place.
 */
static int
view_words(struct view_reader *vr, char *line, char **w)
{
	int n;

	line[strcspn(line, "#\r")] = '\0';	/* a comment, or CR LF */
	for (n = 0; n < VIEW_WORDS; n++) {
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

/* "min N": N from 1 to 1000, or -1 (said). */
static int
parse_min(struct view_reader *vr, char **w, int n, int i)
{
	char	*end;
	long	 m;

	m = i + 1 < n ? strtol(w[i + 1], &end, 10) : 0;
	if (i + 1 >= n || *end != '\0' || end == w[i + 1] || m < 1 ||
	    m > 1000) {
		textfile_error(vr->errors, vr->file, vr->lineno, "'min' takes "
		    "a number from 1 to 1000, not", i + 1 < n ? w[i + 1] : "");
		return -1;
	}
	return (int)m;
}

/*
 * The words after a row's or pane's first ones: a percentage, min N and
 * (for a pane, when collapse is not NULL) collapse, in any order; -1
 * (said) on anything else.  An unknown word before any percentage is
 * taken for a bad percentage, as it was when a percentage was all there
 * was.
 */
static int
view_options(struct view_reader *vr, char **w, int n, int from, int *pct,
    int *min, bool *collapse)
{
	const char	*what = collapse != NULL ? "a pane" : "'row'";
	struct buf	 b = BUF_INIT;
	int		 i;

	*pct = *min = 0;
	for (i = from; i < n; i++) {
		if (strcmp(w[i], "min") == 0) {
			if ((*min = parse_min(vr, w, n, i++)) < 0)
				return -1;
			continue;
		}
		if (collapse != NULL && strcmp(w[i], "collapse") == 0) {
			*collapse = true;
			continue;
		}
		if (*pct == 0 && (*pct = parse_pct(w[i])) > 0)
			continue;
		if (*pct < 0)
			buf_printf(&b, "%s takes a percentage from 1%% to 100%%, "
			    "not", what);
		else
			buf_printf(&b, "%s takes a percentage, min N%s, not",
			    what, collapse != NULL ? " and collapse" : "");
		textfile_error(vr->errors, vr->file, vr->lineno, buf_str(&b),
		    w[i]);
		buf_free(&b);
		return -1;
	}
	return 0;
}

/* "row [PCT] [min N]": a new row, on a new screen when there is none yet. */
static void
view_row(struct view_reader *vr, char **w, int n)
{
	int pct, min;

	if (view_options(vr, w, n, 1, &pct, &min, NULL) != 0)
		return;
	if (vr->r != NULL)
		check_row(vr->r, vr->errors, vr->file, vr->row_line);
	if (vr->s == NULL)
		vr->s = add_screen(vr->v, NULL, vr->lineno);
	vr->r = add_row(vr->s, pct, vr->lineno);
	vr->r->min = min;
	vr->row_line = vr->lineno;
}

/*
 * "pane KIND [PCT] [min N] [collapse]": added to the row being filled, or
 * to a new one.
 */
static void
view_pane(struct view_reader *vr, char **w, int n)
{
	struct view_row	*r;
	enum pane_kind	 kind;
	int		 pct, min;
	bool		 collapse = false;

	if (n < 2) {
		textfile_error(vr->errors, vr->file, vr->lineno, "'pane' needs "
		    "a kind and may have a percentage", NULL);
		return;
	}
	if (pane_kind_parse(w[1], &kind) != 0) {
		textfile_error(vr->errors, vr->file, vr->lineno,
		    "unknown pane kind", w[1]);
		return;
	}
	if (view_options(vr, w, n, 2, &pct, &min, &collapse) != 0)
		return;
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
	r->panes[r->npanes].min = min;
	r->panes[r->npanes].collapse = collapse;
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
	char			*copy, *rest, *line, *w[VIEW_WORDS];
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
 * largest part (the last of equals).  Then a part below its min (min may
 * be NULL) takes one at a time from the part with the most above its own
 * min and above one, while there is such a part.  The parts add up to
 * total exactly.
 */
static void
split(int total, const int *pct, const int *min, size_t n, int *out)
{
	size_t		i, j, big, nfree = 0;
	long long	used = 0, want, share;
	int		sum = 0, spare, most;

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
	for (i = 0; min != NULL && i < n; i++) {
		while (out[i] < min[i]) {
			for (big = n, most = 0, j = 0; j < n; j++) {
				spare = out[j] - (min[j] > 1 ? min[j] : 1);
				if (j != i && spare > most) {
					most = spare;
					big = j;
				}
			}
			if (big == n)
				break;
			out[big]--;
			out[i]++;
		}
	}
}

/*
 * split() over the parts that are not gone (gone may be NULL); the parts
 * that are get 0.
 */
static void
split_shown(int total, const int *pct, const int *min, const bool *gone,
    size_t n, int *out)
{
	int	*p = xcalloc(n + 1, sizeof *p), *m = xcalloc(n + 1, sizeof *m);
	int	*o = xcalloc(n + 1, sizeof *o);
	size_t	 i, k = 0;

	for (i = 0; i < n; i++) {
		if (gone != NULL && gone[i])
			continue;
		p[k] = pct[i];
		m[k] = min[i];
		k++;
	}
	split(total, p, m, k, o);
	for (i = 0, k = 0; i < n; i++)
		out[i] = gone != NULL && gone[i] ? 0 : o[k++];
	free(p);
	free(m);
	free(o);
}

/* Whether pane j of row r takes no space now. */
static bool
pane_gone(const struct view_row *r, size_t j, const bool *empty)
{
	return empty != NULL && r->panes[j].collapse &&
	    (unsigned)r->panes[j].kind < PANE_KIND_COUNT &&
	    empty[r->panes[j].kind];
}

/*
 * Which rows of s take no lines now: those whose panes are all gone.
 * Returns true, and no row gone, when that would be every row.
 */
static bool
rows_all_gone(const struct view_screen *s, const bool *empty, bool *gone)
{
	size_t	i, j;
	bool	all = s->nrows > 0;

	for (i = 0; i < s->nrows; i++) {
		gone[i] = s->rows[i].npanes > 0;
		for (j = 0; j < s->rows[i].npanes; j++)
			if (!pane_gone(&s->rows[i], j, empty))
				gone[i] = false;
		all = all && gone[i];
	}
	if (all)
		memset(gone, 0, s->nrows * sizeof *gone);
	return all;
}

/* The panes of row r at (x, y), w by h, from out[*n] on. */
static void
layout_row(const struct view_row *r, bool row_gone, const bool *empty,
    int x, int y, int w, int h, struct pane_rect *out, size_t *n, size_t max)
{
	int	*pct = xcalloc(r->npanes + 1, sizeof *pct);
	int	*min = xcalloc(r->npanes + 1, sizeof *min);
	int	*size = xcalloc(r->npanes + 1, sizeof *size);
	bool	*gone = xcalloc(r->npanes + 1, sizeof *gone);
	size_t	 j;

	for (j = 0; j < r->npanes; j++) {
		pct[j] = r->panes[j].pct;
		min[j] = r->panes[j].min;
		gone[j] = row_gone || pane_gone(r, j, empty);
	}
	split_shown(w, pct, min, row_gone ? NULL : gone, r->npanes, size);
	for (j = 0; j < r->npanes && *n < max; j++) {
		out[*n].kind = r->panes[j].kind;
		out[*n].x = x;
		out[*n].y = y;
		out[*n].w = gone[j] ? 0 : size[j];
		out[*n].h = gone[j] ? 0 : h;
		x += out[*n].w;
		(*n)++;
	}
	free(pct);
	free(min);
	free(size);
	free(gone);
}

size_t
view_layout_fit(const struct view *v, size_t screen, int x, int y, int w,
    int h, const bool *empty, struct pane_rect *out, size_t max)
{
	const struct view_screen	*s;
	int				*pct, *min, *size;
	bool				*gone;
	size_t				 i, n = 0;
	int				 yy = y;

	if (screen >= v->nscreens || w <= 0 || h <= 0)
		return 0;
	s = &v->screens[screen];
	pct = xcalloc(s->nrows + 1, sizeof *pct);
	min = xcalloc(s->nrows + 1, sizeof *min);
	size = xcalloc(s->nrows + 1, sizeof *size);
	gone = xcalloc(s->nrows + 1, sizeof *gone);
	for (i = 0; i < s->nrows; i++) {
		pct[i] = s->rows[i].pct;
		min[i] = s->rows[i].min;
	}
	if (rows_all_gone(s, empty, gone))
		empty = NULL;	/* a screen shows something */
	split_shown(h, pct, min, gone, s->nrows, size);
	for (i = 0; i < s->nrows; i++) {
		layout_row(&s->rows[i], gone[i], empty, x, yy, w, size[i], out,
		    &n, max);
		yy += size[i];
	}
	free(pct);
	free(min);
	free(size);
	free(gone);
	return n;
}

size_t
view_layout(const struct view *v, size_t screen, int x, int y, int w, int h,
    struct pane_rect *out, size_t max)
{
	return view_layout_fit(v, screen, x, y, w, h, NULL, out, max);
}
