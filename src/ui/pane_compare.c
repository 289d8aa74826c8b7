/*
 * pane_compare.c: the compare window over the panes (:compare BLUE GREEN
 * [SPAN]): is green behaving like blue?  It opens a connection of its own
 * to each context, reads both at once through compareread.h (what `report
 * compare` reads), judges with compare.c and lists the findings worst
 * first, the selected one whole on the line below.  Nothing waits on a
 * key; the panes behind stay as they were and take no key while it is
 * open; closing it closes both connections, so nothing reads on behind.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "compareread.h"
#include "config.h"
#include "sched_open.h"
#include "timefmt.h"
#include "tz.h"
#include "zoneinfo.h"

#define CW_SPAN_DEFAULT	(7 * 86400)	/* as report compare's --since */

enum side_state { SIDE_CONNECTING, SIDE_READING, SIDE_READ, SIDE_FAILED };

struct cmpwin;

/* One side: its settings, connection, reads and how far they got. */
struct cw_side {
	struct cmpwin		*w;
	struct app		*a;
	enum cmp_which		 which;
	char			*name;
	struct settings		 s;
	bool			 resolved;
	struct sched		*db;
	enum side_state		 state;
	struct buf		 error;
	struct cmp_read		 rd;
	struct buf		 airflow, warnings;
	struct cmp_side		 side;
};

struct cmpwin {
	bool			 open;
	bool			 shown;		/* on screen at the last draw */
	int64_t			 span, since, now;
	struct cw_side		 side[2];
	const struct sla_def	**defs;		/* common to both sides */
	size_t			 ndefs;
	struct tz		**zones;	/* each SLA's */
	struct cmp_result	 res;
	bool			 judged;
	size_t			 sel, top;
	int			 list_rows;
};

static struct cmpwin *
cw_of(struct app *a)
{
	if (a->compare == NULL)
		a->compare = xcalloc(1, sizeof *a->compare);
	return a->compare;
}

/* ----------------------------------------------------------------------
 * The reads.
 */

/* Lets both connections go (their answers in flight with them). */
static void
sides_free(struct cmpwin *w)
{
	size_t i;

	if (w->judged)
		cmp_result_free(&w->res);
	w->judged = false;
	for (i = 0; i < 2; i++) {
		struct cw_side *sd = &w->side[i];

		sched_free(sd->db);
		sd->db = NULL;
		cmp_read_free(&sd->rd);
		buf_free(&sd->error);
		buf_free(&sd->airflow);
		buf_free(&sd->warnings);
		if (sd->resolved)
			settings_free(&sd->s);
		sd->resolved = false;
		free(sd->name);
		sd->name = NULL;
	}
	for (i = 0; i < w->ndefs && w->zones != NULL; i++)
		tz_free(w->zones[i]);
	free(w->zones);
	free(w->defs);
	w->zones = NULL;
	w->defs = NULL;
	w->ndefs = 0;
}

static void
side_fail(struct cw_side *sd, const char *err)
{
	sd->state = SIDE_FAILED;
	buf_reset(&sd->error);
	buf_puts(&sd->error, err != NULL && *err != '\0' ? err :
	    "the read failed");
	app_mark_dirty(sd->a);
}

/* Both sides read: the comparison, as report compare makes it. */
static void
judge(struct cmpwin *w)
{
	struct cmp_options	co;
	size_t			i;

	for (i = 0; i < 2; i++)
		cmp_read_side(&w->side[i].rd, w->side[i].db, w->side[i].name,
		    w->zones, &w->side[i].airflow, &w->side[i].warnings,
		    &w->side[i].side);
	cmp_options_default(&co, w->since, w->now);
	compare_build(&w->res, &w->side[0].side, &w->side[1].side, &co);
	w->judged = true;
	w->sel = w->top = 0;
}

static void
side_read(void *arg, const char *err)
{
	struct cw_side *sd = arg;

	if (err != NULL) {
		side_fail(sd, err);
		return;
	}
	sd->state = SIDE_READ;
	if (sd->w->side[0].state == SIDE_READ &&
	    sd->w->side[1].state == SIDE_READ)
		judge(sd->w);
	app_mark_dirty(sd->a);
}

static void
side_opened(void *arg, const char *err)
{
	struct cw_side *sd = arg;

	if (err != NULL) {
		side_fail(sd, err);
		return;
	}
	sd->state = SIDE_READING;
	app_mark_dirty(sd->a);
	cmp_read_start(&sd->rd, sd->db, side_read, sd);
}

static void
side_lost(void *arg, const char *err)
{
	struct cw_side *sd = arg;

	if (sd->state != SIDE_READ)
		side_fail(sd, err != NULL ? err : "the connection was lost");
}

/*
 * The context's settings as :context resolves them (its own database,
 * never --database or DAGTOP_DATABASE, which would name one for both),
 * read-only; 0, or -1 with the side failed.
 */
