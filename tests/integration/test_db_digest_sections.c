/*
 * test_db_digest_sections.c: the weekly digest's sections read from
 * sources of their own (digest_read.h), for a fixed past week, W47 of
 * 2026: [2026-11-16, 2026-11-23) UTC.
 *
 *  - Four Keys: the GitHub emulator's dataset "test" with its NOW at the
 *    week's end (--now), services api, web and data beside "gone" (a 404):
 *    the 30 days and the 30 before are tests/emulator/fixtures/
 *    github_expected.json's, worked out by hand in github_expected.md; the
 *    7 days and the 7 before are worked out below from the same lists
 *    (T(d) = NOW - d days - 10 h: C7 holds d 0..6, P7 d 7..13).
 *  - Slots: the BigQuery emulator's project "pastweek", whose fixed week
 *    is in bigquery_emu.py (PASTWEEK, PW_*): the figures below follow
 *    from it by hand; 999-slot decoys and two jobs lie just outside the
 *    week, so any slip of the bounds dagtop sends shows.  Project
 *    "denied" gives an error, a context without a project is skipped.
 *  - Environments: contexts on run.sh's af<schema>_ok (OK) and
 *    af<schema>_down (scheduler dead: CRITICAL) and one on a port nothing
 *    listens on; the counts are those `dagtop report status --format json`
 *    gives for the same window.
 *
 * The emulators' part does not depend on the schema: it runs on schema
 * 2's turn only; the environments on every schema.
 */
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <jansson.h>

#include "buf.h"
#include "config.h"
#include "dbtest.h"
#include "digest_read.h"
#include "loop.h"

#define WEEK_FROM	1794787200	/* 2026-11-16 00:00 UTC */
#define WEEK_TO		1795392000	/* 2026-11-23 00:00 UTC */
#define MINUTES		10080.0

static char	dir[128];
static pid_t	emu_pid;	/* the emulator running, stopped whatever happens */

