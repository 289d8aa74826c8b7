/*
 * test_digest_write.c: the weekly digest's writers (digest_write.h) on
 * digests built by hand: a full one, one whose sources failed, one whose
 * sections are skipped, and hostile text from outside in every string
 * (<script>, "]]>", "&amp;", Markdown links, '|', OSC 8 escapes, newlines,
 * invalid UTF-8, U+FFFE, a 200-character DAG id).  Checks exact lines of
 * each format; that text fits 80 columns and holds no control byte; that
 * the Markdown renders (cmark-gfm) without a link, an image or HTML from
 * the data and with every table row whole; and that the HTML passes
 * tests/tools/check_digest_html.py (strict XML, no script, nothing remote),
 * which itself is shown to refuse a page with a script and one that is
 * not well-formed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "airflow.h"
#include "buf.h"
#include "digest.h"
#include "digest_write.h"
#include "htmltext.h"
#include "sanitize.h"
#include "tz.h"

#ifndef SRCDIR
#define SRCDIR "."
#endif

#define DAY	86400

/* Hostile text from outside. */
#define H_SCRIPT	"<script>alert('x')</script>"
#define H_CDATA		"]]>&amp;"
#define H_MDLINK	"[x](javascript:alert(1))|col"
#define H_OSC8		"\x1b]8;;http://evil.example/\x07" "click\x1b]8;;\x07"
#define H_NEWLINE	"first\nsecond"
#define H_BADUTF8	"bad\xff\xc3(\xef\xbf\xbe"

static char long_id[201];

static int64_t	week_first;	/* 2026-11-30, a Monday */

static struct sla_def sla_def_full = {
	.name = "orders " H_SCRIPT, .dag_id = "orders", .task_id = NULL,
	.deadline = 10 * 3600, .timezone = NULL, .days = SLA_ALL_DAYS,
	.owner = "ana" H_MDLINK,
};

static struct sla_def sla_def_long = {
	.name = "long", .dag_id = long_id, .task_id = "t" H_OSC8,
	.deadline = 9 * 3600 + 5 * 60, .timezone = NULL, .days = SLA_WEEKDAYS,
	.owner = NULL,
};

static char *
S(const char *s)
{
	return xstrdup(s);
}

static void
origin(struct digest_origin *o, const char *src, int64_t read_at,
    int64_t newest)
{
	o->source = S(src);
	o->read_at = read_at;
	o->newest = newest;
}

static void
sla_days(struct digest_sla *s, const struct sla_def *def,
    const enum sla_outcome *out)
{
	size_t k;

	s->ev.def = def;
	s->ev.ndays = 7;
	s->ev.days = xcalloc(7, sizeof *s->ev.days);
	for (k = 0; k < 7; k++) {
		struct sla_day *d = &s->ev.days[k];

		d->day = week_first + (int64_t)k;
		tz_civil_from_days(d->day, &d->y, &d->m, &d->d);
		d->outcome = out[k];
		d->deadline = d->finished_at = d->expected = TIME_NONE;
		if (out[k] == SLA_LATE) {
			d->late_by = 25 * 60;
			d->finished_at = (d->day + 1) * DAY;
		}
		s->ev.period.count[out[k]]++;
	}
	s->ev.period.judged = s->ev.period.count[SLA_MET] +
	    s->ev.period.count[SLA_LATE] + s->ev.period.count[SLA_FAILED] +
	    s->ev.period.count[SLA_MISSING];
	s->ev.period.compliance = s->ev.period.judged == 0 ? -1 :
	    (double)s->ev.period.count[SLA_MET] / (double)s->ev.period.judged;
	s->ev.period.worst_late = s->ev.period.count[SLA_LATE] > 0 ? 25 * 60 : 0;
	s->ev.trailing = s->ev.period;
	for (k = 0; k < SLA_TRAILING_WEEKS; k++)
		s->weeks[k].compliance = -1;
}

static void
fk_window(struct fk_result *r, int dep, double per_week, int64_t lead,
    double cfr, int failed, int64_t restore)
{
	r->cur.deployments = dep;
	r->cur.per_week = per_week;
	r->cur.per_day = per_week / 7;
	r->cur.freq = dep > 0 ? FK_FREQ_DAILY : FK_FREQ_NONE;
	r->cur.lead_median = lead;
	r->cur.cfr = cfr;
	r->cur.failed = failed;
	r->cur.restore_median = restore;
	r->prev.deployments = 3;
	r->prev.per_week = 3;
	r->prev.per_day = 3.0 / 7;
	r->prev.freq = FK_FREQ_WEEKLY;
	r->prev.lead_median = 3 * 3600;
	r->prev.cfr = 0;
	r->prev.failed = 0;
	r->prev.restore_median = -1;
	r->band_freq = FK_BAND_ELITE;
	r->band_lead = FK_BAND_HIGH;
	r->band_cfr = FK_BAND_LOW;
	r->band_restore = FK_BAND_NONE;
}