static int
side_resolve(struct app *a, struct cw_side *sd)
{
	struct cli_options	cli = *a->cli;
	struct buf		err = BUF_INIT;

	cli.context = sd->name;
	cli.database = NULL;
	memset(&sd->s, 0, sizeof sd->s);
	sd->resolved = true;
	if (config_resolve(a->config, &cli, &sd->s, &err) != 0)
		side_fail(sd, buf_str(&err));
	else if (sd->s.database_source != NULL &&
	    strcmp(sd->s.database_source, "DAGTOP_DATABASE") == 0)
		side_fail(sd, "compare reads each context's own database: "
		    "DAGTOP_DATABASE would name one for both");
	sd->s.readonly = true;
	buf_free(&err);
	return sd->state == SIDE_FAILED ? -1 : 0;
}

/* The SLAs both contexts have, and their zones (their own, else blue's). */
static void
common_slas(struct app *a, struct cmpwin *w)
{
	const struct config	*cfg = a->config;
	const struct sla_def	**g;
	struct buf		  err = BUF_INIT;
	size_t			  nb, ng, i, k, n = 0;

	w->defs = xcalloc(cfg->nsla + 1, sizeof *w->defs);
	g = xcalloc(cfg->nsla + 1, sizeof *g);
	nb = config_slas(cfg, w->side[0].s.context, w->defs);
	ng = config_slas(cfg, w->side[1].s.context, g);
	w->zones = xcalloc(nb + 1, sizeof *w->zones);
	for (i = 0; i < nb; i++)
		for (k = 0; k < ng; k++) {
			const struct sla_def *d = w->defs[i];

			if (d != g[k])
				continue;
			w->zones[n] = zoneinfo_load(d->timezone != NULL ?
			    d->timezone : w->side[0].s.timezone, &err);
			if (w->zones[n] != NULL)
				w->defs[n++] = d;
			break;
		}
	w->ndefs = n;
	free(g);
	buf_free(&err);
}

/* Resolves and opens both sides; each then reads on its own. */
static void
sides_start(struct app *a, struct cmpwin *w)
{
	struct buf	err = BUF_INIT;
	size_t		i;

	w->now = (int64_t)time(NULL);
	w->since = w->now - w->span;
	for (i = 0; i < 2; i++) {
		w->side[i].state = SIDE_CONNECTING;
		side_resolve(a, &w->side[i]);
	}
	if (w->side[0].state != SIDE_FAILED &&
	    w->side[1].state != SIDE_FAILED)
		common_slas(a, w);
	for (i = 0; i < 2; i++) {
		struct cw_side *sd = &w->side[i];

		cmp_read_init(&sd->rd, w->defs, w->ndefs, w->since, w->now);
		if (sd->state == SIDE_FAILED)
			continue;
		buf_reset(&err);
		sd->db = sched_open_context(a->loop, &sd->s, side_opened,
		    side_lost, sd, &err);
		if (sd->db == NULL)
			side_fail(sd, buf_str(&err));
	}
	buf_free(&err);
}

/* (Re)reads both sides from scratch, the names kept. */
static void
window_read(struct app *a, struct cmpwin *w)
{
	char	*name[2] = { w->side[0].name, w->side[1].name };
	size_t	 i;

	w->side[0].name = w->side[1].name = NULL;
	sides_free(w);
	for (i = 0; i < 2; i++) {
		w->side[i].w = w;
		w->side[i].a = a;
		w->side[i].which = (enum cmp_which)i;
		w->side[i].name = name[i];
	}
	w->sel = w->top = 0;
	sides_start(a, w);
}

/*
 * :compare BLUE GREEN [SPAN]: two different contexts and a window (7d
 * when none); a mistake says so on the message line and opens nothing.
 */
void
app_compare_open(struct app *a, const char *arg)
{
	char		*copy = xstrdup(arg != NULL ? arg : ""), *v[4] = { NULL,
			    NULL, NULL, NULL }, *save = NULL;
	struct cmpwin	*w;
	int64_t		 span = CW_SPAN_DEFAULT;
	int		 n = 0;

	for (v[n] = strtok_r(copy, " \t", &save); v[n] != NULL && n < 3;
	    v[++n] = strtok_r(NULL, " \t", &save))
		;
	buf_reset(&a->message);
	if (n < 2 || v[3] != NULL)
		buf_puts(&a->message, ":compare takes BLUE GREEN [SPAN] "
		    "(two contexts, a window such as 7d)");
	else if (strcmp(v[0], v[1]) == 0)
		buf_puts(&a->message, ":compare: blue and green must be two "
		    "contexts");
	else if (v[2] != NULL && (parse_span(v[2], &span) != 0 || span <= 0))
		buf_printf(&a->message, ":compare: '%s' is not a window "
		    "(such as 7d, 36h)", v[2]);
	else {
		w = cw_of(a);
		sides_free(w);
		w->open = true;
		w->span = span;
		w->side[0].name = xstrdup(v[0]);
		w->side[1].name = xstrdup(v[1]);
		window_read(a, w);
	}
	a->dirty = true;
	free(copy);
}