#define assert_near(a, b) \
	do { \
		double a_ = (a), b_ = (b); \
		if (fabs(a_ - b_) > 1e-6 * (fabs(b_) > 1 ? fabs(b_) : 1)) \
			fail_msg("%s: %.9g, expected %.9g", #a, a_, b_); \
	} while (0)

/* An emulator: python3 SCRIPT --port-file PF ARGS...; its port, or fail. */
static void
emu_start(const char *script, const char *const *args, int *port_out)
{
	char		 pf[256];
	const char	*argv[16];
	FILE		*f;
	int		 p = 0, n = 0;
	pid_t		 pid;

	snprintf(pf, sizeof pf, "%s/%s.port", dir, strrchr(script, '/') + 1);
	unlink(pf);
	argv[n++] = "python3";
	argv[n++] = script;
	argv[n++] = "--port-file";
	argv[n++] = pf;
	while (*args != NULL && n < 15)
		argv[n++] = *args++;
	argv[n] = NULL;
	if ((pid = fork()) == 0) {
		execv("/usr/bin/python3", (char *const *)argv);
		_exit(127);
	}
	emu_pid = pid;
	for (int i = 0; i < 200 && p == 0; i++) {
		usleep(50000);
		if ((f = fopen(pf, "r")) != NULL) {
			if (fscanf(f, "%d", &p) != 1)
				p = 0;
			fclose(f);
		}
	}
	if (p == 0)
		fail_msg("%s did not start", script);
	*port_out = p;
}

static void
emu_stop(void)
{
	if (emu_pid > 0) {
		kill(emu_pid, SIGTERM);
		waitpid(emu_pid, NULL, 0);
	}
	emu_pid = 0;
}

/* After each test, passed or failed. */
static int
emu_teardown(void **state)
{
	(void)state;
	emu_stop();
	return 0;
}

/* Writes text to dir/name (mode 600) and loads it as the configuration. */
static void
load_config(struct config *cfg, const char *name, const char *text)
{
	char	 path[256];
	FILE	*f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
	chmod(path, 0600);
	if (config_load(cfg, path, NULL) != 0)
		fail_msg("%s does not load: %s", name,
		    buf_str(&cfg->errors));
}

static void
week_digest(struct digest *d)
{
	digest_init(d);
	d->from = WEEK_FROM;
	d->to = WEEK_TO;
}

/* --- Four Keys ------------------------------------------------------------ */

struct fk_want {
	int	 dep, changes;
	int64_t	 lead_median, lead_p90;
	int	 failed;
	double	 cfr;
	int	 incidents, restored;
	int64_t	 restore_median;
	enum fk_freq freq;
};

/* Per service: 7 days, the 7 before, 30 days, the 30 before. */
static const struct {
	const char	*name;
	struct fk_want	 w[4];
} fk_wants[] = {
	/*
	 * api C7: d5 [100] (the commit after it dropped), d3 [360], d1
	 * [50,10]: leads 10 50 100 360, median 75 min, p90 4th = 360 min;
	 * I3 (4 h) and I4 (1 h) on d5, I5 open on d1: failed 2 of 3, restore
	 * (3600+14400)/2; block {1,3,5} = 3 days: daily.  P7: d12 [150], d10
	 * [300,75], d8 [15]: 15 75 150 300, median 112.5 min, p90 300 min;
	 * I2 (90 min) on d12: 1 of 3; {8,10,12}: daily.
	 */
	{ "api", {
	    { 3, 4, 4500, 21600, 2, 2.0 / 3, 3, 2, 9000, FK_FREQ_DAILY },
	    { 3, 4, 6750, 18000, 1, 1.0 / 3, 1, 1, 5400, FK_FREQ_DAILY },
	    { 12, 18, 5700, 88200, 3, 0.25, 5, 4, 8100, FK_FREQ_DAILY },
	    { 5, 127, 36000, 65400, 3, 0.6, 2, 2, 57600, FK_FREQ_WEEKLY } } },
	/*
	 * web C7: v1.6.0 d2 [2000,200,10]: median 200 min, p90 3rd = 2000
	 * min; no incident, failed 0 of 1; one block with one day: weekly.
	 * P7: v1.5.0 d9 [4320,30]: median 2175 min, p90 2nd = 4320 min; W1
	 * (45 min) on it: 1 of 1; weekly.
	 */
	{ "web", {
	    { 1, 3, 12000, 120000, 0, 0.0, 0, 0, -1, FK_FREQ_WEEKLY },
	    { 1, 2, 130500, 259200, 1, 1.0, 1, 1, 2700, FK_FREQ_WEEKLY },
	    { 4, 8, 9600, 259200, 1, 0.25, 1, 1, 2700, FK_FREQ_WEEKLY },
	    { 2, 4, 8100, 16200, 0, 0.0, 0, 0, -1, FK_FREQ_MONTHLY } } },
	/*
	 * data C7: merges d5 60, d3 240, d2 30: median 60 min, p90 240 min;
	 * M2 open on d2: 1 of 3, no restore; {2,3,5}: daily.  P7: nothing
	 * merged (d19 is next): no data, class none.
	 */
	{ "data", {
	    { 3, 3, 3600, 14400, 1, 1.0 / 3, 1, 0, -1, FK_FREQ_DAILY },
	    { 0, 0, -1, -1, 0, -1, 0, 0, -1, FK_FREQ_NONE },
	    { 5, 5, 5400, 86400, 1, 0.2, 1, 0, -1, FK_FREQ_MONTHLY },
	    { 10, 10, 6600, 10800, 1, 0.1, 1, 1, 21600, FK_FREQ_DAILY } } },
};

static void
check_metrics(const char *svc, int k, const struct fk_metrics *m,
    const struct fk_want *w, int days, int64_t to)
{
	char what[64];

	snprintf(what, sizeof what, "%s %s%d days", svc, k % 2 ? "before " :
	    "", days);
	if (m->from != to - (int64_t)days * 86400 || m->to != to)
		fail_msg("%s: window [%lld, %lld)", what, (long long)m->from,
		    (long long)m->to);
	if (m->deployments != w->dep || m->changes != w->changes ||
	    m->lead_median != w->lead_median || m->lead_p90 != w->lead_p90 ||
	    m->failed != w->failed || m->incidents != w->incidents ||
	    m->restored != w->restored ||
	    m->restore_median != w->restore_median || m->freq != w->freq)
		fail_msg("%s: %d deployments, %d changes, lead %lld p90 %lld, "
		    "%d failed, %d incidents, %d restored, restore %lld, %s",
		    what, m->deployments, m->changes, (long long)m->lead_median,
		    (long long)m->lead_p90, m->failed, m->incidents,
		    m->restored, (long long)m->restore_median,
		    fk_freq_name(m->freq));
	assert_near(m->cfr, w->cfr);
}

static void
test_fourkeys(void **state)
{
	static const char conf[] =
	    "[dagtop]\n"
	    "github_url = http://127.0.0.1:%d\n"
	    "github_token_env = GH_TEST_TOKEN\n"
	    "[service \"api\"]\nrepos = acme/api\nenvironment = production\n"
	    "deployments = deployments\nincident_label = Incident\n"
	    "[service \"gone\"]\nrepos = acme/gone\n"
	    "deployments = releases\n"
	    "[service \"web\"]\nrepos = acme/web\ndeployments = releases\n"
	    "[service \"data\"]\nrepos = acme/data\ndeployments = merges\n"
	    "branch = main\nlead_time = pull_requests\n";
	const char	*args[] = { "--dataset", "test", "--token",
			    "ghp_emuTestToken0123456789", "--now", "1795392000",
			    NULL };
	struct config	 cfg;
	struct digest	 d;
	char		 text[1024];
	int		 p;
	size_t		 i, k, good = 0;

	(void)state;
	emu_start("tests/emulator/github_emu.py", args, &p);
	setenv("GH_TEST_TOKEN", "ghp_emuTestToken0123456789", 1);
	snprintf(text, sizeof text, conf, p);
	load_config(&cfg, "fk.conf", text);
	week_digest(&d);
	digest_read_fourkeys(&d, &cfg);
	emu_stop();
	assert_null(d.origin[DIGEST_FOURKEYS].error);
	assert_null(d.origin[DIGEST_FOURKEYS].skipped);
	assert_non_null(d.origin[DIGEST_FOURKEYS].source);
	assert_int_equal(d.nservices, 4);
	for (i = 0; i < d.nservices; i++) {
		const struct digest_service *s = &d.services[i];

		assert_non_null(s->origin.source);
		if (strcmp(s->name, "gone") == 0) {
			/* Its error, and the others still read. */
			assert_non_null(s->origin.error);
			assert_non_null(strstr(s->origin.error, "404"));
			continue;
		}
		if (s->origin.error != NULL)
			fail_msg("%s: %s", s->name, s->origin.error);
		assert_true(s->origin.read_at > WEEK_TO &&
		    s->origin.read_at <= (int64_t)time(NULL));
		assert_true(s->origin.newest != TIME_NONE &&
		    s->origin.newest < WEEK_TO);
		for (k = 0; k < sizeof fk_wants / sizeof *fk_wants; k++) {
			if (strcmp(fk_wants[k].name, s->name) != 0)
				continue;
			good++;
			check_metrics(s->name, 0, &s->week.cur,
			    &fk_wants[k].w[0], 7, WEEK_TO);
			check_metrics(s->name, 1, &s->week.prev,
			    &fk_wants[k].w[1], 7, WEEK_TO - 7 * 86400);
			check_metrics(s->name, 2, &s->month.cur,
			    &fk_wants[k].w[2], 30, WEEK_TO);
			check_metrics(s->name, 3, &s->month.prev,
			    &fk_wants[k].w[3], 30, WEEK_TO - 30 * 86400);
		}
	}
	assert_int_equal(good, 3);
	/* A service that failed makes the digest's exit status 3. */
	assert_int_equal(digest_rc(&d), 3);
	digest_free(&d);
	config_free(&cfg);

	/* No [service]: skipped, not an error. */
	load_config(&cfg, "nofk.conf", "[dagtop]\n");
	week_digest(&d);
	digest_read_fourkeys(&d, &cfg);
	assert_null(d.origin[DIGEST_FOURKEYS].error);
	assert_string_equal(d.origin[DIGEST_FOURKEYS].skipped,
	    "no [service] is configured");
	assert_int_equal(d.nservices, 0);
	digest_free(&d);
	config_free(&cfg);
}

/* --- slots ---------------------------------------------------------------- */

/* The settings of context name in the slots configuration. */
static void
slots_settings(struct config *cfg, const char *name, struct settings *s)
{
	struct cli_options	cli;
	struct buf		err = BUF_INIT;

	memset(&cli, 0, sizeof cli);
	cli.context = name;
	if (config_resolve_no_database(cfg, &cli, s, &err) != 0)
		fail_msg("context %s: %s", name, buf_str(&err));
	buf_free(&err);
}

static const struct digest_reservation *
resv(const struct digest *d, const char *id)
{
	size_t i;

	for (i = 0; i < d->slots.nresv; i++)
		if ((id == NULL && d->slots.resv[i].id == NULL) ||
		    (id != NULL && d->slots.resv[i].id != NULL &&
		    strcmp(d->slots.resv[i].id, id) == 0))
			return &d->slots.resv[i];
	fail_msg("no reservation %s", id != NULL ? id : "(on-demand)");
	return NULL;
}

static void
test_slots(void **state)
{
	static const char conf[] =
	    "[context week]\n"
	    "bigquery_project = pastweek\n"
	    "bigquery_location = US\n"
	    "bigquery_url = http://127.0.0.1:%d/bigquery/v2\n"
	    "google_auth = command\n"
	    "google_token_command = printf 'emu-command-token\\n'\n"
	    "[context denied]\n"
	    "bigquery_project = denied\n"
	    "bigquery_location = US\n"
	    "bigquery_url = http://127.0.0.1:%d/bigquery/v2\n"
	    "google_auth = command\n"
	    "google_token_command = printf 'emu-command-token\\n'\n"
	    "[context nobq]\n"
	    "timezone = UTC\n";
	const char				*args[] = { "--log", NULL, NULL };
	const struct digest_reservation		*r;
	struct config				 cfg;
	struct settings				 s;
	struct digest				 d;
	char					 text[1024], log[256];
	char					 line[512];
	FILE					*f;
	int					 p, params = 0;

	(void)state;
	snprintf(log, sizeof log, "%s/bq.log", dir);
	args[1] = log;
	unsetenv("GOOGLE_CLOUD_PROJECT");
	emu_start("tests/emulator/bigquery_emu.py", args, &p);
	snprintf(text, sizeof text, conf, p, p);
	load_config(&cfg, "bq.conf", text);

	slots_settings(&cfg, "week", &s);
	week_digest(&d);
	digest_read_slots(&d, &s);
	settings_free(&s);
	if (d.origin[DIGEST_SLOTS].error != NULL)
		fail_msg("slots: %s", d.origin[DIGEST_SLOTS].error);
	assert_null(d.origin[DIGEST_SLOTS].skipped);
	assert_non_null(strstr(d.origin[DIGEST_SLOTS].source, "pastweek"));
	assert_true(d.origin[DIGEST_SLOTS].read_at > WEEK_TO);
	assert_int_equal(d.origin[DIGEST_SLOTS].newest, WEEK_TO - 60);
	/*
	 * Every minute etl 100; 2026-11-19 10:00 etl 420; 11-20 14:00-14:20
	 * adhoc 140; 11-18 09:00-10:00 on-demand 50.  The busiest minute is
	 * etl's 420 (not the 999 decoys just outside), the average
	 * (100 * 10080 + 320 + 140 * 20 + 50 * 60) / 10080.
	 */
	assert_near(d.slots.peak, 420);
	assert_int_equal(d.slots.peak_at, 1795082400);
	assert_near(d.slots.average, 1014120 / MINUTES);
	assert_int_equal(d.slots.nresv, 3);	/* bi is not used */
	/* etl: 420 < baseline 300 + autoscale 100 + bi's and adhoc's idle. */
	r = resv(&d, "demo-project:US.etl");
	assert_near(r->peak, 420);
	assert_int_equal(r->peak_at, 1795082400);
	assert_near(r->average, (100 * MINUTES + 320) / MINUTES);
	assert_near(r->capacity, 400);
	assert_int_equal(r->minutes_above, 0);
	/* adhoc: 140 > 50 + 50 (it ignores idle slots) for 20 minutes. */
	r = resv(&d, "demo-project:US.adhoc");
	assert_near(r->peak, 140);
	assert_int_equal(r->peak_at, 1795183200);
	assert_near(r->average, 140 * 20 / MINUTES);
	assert_near(r->capacity, 100);
	assert_int_equal(r->minutes_above, 20);
	r = resv(&d, NULL);
	assert_near(r->peak, 50);
	assert_int_equal(r->peak_at, 1794992400);
	assert_near(r->average, 50 * 60 / MINUTES);
	assert_near(r->capacity, -1);
	assert_int_equal(r->minutes_above, 0);
	/*
	 * The week's jobs: etl_daily.load_to_bq 6e6 + 4e6 slot-ms (1 GiB
	 * billed each), the analyst's 8e6 (no labels), report_weekly.build
	 * 2e6 (512 MiB): 2e7 in all.  The Airflow tasks are the top.
	 */
	assert_int_equal(d.slots.ntop, 2);
	assert_string_equal(d.slots.top[0].key, "etl_daily.load_to_bq");
	assert_string_equal(d.slots.top[0].dag_id, "etl_daily");
	assert_string_equal(d.slots.top[0].task_id, "load_to_bq");
	assert_near(d.slots.top[0].slot_ms, 1e7);
	assert_near(d.slots.top[0].share, 0.5);
	assert_int_equal(d.slots.top[0].jobs, 2);
	assert_int_equal(d.slots.top[0].bytes_billed, 2147483648LL);
	assert_string_equal(d.slots.top[1].key, "report_weekly.build");
	assert_near(d.slots.top[1].slot_ms, 2e6);
	assert_near(d.slots.top[1].share, 0.1);
	assert_int_equal(d.slots.top[1].jobs, 1);
	assert_int_equal(d.slots.top[1].bytes_billed, 536870912);
	digest_free(&d);
	/* The bounds went as parameters, the week's. */
	assert_non_null(f = fopen(log, "r"));
	while (fgets(line, sizeof line, f) != NULL)
		if (strcmp(line, "PARAMS window_start=2026-11-16 00:00:00+00:00 "
		    "window_end=2026-11-23 00:00:00+00:00\n") == 0)
			params++;
	fclose(f);
	assert_int_equal(params, 3);

	/*
	 * The week still under way (--week this): read up to now, so the
	 * average is over the two hours gone (etl's 100 a minute), not
	 * diluted by the minutes still to come.
	 */
	slots_settings(&cfg, "week", &s);
	digest_init(&d);
	d.from = (int64_t)time(NULL) / 60 * 60 - 7200;
	d.to = d.from + 7 * 86400;
	digest_read_slots(&d, &s);
	settings_free(&s);
	if (d.origin[DIGEST_SLOTS].error != NULL)
		fail_msg("slots so far: %s", d.origin[DIGEST_SLOTS].error);
	assert_non_null(strstr(d.origin[DIGEST_SLOTS].source,
	    "; the week so far"));
	assert_near(d.slots.average, 100);
	digest_free(&d);

	/* BigQuery's refusal is the section's error. */
	slots_settings(&cfg, "denied", &s);
	week_digest(&d);
	digest_read_slots(&d, &s);
	settings_free(&s);
	assert_non_null(d.origin[DIGEST_SLOTS].error);
	assert_non_null(strstr(d.origin[DIGEST_SLOTS].error, "accessDenied"));
	assert_int_equal(digest_rc(&d), 3);
	digest_free(&d);

	/* No project: skipped. */
	slots_settings(&cfg, "nobq", &s);
	week_digest(&d);
	digest_read_slots(&d, &s);
	settings_free(&s);
	assert_null(d.origin[DIGEST_SLOTS].error);
	assert_string_equal(d.origin[DIGEST_SLOTS].skipped,
	    "no BigQuery project is configured");
	digest_free(&d);
	emu_stop();
	config_free(&cfg);
}

/* --- environments --------------------------------------------------------- */

/* `dagtop report status --format json` of one context, since `since`. */
static json_t *
status_json(const char *cfgpath, const char *context, int64_t since)
{
	const char	*bin = getenv("DAGTOP_BIN");
	struct buf	 cmd = BUF_INIT, out = BUF_INIT;
	char		 chunk[4096];
	size_t		 n;
	FILE		*p;
	json_t		*doc;

	if (bin == NULL)
		fail_msg("DAGTOP_BIN is not set");
	buf_printf(&cmd, "'%s' --config '%s' --context %s report status "
	    "--format json --since %llds", bin, cfgpath, context,
	    (long long)((int64_t)time(NULL) - since));
	assert_non_null(p = popen(buf_str(&cmd), "r"));
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
		buf_append(&out, chunk, n);
	pclose(p);
	if ((doc = json_loads(buf_str(&out), 0, NULL)) == NULL)
		fail_msg("report status %s: %s", context, buf_str(&out));
	buf_free(&cmd);
	buf_free(&out);
	return doc;
}

static size_t
jcount(json_t *doc, const char *obj, const char *key)
{
	return (size_t)json_integer_value(json_object_get(
	    json_object_get(doc, obj), key));
}

/* The context's entry agrees with report status over the same window. */
static void
check_env(const struct digest_env *e, const char *cfgpath, int64_t since,
    enum verdict want)
{
	json_t		*doc = status_json(cfgpath, e->context, since);
	const char	*rel;

	if (e->error != NULL)
		fail_msg("%s: %s", e->context, e->error);
	assert_int_equal(e->verdict, want);
	assert_int_equal(json_integer_value(json_object_get(doc, "exit_code")),
	    want);
	/*
	 * The summary up to the heartbeat's age, which run.sh keeps moving
	 * (10 minutes ago, reset every 2 s): the two reads are seconds apart.
	 */
	assert_non_null(e->summary);
	assert_int_equal(strcspn(e->summary, "("), strcspn(json_string_value(
	    json_object_get(doc, "summary")), "("));
	assert_memory_equal(e->summary, json_string_value(json_object_get(doc,
	    "summary")), strcspn(e->summary, "("));
	assert_int_equal(e->active, jcount(doc, "dags", "active"));
	assert_int_equal(e->paused, jcount(doc, "dags", "paused"));
	assert_int_equal(e->import_errors, jcount(doc, "dags",
	    "import_errors"));
	assert_int_equal(e->failed, jcount(doc, "run_counts", "failed"));
	assert_int_equal(e->running, jcount(doc, "run_counts", "running"));
	assert_int_equal(e->queued, jcount(doc, "run_counts", "queued"));
	assert_true(e->active > 0);
	rel = json_string_value(json_object_get(json_object_get(doc,
	    "airflow"), "release"));
	assert_non_null(e->version);
	assert_non_null(rel);
	assert_string_equal(e->version, rel);
	json_decref(doc);
}

static void
test_envs(void **state)
{
#define ENVS_CONTEXTS \
	    "[context ok]\n" \
	    "database = postgresql://postgres@127.0.0.1:%s/%s_ok\n" \
	    "[context down]\n" \
	    "database = postgresql://postgres@127.0.0.1:%s/%s_down\n" \
	    "[context gone]\n" \
	    "database = postgresql://postgres@127.0.0.1:1/%s\n"
	static const char conf[] =
	    "[dagtop]\n"
	    "contexts = ok, down, gone\n"
	    ENVS_CONTEXTS;
	struct cli_options	 cli;
	struct config		 cfg;
	struct digest		 d;
	char			 text[1024], path[256], db[32];
	int64_t			 since = (int64_t)time(NULL) - 8 * 86400;

	(void)state;
	snprintf(db, sizeof db, "af%d", schema);
	snprintf(text, sizeof text, conf, port, db, port, db, db);
	load_config(&cfg, "envs.conf", text);
	snprintf(path, sizeof path, "%s/envs.conf", dir);
	memset(&cli, 0, sizeof cli);
	cli.config = path;
	digest_init(&d);
	d.from = since;
	d.to = since + 7 * 86400;
	digest_read_envs(&d, &cfg, &cli);
	assert_null(d.origin[DIGEST_ENVIRONMENTS].error);
	assert_null(d.origin[DIGEST_ENVIRONMENTS].skipped);
	assert_non_null(d.origin[DIGEST_ENVIRONMENTS].source);
	assert_true(d.origin[DIGEST_ENVIRONMENTS].newest != TIME_NONE);
	assert_int_equal(d.nenvs, 3);
	assert_string_equal(d.envs[0].context, "ok");
	assert_string_equal(d.envs[1].context, "down");
	assert_string_equal(d.envs[2].context, "gone");
	check_env(&d.envs[0], path, since, VERDICT_OK);
	assert_int_equal(d.envs[0].failed, 0);
	assert_int_equal(d.envs[0].import_errors, 0);
	check_env(&d.envs[1], path, since, VERDICT_CRITICAL);
	/* The one nothing answers: its error, the others read. */
	assert_int_equal(d.envs[2].verdict, VERDICT_UNKNOWN);
	assert_non_null(d.envs[2].error);
	assert_null(d.envs[2].summary);
	assert_int_equal(digest_rc(&d), 3);
	digest_free(&d);

	/* The digest is ok's: the environments are still the file's list. */
	cli.context = "ok";
	digest_init(&d);
	d.from = since;
	digest_read_envs(&d, &cfg, &cli);
	assert_null(d.origin[DIGEST_ENVIRONMENTS].skipped);
	assert_int_equal(d.nenvs, 3);
	digest_free(&d);
	config_free(&cfg);

	/* Without a contexts = list: skipped, whatever [context]s there are. */
	snprintf(text, sizeof text, ENVS_CONTEXTS, port, db, port, db, db);
#undef ENVS_CONTEXTS
	load_config(&cfg, "envs1.conf", text);
	digest_init(&d);
	d.from = since;
	digest_read_envs(&d, &cfg, &cli);
	assert_null(d.origin[DIGEST_ENVIRONMENTS].error);
	assert_string_equal(d.origin[DIGEST_ENVIRONMENTS].skipped,
	    DIGEST_ENVS_SKIPPED);
	assert_int_equal(d.nenvs, 0);
	digest_free(&d);
	config_free(&cfg);
}

int
main(void)
{
	const struct CMUnitTest emulators[] = {
		cmocka_unit_test_teardown(test_fourkeys, emu_teardown),
		cmocka_unit_test_teardown(test_slots, emu_teardown),
	};
	const struct CMUnitTest envs[] = {
		cmocka_unit_test(test_envs),
	};
	int rc = 0;

	if (dbtest_env(false) == -1)
		return 1;
	snprintf(dir, sizeof dir, "/tmp/dagtop-digestsec-%ld", (long)getpid());
	if (mkdir(dir, 0700) != 0) {
		perror(dir);
		return 1;
	}
	/* The ETag cache and anything else of a home: this test's own. */
	setenv("HOME", dir, 1);
	setenv("XDG_CACHE_HOME", dir, 1);
	setenv("XDG_CONFIG_HOME", dir, 1);
	setenv("TZ", "UTC", 1);
	unsetenv("DAGTOP_CONTEXT");
	unsetenv("DAGTOP_DATABASE");
	if (schema == 2)
		rc |= cmocka_run_group_tests_name("digest_sections_emulators",
		    emulators, NULL, NULL);
	rc |= cmocka_run_group_tests_name(dbtest_group("digest_envs_"), envs,
	    NULL, NULL);
	if (fork() == 0) {
		execl("/bin/rm", "rm", "-rf", dir, (char *)NULL);
		_exit(127);
	}
	wait(NULL);
	return rc;
}