/* Every section read, with hostile text in every string. */
static void
digest_full(struct digest *d)
{
	static const enum sla_outcome week1[7] = {
		SLA_MET, SLA_LATE, SLA_FAILED, SLA_MISSING, SLA_PENDING,
		SLA_NOT_APPLICABLE, SLA_MET
	};
	static const enum sla_outcome week2[7] = {
		SLA_MET, SLA_MET, SLA_MET, SLA_MET, SLA_MET,
		SLA_NOT_APPLICABLE, SLA_NOT_APPLICABLE
	};
	static const double trend[6] = { 1, 0.5, 0, 0.9, 1, 0.4 };
	int64_t		read_at = (week_first + 7) * DAY + 8 * 3600 - 60;
	struct digest_failures *f = &d->failures;
	size_t		i;

	digest_init(d);
	d->context = S("prod" H_OSC8);
	d->week = S("2026-W49");
	d->first_day = week_first;
	d->last_day = week_first + 6;
	d->from = week_first * DAY;
	d->to = (week_first + 7) * DAY;
	d->zone = S("UTC");
	d->generated_at = (week_first + 7) * DAY + 8 * 3600;

	origin(&d->origin[DIGEST_SLA], "Airflow database (context prod, 2.10.3)",
	    read_at, read_at - 300);
	d->nsla = 2;
	d->sla = xcalloc(2, sizeof *d->sla);
	sla_days(&d->sla[0], &sla_def_full, week1);
	d->sla[0].ev.trailing.compliance = 0.9;
	d->sla[0].ev.trailing.count[SLA_MET] = 117;
	d->sla[0].ev.trailing.judged = 130;
	for (i = 0; i < 6; i++)
		d->sla[0].weeks[20 + i].compliance = trend[i];
	d->sla[0].zone = S("Asia/Tokyo");
	sla_days(&d->sla[1], &sla_def_long, week2);

	origin(&d->origin[DIGEST_FAILURES], "Airflow database " H_CDATA,
	    read_at, read_at - 300);
	f->runs = 40;
	f->failed_runs = 3;
	f->ndags = 2;
	f->dags = xcalloc(2, sizeof *f->dags);
	f->dags[0].dag_id = S(long_id);
	f->dags[0].owner = S("ops|team " H_MDLINK);
	f->dags[0].runs = 10;
	f->dags[0].failed_runs = 2;
	f->dags[0].failed_tasks = 3;
	f->dags[1].dag_id = S("orders");
	f->dags[1].runs = 30;
	f->dags[1].failed_runs = 1;
	f->dags[1].failed_tasks = 1;
	f->ntasks = 1;
	f->tasks = xcalloc(1, sizeof *f->tasks);
	f->tasks[0].dag_id = S("orders");
	f->tasks[0].task_id = S("load" H_NEWLINE);
	f->tasks[0].failures = 4;
	f->tasks[0].runs = 2;
	f->nrecoveries = 2;
	f->recoveries = xcalloc(2, sizeof *f->recoveries);
	f->recoveries[0].dag_id = S("orders");
	f->recoveries[0].run_id = S("scheduled__2026-12-01");
	f->recoveries[0].failed_at = (week_first + 1) * DAY + 9 * 3600;
	f->recoveries[0].recovered_at = (week_first + 1) * DAY + 10 * 3600;
	f->recoveries[0].recovered_by = S("manual__x");
	f->recoveries[1].dag_id = S(long_id);
	f->recoveries[1].run_id = S("run" H_BADUTF8);
	f->recoveries[1].failed_at = (week_first + 5) * DAY;
	f->recoveries[1].recovered_at = TIME_NONE;
	f->recovery_median = f->recovery_max = 3600;
	f->unrecovered = 1;
	f->nreruns = 1;
	f->reruns = xcalloc(1, sizeof *f->reruns);
	f->reruns[0].time = (week_first + 1) * DAY + 9 * 3600 + 30 * 60;
	f->reruns[0].user = S("bob" H_SCRIPT);
	f->reruns[0].context = S("prod");
	f->reruns[0].dag_id = S("orders");
	f->reruns[0].run_id = S("scheduled__2026-12-01");
	f->reruns[0].tasks = 3;
	f->reruns[0].result = S("cleared");
	origin(&f->reruns_origin, "audit log ~/.local/state/dagtop/audit.log",
	    read_at, read_at - 3600);

	origin(&d->origin[DIGEST_FOURKEYS], "GitHub and the incidents table",
	    read_at, TIME_NONE);
	d->nservices = 1;
	d->services = xcalloc(1, sizeof *d->services);
	d->services[0].name = S("api" H_CDATA);
	origin(&d->services[0].origin, "GitHub acme/api", read_at, read_at - 7200);
	fk_window(&d->services[0].week, 7, 7.0, 2 * 3600, 1.0 / 7, 1, 1800);
	fk_window(&d->services[0].month, 20, 4.7, 4 * 3600, -1, 0, -1);

	origin(&d->origin[DIGEST_SLOTS], "BigQuery project acme-data (US)",
	    read_at, read_at - 120);
	d->slots.peak = 812.5;
	d->slots.peak_at = (week_first + 2) * DAY + 6 * 3600;
	d->slots.average = 120.25;
	d->slots.nresv = 2;
	d->slots.resv = xcalloc(2, sizeof *d->slots.resv);
	d->slots.resv[0].id = S("admin:US.etl");
	d->slots.resv[0].peak = 812.5;
	d->slots.resv[0].peak_at = d->slots.peak_at;
	d->slots.resv[0].average = 100;
	d->slots.resv[0].capacity = 500;
	d->slots.resv[0].minutes_above = 42;
	d->slots.resv[1].id = NULL;
	d->slots.resv[1].peak = 50;
	d->slots.resv[1].peak_at = d->slots.peak_at;
	d->slots.resv[1].average = 20.25;
	d->slots.resv[1].capacity = -1;
	d->slots.ntop = 1;
	d->slots.top = xcalloc(1, sizeof *d->slots.top);
	d->slots.top[0].key = S("orders.load");
	d->slots.top[0].dag_id = S("orders");
	d->slots.top[0].task_id = S("load|x");
	d->slots.top[0].slot_ms = 7200000;
	d->slots.top[0].share = 0.5;
	d->slots.top[0].jobs = 12;
	d->slots.top[0].bytes_billed = 1024 * 1024;

	origin(&d->origin[DIGEST_ENVIRONMENTS], "2 contexts of config.ini",
	    read_at, read_at);
	d->nenvs = 2;
	d->envs = xcalloc(2, sizeof *d->envs);
	d->envs[0].context = S("prod");
	d->envs[0].verdict = VERDICT_WARNING;
	d->envs[0].summary = S("3 failed runs " H_SCRIPT);
	d->envs[0].version = S("2.10.3");
	d->envs[0].active = 12;
	d->envs[0].paused = 3;
	d->envs[0].import_errors = 1;
	d->envs[0].failed = 3;
	d->envs[0].running = 2;
	d->envs[0].queued = 0;
	d->envs[1].context = S("stage" H_BADUTF8);
	d->envs[1].verdict = VERDICT_UNKNOWN;
	d->envs[1].error = S("connection refused " H_OSC8);
}