static void
window_close(struct app *a)
{
	struct cmpwin *w = cw_of(a);

	sides_free(w);
	w->open = w->shown = false;
	buf_reset(&a->message);
}

/*
 * A key while the window is open: taken (the panes behind take none).
 * Help, : and quit pass; a back key (q too) closes it, never quits.
 */
bool
app_compare_key(struct app *a, enum action act)
{
	struct cmpwin	*w = a->compare;
	size_t		 page;

	if (w == NULL || !w->open)
		return false;
	if (!w->shown)
		return act != ACTION_QUIT;	/* not on screen: no key acts */
	a->dirty = true;
	page = w->list_rows > 1 ? (size_t)w->list_rows - 1 : 1;
	if (w->judged && pane_list_move(&w->sel, w->res.nfindings, act, page))
		return true;
	switch (act) {
	case ACTION_BACK:
	case ACTION_BACK_OR_QUIT:	/* a back key closes it, never quits */
		window_close(a);
		return true;
	case ACTION_REFRESH:
		window_read(a, w);
		return true;
	case ACTION_QUIT:
	case ACTION_HELP:
	case ACTION_COMMAND:
		return false;
	default:
		return true;
	}
}

/* ----------------------------------------------------------------------
 * Drawing.
 */

/* "blue NAME: reading…", or the side's error, up to column end. */
static void
draw_side(WINDOW *win, const struct cw_side *sd, int end, bool ascii)
{
	static const char *const what[] = { "connecting", "reading", "read",
	    "" };
	struct buf b = BUF_INIT;

	buf_printf(&b, "%-6s", cmp_side_name(sd->which));
	ui_put_cut(win, buf_str(&b), end - getcurx(win), ascii);
	ui_put_cut(win, sd->name, end - getcurx(win) > 24 ? 24 :
	    end - getcurx(win), ascii);
	buf_reset(&b);
	if (sd->state == SIDE_FAILED) {
		wattron(win, ui_run_attr(RUN_FAILED));
		ui_put_cut(win, ": ", end - getcurx(win), ascii);
		ui_put_cut(win, buf_str(&sd->error), end - getcurx(win), ascii);
		wattroff(win, ui_run_attr(RUN_FAILED));
	} else {
		buf_printf(&b, ": %s%s", what[sd->state],
		    sd->state == SIDE_READ ? "" : ascii ? "..." : "\u2026");
		ui_put_cut(win, buf_str(&b), end - getcurx(win), ascii);
	}
	buf_free(&b);
}

/* The verdict: "CRITICAL: 1 critical, 7 warnings over 7d00h". */
static void
verdict_text(struct buf *b, const struct cmpwin *w)
{
	const struct cmp_result *r = &w->res;

	buf_printf(b, "%s: ", verdict_name(r->verdict));
	cmp_counts_text(b, r);
	buf_puts(b, " over ");
	fmt_duration(b, (double)w->span);
}

static attr_t
severity_attr(enum verdict v)
{
	switch (v) {
	case VERDICT_CRITICAL:
		return ui_run_attr(RUN_FAILED) | A_BOLD;
	case VERDICT_WARNING:
		return ui_run_attr(RUN_QUEUED);
	default:
		return A_DIM;
	}
}

/* The finding's subject: DAG, and its task or SLA (raw). */
static void
subject_text(struct buf *b, const struct cmp_finding *f)
{
	buf_puts(b, f->dag_id);
	if (f->subject == NULL)
		return;
	buf_puts(b, f->kind == CMP_TASK ? "." : " SLA ");
	buf_puts(b, f->subject);
}

/* One finding: severity, kind, subject, detail, each cut to its column. */
static void
draw_row(WINDOW *win, int y, const struct cmp_finding *f, int wd, int subw,
    bool ascii)
{
	struct buf	b = BUF_INIT;
	int		x = 2;

	wattron(win, severity_attr(f->severity));
	mvwaddnstr(win, y, x, verdict_name(f->severity), 8);
	wattroff(win, severity_attr(f->severity));
	x += 9;
	wmove(win, y, x);
	ui_put_cut(win, cmp_kind_name(f->kind), 15, ascii);
	x += 16;
	subject_text(&b, f);
	wmove(win, y, x);
	ui_put_cut(win, buf_str(&b), subw, ascii);
	x += subw + 1;
	if (x < wd - 2) {
		wmove(win, y, x);
		ui_put_cut(win, f->detail, wd - 2 - x, ascii);
	}
	buf_free(&b);
}