/* Sources that failed: each section says the error and no figure. */
static void
digest_errors(struct digest *d)
{
	int64_t read_at = (week_first + 7) * DAY + 8 * 3600;

	digest_init(d);
	d->context = S("prod");
	d->week = S("2026-W49");
	d->first_day = week_first;
	d->last_day = week_first + 6;
	d->zone = S("JST-9");
	d->generated_at = read_at;
	origin(&d->origin[DIGEST_SLA], "Airflow database", TIME_NONE, TIME_NONE);
	d->origin[DIGEST_SLA].error = S("connection to server failed: "
	    H_SCRIPT);
	origin(&d->origin[DIGEST_FAILURES], "Airflow database", TIME_NONE,
	    TIME_NONE);
	d->origin[DIGEST_FAILURES].error = S("permission denied " H_NEWLINE);
	origin(&d->failures.reruns_origin, "audit log", TIME_NONE, TIME_NONE);
	d->failures.reruns_origin.error = S("cannot open " H_MDLINK);
	origin(&d->origin[DIGEST_FOURKEYS], "GitHub", read_at, TIME_NONE);
	d->nservices = 1;
	d->services = xcalloc(1, sizeof *d->services);
	d->services[0].name = S("api");
	origin(&d->services[0].origin, "GitHub acme/api", TIME_NONE, TIME_NONE);
	d->services[0].origin.error = S("HTTP 401 " H_CDATA);
	origin(&d->origin[DIGEST_SLOTS], "BigQuery", TIME_NONE, TIME_NONE);
	d->origin[DIGEST_SLOTS].error = S("token expired");
	origin(&d->origin[DIGEST_ENVIRONMENTS], "config", TIME_NONE, TIME_NONE);
	d->origin[DIGEST_ENVIRONMENTS].skipped = S("a single context");
}

/* Nothing configured: every section says why it is empty. */
static void
digest_skipped(struct digest *d)
{
	int64_t read_at = (week_first + 7) * DAY + 8 * 3600;

	digest_init(d);
	d->context = S("solo");
	d->week = S("2026-W49");
	d->first_day = week_first;
	d->last_day = week_first + 6;
	d->zone = S("UTC");
	d->generated_at = read_at;
	origin(&d->origin[DIGEST_SLA], "configuration", read_at, TIME_NONE);
	d->origin[DIGEST_SLA].skipped = S("no SLAs are configured");
	origin(&d->origin[DIGEST_FAILURES], "Airflow database", read_at,
	    TIME_NONE);
	origin(&d->failures.reruns_origin, "audit log", read_at, TIME_NONE);
	origin(&d->origin[DIGEST_FOURKEYS], "configuration", read_at,
	    TIME_NONE);
	d->origin[DIGEST_FOURKEYS].skipped = S("no [service] is configured");
	origin(&d->origin[DIGEST_SLOTS], "configuration", read_at, TIME_NONE);
	d->origin[DIGEST_SLOTS].skipped = S("no BigQuery project is configured");
	origin(&d->origin[DIGEST_ENVIRONMENTS], "configuration", read_at,
	    TIME_NONE);
	d->origin[DIGEST_ENVIRONMENTS].skipped = S("a single context");
}

/* --- checks ------------------------------------------------------------------ */

/* The line of text that starts with prefix (after trimming nothing). */
static bool
has_line(const char *text, const char *line)
{
	size_t		 n = strlen(line);
	const char	*p = text;

	for (;;) {
		if (strncmp(p, line, n) == 0 && (p[n] == '\n' || p[n] == '\0'))
			return true;
		if ((p = strchr(p, '\n')) == NULL)
			return false;
		p++;
	}
}

#define assert_line(text, line) do {					\
	if (!has_line((text), (line))) {				\
		print_error("no line \"%s\" in:\n%s\n", (line), (text));	\
		fail();							\
	}								\
} while (0)

#define assert_has(text, s) do {					\
	if (strstr((text), (s)) == NULL) {				\
		print_error("no \"%s\" in:\n%s\n", (s), (text));	\
		fail();							\
	}								\
} while (0)

#define assert_lacks(text, s) do {					\
	if (strstr((text), (s)) != NULL) {				\
		print_error("\"%s\" in:\n%s\n", (s), (text));		\
		fail();							\
	}								\
} while (0)

/* Valid UTF-8, no control byte but \n, no line over 80 columns. */
static void
assert_terminal_safe(const char *text, size_t max_cols)
{
	const char	*p = text, *nl;
	size_t		 len = strlen(text);
	uint32_t	 cp;
	int		 n;

	while (len > 0) {
		n = utf8_decode(p, len, &cp);
		assert_true(n > 0);
		assert_true(cp == '\n' || (cp >= 0x20 && cp != 0x7f &&
		    (cp < 0x80 || cp > 0x9f)));
		p += n;
		len -= (size_t)n;
	}
	for (p = text; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		if (text_width(p, (size_t)(nl - p)) > max_cols) {
			print_error("line over %zu columns: %.*s\n", max_cols,
			    (int)(nl - p), p);
			fail();
		}
		if (*nl == '\0')
			break;
	}
}

static char *
write_temp(const char *text)
{
	char	path[] = "/tmp/dagtop-digest.XXXXXX";
	int	fd = mkstemp(path);
	size_t	n = strlen(text);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	close(fd);
	return xstrdup(path);
}

/* The checker's exit status on a document (stderr kept when loud). */
static int
run_checker(const char *html, bool loud)
{
	const char	*src = getenv("DAGTOP_SRCDIR");
	char		*path = write_temp(html);
	struct buf	 cmd = BUF_INIT;
	int		 st;

	buf_printf(&cmd, "python3 '%s/tests/tools/check_digest_html.py' '%s'%s",
	    src != NULL && *src != '\0' ? src : SRCDIR, path,
	    loud ? "" : " 2>/dev/null");
	st = system(buf_str(&cmd));
	unlink(path);
	free(path);
	buf_free(&cmd);
	assert_true(st != -1 && WIFEXITED(st));
	return WEXITSTATUS(st);
}

/* cmark-gfm's HTML of a Markdown document. */
static char *
render_md(const char *md)
{
	char		*path = write_temp(md);
	struct buf	 cmd = BUF_INIT, out = BUF_INIT;
	char		 chunk[4096];
	size_t		 n;
	FILE		*f;

	if (system("command -v cmark-gfm >/dev/null 2>&1") != 0) {
		fprintf(stderr, "cmark-gfm missing (tests/lib/deps.sh)\n");
		fail();
	}
	buf_printf(&cmd, "cmark-gfm -e table -e autolink -e strikethrough "
	    "-e tagfilter '%s'", path);
	f = popen(buf_str(&cmd), "r");
	assert_non_null(f);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&out, chunk, n);
	assert_int_equal(pclose(f), 0);
	unlink(path);
	free(path);
	buf_free(&cmd);
	return buf_detach(&out);
}