static void
draw_list(struct cmpwin *w, WINDOW *win, int y0, int rows, int wd,
    bool ascii)
{
	struct buf	b = BUF_INIT;
	size_t		i;
	int		y, subw = 0;

	for (i = 0; i < w->res.nfindings; i++) {
		buf_reset(&b);
		subject_text(&b, &w->res.findings[i]);
		if ((int)b.len > subw)
			subw = (int)b.len;
	}
	if (subw > (wd - 28) / 3)
		subw = (wd - 28) / 3;
	pane_list_scroll(&w->sel, &w->top, w->res.nfindings, rows);
	for (y = 0, i = w->top; y < rows && i < w->res.nfindings; y++, i++) {
		if (i == w->sel) {
			wattron(win, A_REVERSE);
			mvwhline(win, y0 + y, 1, ' ', wd - 2);
		}
		draw_row(win, y0 + y, &w->res.findings[i], wd, subw, ascii);
		if (i == w->sel)
			wattroff(win, A_REVERSE);
	}
	buf_free(&b);
}

/* The selected finding whole, as the report's text says it. */
static void
detail_text(struct buf *b, const struct cmp_finding *f)
{
	buf_printf(b, "%s %s ", verdict_name(f->severity),
	    cmp_kind_name(f->kind));
	subject_text(b, f);
	buf_printf(b, ": %s", f->detail);
}

/* The head: each side's state, then the verdict once both are in. */
static int
draw_head(struct cmpwin *w, WINDOW *win, int wd, bool ascii)
{
	struct buf	b = BUF_INIT;
	int		i;

	for (i = 0; i < 2; i++) {
		wmove(win, 1 + i, 2);
		draw_side(win, &w->side[i], wd - 2, ascii);
		if (w->side[i].state == SIDE_READ && w->judged &&
		    getcurx(win) < wd - 4) {
			ui_put_cut(win, " ", 1, ascii);
			ui_put_cut(win, buf_str(&w->side[i].airflow),
			    wd - 2 - getcurx(win), ascii);
		}
	}
	if (!w->judged)
		return 3;
	verdict_text(&b, w);
	wattron(win, severity_attr(w->res.verdict) | A_BOLD);
	wmove(win, 3, 2);
	ui_put_cut(win, buf_str(&b), wd - 4, ascii);
	wattroff(win, severity_attr(w->res.verdict) | A_BOLD);
	buf_free(&b);
	return 4;
}

void
app_compare_draw(struct app *a, int y0, int width, int h)
{
	struct cmpwin	*w = a->compare;
	struct buf	 b = BUF_INIT;
	WINDOW		*win;
	int		 y, list, drows = 0;
	bool		 ascii = a->c.ascii;

	if (w == NULL)
		return;
	w->shown = false;
	if (!w->open || width < 30 || h < 8)
		return;		/* too small: not drawn, no key acts on it */
	if ((win = newwin(h, width, y0, 0)) == NULL)
		return;
	werase(win);
	ui_frame(win, "compare blue / green", true, ascii);
	y = draw_head(w, win, width, ascii);
	if (w->judged && w->sel < w->res.nfindings) {
		detail_text(&b, &w->res.findings[w->sel]);
		drows = ui_put_wrap(NULL, 0, 0, buf_str(&b), width - 4,
		    h >= 12 ? 2 : 1, ascii);
	}
	list = h - 1 - y - drows - (drows > 0 ? 1 : 0);
	w->list_rows = list > 0 ? list : 0;
	if (w->judged && list > 0)
		draw_list(w, win, y, list, width, ascii);
	if (w->judged && w->res.nfindings == 0 && list > 0)
		mvwaddnstr(win, y, 2, "no finding", width - 4);
	if (drows > 0) {
		wattron(win, A_DIM);
		mvwhline(win, h - 2 - drows, 1, ascii ? '-' : ACS_HLINE,
		    width - 2);
		wattroff(win, A_DIM);
		ui_put_wrap(win, h - 1 - drows, 2, buf_str(&b), width - 4,
		    drows, ascii);
	}
	if (width > 40) {
		wmove(win, h - 1, 2);
		ui_put_cut(win, " r reads again  back closes ", width - 4,
		    ascii);
	}
	wnoutrefresh(win);
	delwin(win);
	buf_free(&b);
	w->shown = true;
}

bool
app_compare_open_now(const struct app *a)
{
	return a->compare != NULL && a->compare->open;
}

bool
app_compare_shown(const struct app *a)
{
	return a->compare != NULL && a->compare->open && a->compare->shown;
}

void
app_compare_free(struct app *a)
{
	if (a->compare == NULL)
		return;
	sides_free(a->compare);
	free(a->compare);
	a->compare = NULL;
}