/* Each rendered table row has as many cells as its table's header. */
static void
assert_tables_whole(const char *html)
{
	const char *t = html;

	while ((t = strstr(t, "<table>")) != NULL) {
		const char *end = strstr(t, "</table>"), *r;
		int head = -1;

		assert_non_null(end);
		for (r = strstr(t, "<tr>"); r != NULL && r < end;
		    r = strstr(r + 4, "<tr>")) {
			const char *re = strstr(r, "</tr>"), *c;
			int cells = 0;

			for (c = r; (c = strstr(c, "<t")) != NULL && c < re; c++)
				if (c[2] == 'd' || c[2] == 'h')
					cells++;
			if (head < 0)
				head = cells;
			assert_int_equal(cells, head);
		}
		t = end;
	}
}

static void
assert_no_outside_markup(const char *html)
{
	assert_lacks(html, "<script");
	assert_lacks(html, "<a ");
	assert_lacks(html, "<img");
	assert_lacks(html, "href=");
	assert_lacks(html, "\x1b");
}

/* DAGTOP_TEST_DUMP=DIR: each output also written to DIR, to look at. */
static void
dump(const char *name, const struct buf *b)
{
	const char	*dir = getenv("DAGTOP_TEST_DUMP");
	struct buf	 path = BUF_INIT;
	FILE		*f;

	if (dir == NULL)
		return;
	buf_printf(&path, "%s/%s", dir, name);
	if ((f = fopen(buf_str(&path), "w")) != NULL) {
		fputs(buf_str(b), f);
		fclose(f);
	}
	buf_free(&path);
}

/* The sections appear once each, in enum digest_section's order. */
static void
assert_order(const char *text, const char *const *marks, size_t n)
{
	const char	*prev = text, *p;
	size_t		 i;

	for (i = 0; i < n; i++) {
		if ((p = strstr(prev, marks[i])) == NULL) {
			print_error("\"%s\" missing or out of order\n", marks[i]);
			fail();
		}
		prev = p;
	}
}

static const char *const text_sections[] = {
	"\nSLA week\n", "\nFailures\n", "\nReruns done from dagtop\n",
	"\nFour Keys\n", "\nBigQuery slots\n", "\nEnvironments\n"
};
static const char *const md_sections[] = {
	"\n## SLA week\n", "\n## Failures\n", "\n### Reruns done from dagtop\n",
	"\n## Four Keys\n", "\n## BigQuery slots\n", "\n## Environments\n"
};
static const char *const html_sections[] = {
	">SLA week</h2>", ">Failures</h2>", ">Reruns done from dagtop</h3>",
	">Four Keys</h2>", ">BigQuery slots</h2>", ">Environments</h2>",
	"</body>\n</html>\n"
};

/* --- tests ------------------------------------------------------------------- */

static void
test_text_full(void **state)
{
	struct digest	d;
	struct buf	b = BUF_INIT;
	const char	*t;

	(void)state;
	digest_full(&d);
	digest_write_text(&b, &d);
	dump("full.txt", &b);
	t = buf_str(&b);
	assert_terminal_safe(t, 80);
	assert_order(t, text_sections, 6);
	assert_line(t, "UNKNOWN: weekly digest of prod^[]8;;http://evil.example/"
	    "^Gclick^[]8;;^G,");
	assert_line(t, "2026-W49");
	assert_line(t, "Week 2026-11-30 to 2026-12-06; generated 2026-12-07 "
	    "08:00:00 UTC (UTC; every");
	assert_line(t, "Status: UNKNOWN (a source could not be read; its section "
	    "says which).");
	assert_line(t, "SLA week");
	assert_line(t, "========");
	assert_line(t, "SLAs from Airflow database (context prod, 2.10.3); read "
	    "12-07 07:59; newest");
	assert_line(t, "    Mon 30 Tue 1   Wed 2  Thu 3   Fri 4   Sat 5 Sun 6");
	assert_line(t, "  orders <script>alert('x')</script> (orders by 10:00 "
	    "Asia/Tokyo daily, owner a\xe2\x80\xa6");
	assert_line(t, "    met    +25m00s failed missing pending n/a   met");
	assert_line(t, "    met    met     met    met     met     n/a   n/a");
	assert_line(t, "  SLA                  week         26 weeks   worst  "
	    "26 weeks, oldest first");
	assert_line(t, "  orders <sc\xe2\x80\xa6   40.0% (2/5)  90.0% (117/130)  "
	    "25m00s  \xc2\xb7\xc2\xb7\xc2\xb7\xc2\xb7\xc2\xb7\xc2\xb7\xc2\xb7\xc2\xb7\xc2\xb7\xc2\xb7"
	    "\xc2\xb7\xc2\xb7\xc2\xb7\xc2\xb7\xc2\xb7\xc2\xb7\xc2\xb7\xc2\xb7\xc2\xb7\xc2\xb7"
	    "\xe2\x96\x88\xe2\x96\x84\xe2\x96\x81\xe2\x96\x87\xe2\x96\x88\xe2\x96\x83");
	assert_line(t, "40 runs ended in the week; 3 failed (7.5%).");
	assert_line(t, "2 failed runs: median 1h00m, worst 1h00m; 1 not recovered "
	    "yet.");
	assert_line(t, "  12-01 09:30  bob<script>ale\xe2\x80\xa6  prod     orders  "
	    "scheduled__202\xe2\x80\xa6      3  cleared");
	assert_line(t, "  orders  loadfirst^Jsecond         4     2");
	assert_line(t, "  orders                  scheduled__2026-12-01  12-01 09:00"
	    "  12-01 10:00  1h00m");
	assert_line(t, "  dag_ddddddddddddddddd\xe2\x80\xa6  runbad\xef\xbf\xbd"
	    "\xef\xbf\xbd(\xef\xbf\xbe             12-05 00:00  not yet          -");
	assert_line(t, "  api]]>&\xe2\x80\xa6  deployments          7 (7.0/week)  "
	    "3 (3.0/week)  \xe2\x86\x91 better  elite");
	assert_line(t, "            change failure rate     14% (1/7)      0% (0/3)"
	    "  \xe2\x86\x91 worse   low");
	assert_line(t, "            time to restore            30m00s             -"
	    "  -         no data");
	assert_line(t, "Peak 812.5 slots at 12-02 06:00; 120.2 slots on average over "
	    "the week.");
	assert_line(t, "  admin:US.etl  812.5  12-02 06:00    100.0       500       "
	    "      42");
	assert_line(t, "  on-demand      50.0  12-02 06:00     20.2         -       "
	    "       0");
	assert_line(t, "  orders.load  orders  load|x         2.0  50.0%    12  "
	    "1.0 MiB");
	/* An environment's error whole, under the table (its cell says so). */
	assert_has(t, "see below");
	assert_has(t, ": could not be read: connection refused");
	assert_has(t, "^[]8;;http://evil.example/^Gclick");
	/* The 200-character id is cut, with an ellipsis. */
	assert_lacks(t, long_id);
	assert_has(t, "dddddddd\xe2\x80\xa6");
	digest_free(&d);
	buf_free(&b);
}

static void
test_text_errors(void **state)
{
	struct digest	d;
	struct buf	b = BUF_INIT;
	const char	*t;

	(void)state;
	digest_errors(&d);
	digest_write_text(&b, &d);
	dump("errors.txt", &b);
	t = buf_str(&b);
	assert_terminal_safe(t, 80);
	assert_string_equal(t,
	    "UNKNOWN: weekly digest of prod, 2026-W49\n"
	    "Week 2026-11-30 to 2026-12-06; generated 2026-12-07 17:00:00 JST "
	    "(JST-9; every\n"
	    "time below in this zone).\n"
	    "Status: UNKNOWN (a source could not be read; its section says "
	    "which).\n"
	    "\n"
	    "SLA week\n"
	    "========\n"
	    "SLAs from Airflow database.\n"
	    "Could not be read: connection to server failed: "
	    "<script>alert('x')</script>\n"
	    "\n"
	    "Failures\n"
	    "========\n"
	    "Runs from Airflow database.\n"
	    "Could not be read: permission denied first^Jsecond\n"
	    "\n"
	    "Reruns done from dagtop\n"
	    "Reruns from audit log.\n"
	    "Could not be read: cannot open [x](javascript:alert(1))|col\n"
	    "\n"
	    "Four Keys\n"
	    "=========\n"
	    "Four Keys from GitHub; read 12-07 17:00.\n"
	    "api: GitHub acme/api.\n"
	    "api could not be read: HTTP 401 ]]>&amp;\n"
	    "\n"
	    "BigQuery slots\n"
	    "==============\n"
	    "Slots from BigQuery.\n"
	    "Could not be read: token expired\n"
	    "\n"
	    "Environments\n"
	    "============\n"
	    "Health from config.\n"
	    "Nothing to show: a single context\n");
	assert_int_equal(digest_rc(&d), 3);
	digest_free(&d);
	buf_free(&b);
}

static void
test_text_skipped(void **state)
{
	struct digest	d;
	struct buf	b = BUF_INIT;
	const char	*t;

	(void)state;
	digest_skipped(&d);
	digest_write_text(&b, &d);
	dump("skipped.txt", &b);
	t = buf_str(&b);
	assert_terminal_safe(t, 80);
	assert_order(t, text_sections, 6);
	assert_line(t, "Status: OK (no SLA missed, no context in trouble).");
	assert_line(t, "Nothing to show: no SLAs are configured");
	assert_line(t, "0 runs ended in the week; 0 failed.");
	assert_line(t, "No failed run.");
	assert_line(t, "No rerun this week.");
	assert_line(t, "Nothing to show: no [service] is configured");
	assert_line(t, "Nothing to show: no BigQuery project is configured");
	assert_lacks(t, "reservation");
	assert_lacks(t, "Top consumers");
	assert_line(t, "Nothing to show: a single context");
	digest_free(&d);
	buf_free(&b);
}

static void
test_markdown(void **state)
{
	struct digest	d;
	struct buf	b = BUF_INIT;
	char		*html;
	const char	*t;

	(void)state;
	digest_full(&d);
	digest_write_markdown(&b, &d);
	dump("full.md", &b);
	t = buf_str(&b);
	assert_order(t, md_sections, 6);
	assert_lacks(t, "\x1b");
	assert_lacks(t, "[x](");
	assert_line(t, "## SLA week");
	assert_line(t, "| SLA | Mon 30 | Tue 1 | Wed 2 | Thu 3 | Fri 4 | Sat 5 "
	    "| Sun 6 |");
	assert_line(t, "|---|---|---|---|---|---|---|---|");
	assert_has(t, "| orders \\<script\\>alert\\(\\'x\\'\\)\\<\\/script\\> "
	    "(orders by 10:00 Asia\\/Tokyo daily, owner ana\\[x\\]\\("
	    "javascript\\:alert\\(1\\)\\)\\|col) | met | **+25m00s** | "
	    "**failed** | **missing** | pending | n/a | met |");
	assert_has(t, "| **40.0% (2/5)** | 90.0% (117/130) | 25m00s | "
	    "····················█▄▁▇█▃ |");
	assert_line(t, "40 runs ended in the week; 3 failed (7.5%).");
	assert_has(t, "| ops\\|team \\[x\\]\\(javascript\\:alert\\(1\\)\\)\\|col |");
	html = render_md(t);
	assert_no_outside_markup(html);
	assert_tables_whole(html);
	assert_has(html, "<h2>SLA week</h2>");
	assert_has(html, "<strong>+25m00s</strong>");
	free(html);
	digest_free(&d);
	buf_free(&b);

	digest_errors(&d);
	digest_write_markdown(&b, &d);
	dump("errors.md", &b);
	t = buf_str(&b);
	assert_line(t, "**Could not be read: connection to server failed\\: "
	    "\\<script\\>alert\\(\\'x\\'\\)\\<\\/script\\>**");
	html = render_md(t);
	assert_no_outside_markup(html);
	free(html);
	digest_free(&d);
	buf_free(&b);
}

static void
test_html(void **state)
{
	struct digest	d;
	struct buf	b = BUF_INIT;
	const char	*t;

	(void)state;
	digest_full(&d);
	digest_write_html(&b, &d);
	dump("full.html", &b);
	t = buf_str(&b);
	assert_int_equal(run_checker(t, true), 0);
	assert_order(t, html_sections, 7);
	assert_lacks(t, "<script");
	assert_lacks(t, "\x1b");
	assert_lacks(t, "\xef\xbf\xbe");
	assert_lacks(t, "]]>");
	assert_has(t, "<title>UNKNOWN: weekly digest of prod^[]8;;http://evil.example/^G"
	    "click^[]8;;^G, 2026-W49</title>");
	assert_has(t, "<h2 style=");
	assert_has(t, ">SLA week</h2>");
	assert_has(t, "<tr valign=\"top\"><td>orders &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; "
	    "(orders by 10:00 Asia/Tokyo daily, owner ana[x](javascript:"
	    "alert(1))|col)</td>");
	assert_has(t, "<td style=\"background-color:#fdecea;color:#7f1d1d;"
	    "font-weight:bold;\">+25m00s</td>");
	assert_has(t, "api]]&gt;&amp;amp;");
	/* A service's origin line says its data's age as a section's does. */
	assert_has(t, "GitHub acme/api; read ");
	assert_has(t, " (2h00m before the read).");
	assert_has(t, "bad\xef\xbf\xbd\xef\xbf\xbd(\xef\xbf\xbd");
	/* The trend: 26 bars, the weeks' heights in pixels of 20. */
	assert_has(t, "title=\"40.0%\"><table cellpadding=\"0\" "
	    "cellspacing=\"0\" border=\"0\"><tr><td height=\"8\" width=\"5\" "
	    "bgcolor=\"#c62828\" style=\"font-size:1px;line-height:1px\">"
	    "&#160;</td></tr></table></td>");
	assert_has(t, "title=\"100.0%\"><table cellpadding=\"0\" "
	    "cellspacing=\"0\" border=\"0\"><tr><td height=\"20\" width=\"5\" "
	    "bgcolor=\"#2e7d32\"");
	assert_has(t, "title=\"nothing judged\"");
	digest_free(&d);
	buf_free(&b);

	digest_errors(&d);
	digest_write_html(&b, &d);
	dump("errors.html", &b);
	assert_int_equal(run_checker(buf_str(&b), true), 0);
	assert_has(buf_str(&b), "font-weight:bold\">Could not be read: "
	    "connection to server failed: &lt;script&gt;");
	digest_free(&d);
	buf_free(&b);

	digest_skipped(&d);
	digest_write_html(&b, &d);
	assert_int_equal(run_checker(buf_str(&b), true), 0);
	digest_free(&d);
	buf_free(&b);
}

/* The checker is not a rubber stamp. */
static void
test_checker_refuses(void **state)
{
	static const char *const bad[] = {
		/* a script */
		"<html xmlns=\"http://www.w3.org/1999/xhtml\"><body>"
		"<script>alert(1)</script></body></html>",
		/* not well-formed */
		"<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><p>a</b>"
		"</body></html>",
		/* an undefined entity: a strict parse */
		"<html xmlns=\"http://www.w3.org/1999/xhtml\"><body>&nbsp;"
		"</body></html>",
		/* an event handler */
		"<html xmlns=\"http://www.w3.org/1999/xhtml\"><body "
		"onload=\"x()\"></body></html>",
		/* a remote image, a remote link, a javascript: link */
		"<html xmlns=\"http://www.w3.org/1999/xhtml\"><body>"
		"<img src=\"https://evil.example/p.gif\" /></body></html>",
		/* a relative image: fetched from wherever the mail is read */
		"<html xmlns=\"http://www.w3.org/1999/xhtml\"><body>"
		"<img src=\"p.gif\" /></body></html>",
		"<html xmlns=\"http://www.w3.org/1999/xhtml\"><body>"
		"<img srcset=\"a.png 1x, data:image/png;base64,AA== 2x\" />"
		"</body></html>",
		"<html xmlns=\"http://www.w3.org/1999/xhtml\"><body>"
		"<a href=\"//evil.example/\">x</a></body></html>",
		"<html xmlns=\"http://www.w3.org/1999/xhtml\"><body>"
		"<a href=\" Java&#9;Script:alert(1)\">x</a></body></html>",
		/* a remote background in a style */
		"<html xmlns=\"http://www.w3.org/1999/xhtml\"><body style=\""
		"background:url('http://evil.example/x.png')\"></body></html>",
		/* an iframe, a stylesheet */
		"<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><iframe "
		"src=\"x\"></iframe></body></html>",
		"<html xmlns=\"http://www.w3.org/1999/xhtml\"><head><link "
		"rel=\"stylesheet\" href=\"s.css\" /></head></html>",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		if (run_checker(bad[i], false) != 1) {
			print_error("the checker took: %s\n", bad[i]);
			fail();
		}
	}
	assert_int_equal(run_checker("<html xmlns=\"http://www.w3.org/1999/"
	    "xhtml\"><body><p style=\"color:#000\">ok &#160;</p><a href=\""
	    "mailto:a@example.com\">a</a></body></html>", true), 0);
}

static void
test_html_text(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	html_text(&b, "<a href=\"x\">'&amp;'</a>");
	assert_string_equal(buf_str(&b), "&lt;a href=&quot;x&quot;&gt;&#39;"
	    "&amp;amp;&#39;&lt;/a&gt;");
	buf_reset(&b);
	html_text(&b, "\x1b[31mred\x07 \xff \xef\xbf\xbf\xef\xbf\xbe ok\n");
	assert_string_equal(buf_str(&b), "^[[31mred^G \xef\xbf\xbd "
	    "\xef\xbf\xbd\xef\xbf\xbd ok^J");
	buf_reset(&b);
	html_text(&b, NULL);
	assert_string_equal(buf_str(&b), "-");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_text),
		cmocka_unit_test(test_text_full),
		cmocka_unit_test(test_text_errors),
		cmocka_unit_test(test_text_skipped),
		cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_checker_refuses),
	};

	memset(long_id, 'd', 200);
	memcpy(long_id, "dag_", 4);
	week_first = tz_days_from_civil(2026, 11, 30);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
