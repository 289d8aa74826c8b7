/*
 * test_db_soak.c: the database source's incremental refresh misses nothing
 * (issue 18).  On a database of its own (a copy of run.sh's af<schema>_sla),
 * tests/tools/sim_scheduler.py changes runs, task instances and DAGs at
 * random the way Airflow's scheduler, workers, users and DAG processor do,
 * while this test refreshes as the console does (src/ui/refresh.c): the
 * DAG list since the last (sched_fetch_dags_since), then the strips of the
 * DAGs on screen merged into the last runs (sched_fetch_runs_recent with
 * prev), and, as the screen scrolls, the strips of DAGs that come into
 * view (strips_check).  Each round: changes for 0.2-3 s with reads
 * overlapping them, the simulator paused, one more incremental refresh,
 * then a full read of the same: the two must be identical, every field.
 *
 * DAGTOP_SOAK_SECONDS: how long per schema (default 120; run.sh sets it
 * for make check); DAGTOP_SOAK_SEED: the simulator's seed and the
 * screen's (default from the clock, printed); DAGTOP_SOAK_SIM_ARGS: more
 * options for the simulator, split at spaces ("--with dag_edit").
 */
#define _GNU_SOURCE	/* RTLD_NEXT */
#include <dlfcn.h>
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
#include <sys/wait.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "airflow_db.h"
#include "dbconn.h"
#include "dbtest.h"
#include "loop.h"

#define PER_DAG		10	/* STRIP_RUNS, src/ui/app.h */
#define SCREEN		20	/* DAGs whose strips are shown */

static char		 db[64];
static pid_t		 sim;
static FILE		*sim_in, *sim_out;
static uint64_t		 seed, rng;
static long		 sim_errors;	/* statements the simulator got wrong */

/*
 * Rows the source's statements answered: every result of libpq the
 * source's connection (src/source/pg.c) takes goes through here, and
 * *counting, when set, adds its rows.
 */
static long		*counting;

PGresult *
PQgetResult(PGconn *c)
{
	static PGresult	*(*real)(PGconn *);
	PGresult	*r;

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "PQgetResult");
	r = real(c);
	if (r != NULL && counting != NULL)
		*counting += PQntuples(r);
	return r;
}

/* xorshift64*: the screen's moves, from the seed. */
static uint64_t
rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static double
rnd_unit(void)
{
	return (double)(rnd() >> 11) / 9007199254740992.0;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
sim_send(const char *cmd)
{
	fprintf(sim_in, "%s\n", cmd);
	fflush(sim_in);
}

/*
 * Sends the simulator a command and reads its answer up to the line
 * `until`; with show, prints the lines before it.
 */
static void
sim_cmd(const char *cmd, const char *until, bool show)
{
	char line[4096];

	sim_send(cmd);
	for (;;) {
		if (fgets(line, sizeof line, sim_out) == NULL)
			fail_msg("the simulator exited (after \"%s\")", cmd);
		line[strcspn(line, "\n")] = '\0';
		if (strcmp(line, until) == 0)
			return;
		if (strncmp(line, "count error ", 12) == 0)
			sim_errors = atol(line + 12);
		if (show)
			printf("  %s\n", line);
	}
}

/* The database and the simulator on it, ready and paused. */
static int
setup(void **state)
{
	char	 dsn[256], v[8], s[32];
	int	 in[2], out[2];

	(void)state;
	dbtest_create(db, sizeof db, "soak");
	snprintf(dsn, sizeof dsn, "host=127.0.0.1 port=%s dbname=%s "
	    "user=postgres", port, db);
	snprintf(v, sizeof v, "%d", schema);
	snprintf(s, sizeof s, "%llu", (unsigned long long)seed);
	if (pipe(in) != 0 || pipe(out) != 0)
		fail_msg("pipe");
	if ((sim = fork()) == 0) {
		const char	*argv[32] = { "python3",
				    "tests/tools/sim_scheduler.py", "--dsn",
				    dsn, "--schema", v, "--seed", s };
		char		*more = getenv("DAGTOP_SOAK_SIM_ARGS");
		int		 n = 8;

		for (char *a = more != NULL ? strtok(more, " ") : NULL;
		    a != NULL && n < 31; a = strtok(NULL, " "))
			argv[n++] = a;
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		execv("/usr/bin/python3", (char *const *)argv);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	sim_in = fdopen(in[1], "w");
	sim_out = fdopen(out[0], "r");
	{
		char line[256];

		if (fgets(line, sizeof line, sim_out) == NULL ||
		    strcmp(line, "ready\n") != 0)
			fail_msg("the simulator did not start");
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	if (sim > 0) {
		fclose(sim_in);		/* end of input: it quits */
		fclose(sim_out);
		kill(sim, SIGTERM);
		waitpid(sim, NULL, 0);
		sim = 0;
	}
	dbtest_drop(db);
	return 0;
}

static struct sched *
open_db(void)
{
	struct db_options	 o;
	struct db_params	 p;
	struct buf		 e = BUF_INIT;
	struct waiter		 w = { false, NULL };
	struct sched		*sd;
	char			 conn[256];

	snprintf(conn, sizeof conn, "postgresql://postgres@127.0.0.1:%s/%s",
	    port, db);
	memset(&o, 0, sizeof o);
	o.database = conn;
	o.connect_timeout = 5;
	o.statement_timeout = 60;
	if (db_params_build(&o, &p, &e) != 0)
		fail_msg("%s", buf_str(&e));
	sd = afdb_open(L, &p, 60000, wake, NULL, &w);
	db_params_free(&p);
	wait_ok(&w);
	return sd;
}

/* What the console holds: its snapshot and when each part was read. */
struct snap {
	struct af_dags	 dags;
	struct af_runs	 runs;
	char		**strips;	/* sorted; NULL: none yet */
	size_t		 nstrips;
	int64_t		 dags_at, runs_at;
};

/* Where the screen is: the first of the SCREEN DAGs shown. */
static size_t	top;

static void
ids_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int
cmp_id(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
cmp_dag_id(const void *a, const void *b)
{
	return strcmp(((const struct af_dag *)a)->dag_id,
	    ((const struct af_dag *)b)->dag_id);
}

/*
 * The screen's DAGs: SCREEN of the list sorted by id from `top`, which
 * moves at random as the user scrolls (a page, a line, a jump), and at
 * times the selected DAG elsewhere (wanted_strips, src/ui/refresh.c):
 * sorted copies of their ids, as sched_recent wants them.
 */
static char **
screen(const struct af_dags *dags, bool scroll, size_t *n)
{
	struct af_dag	*v;
	char		**ids;
	size_t		 k = 0, rows = dags->n < SCREEN ? dags->n : SCREEN;

	if (scroll) {
		double u = rnd_unit();

		if (u < 0.4)
			top += rnd() % 3;
		else if (u < 0.7)
			top = top >= SCREEN ? top - SCREEN : 0;
		else if (u < 0.9)
			top += SCREEN;
		else
			top = dags->n > 0 ? rnd() % dags->n : 0;
	}
	if (top + rows > dags->n)
		top = dags->n - rows;
	v = xcalloc(dags->n + 1, sizeof *v);
	memcpy(v, dags->v, dags->n * sizeof *v);
	qsort(v, dags->n, sizeof *v, cmp_dag_id);
	ids = xcalloc(rows + 2, sizeof *ids);
	for (size_t i = top; i < top + rows; i++)
		ids[k++] = xstrdup(v[i].dag_id);
	/* Now and then the selected DAG is off screen (its runs pane). */
	if (dags->n > rows && rnd_unit() < 0.2) {
		size_t i = rnd() % (dags->n - rows);

		ids[k++] = xstrdup(v[i < top ? i : i + rows].dag_id);
	}
	free(v);
	qsort(ids, k, sizeof *ids, cmp_id);
	*n = k;
	return ids;
}

struct tally {
	long	rounds, refreshes, scrolls, full_reads;
	long	inc_rows, full_rows;
};

/*
 * The runs of the screen's DAGs merged into the snapshot's: prev NULL
 * for a full read.  Replaces s->runs and s->strips.
 */
static void
read_runs(struct sched *sd, struct snap *s, const struct af_dags *dags,
    char **strips, size_t nstrips, bool full, int64_t at)
{
	struct sched_recent	 r;
	struct af_runs		 out = { 0 };
	struct waiter		 w = { false, NULL };

	memset(&r, 0, sizeof r);
	r.per_dag = PER_DAG;
	r.dags = dags;
	r.prev = full ? NULL : &s->runs;
	r.prev_at = s->runs_at;
	r.strips = (const char *const *)strips;
	r.nstrips = nstrips;
	r.prev_strips = (const char *const *)s->strips;
	r.nprev_strips = s->nstrips;
	sched_fetch_runs_recent(sd, &r, &out, wake, &w);
	wait_ok(&w);
	af_runs_free(&s->runs);
	s->runs = out;
	ids_free(s->strips, s->nstrips);
	s->strips = strips;
	s->nstrips = nstrips;
	s->runs_at = at;
}

/*
 * One refresh as read_snapshot and dags_read make it: the DAG list (since
 * the last, or whole), then the runs of the screen's DAGs with it.
 */
static void
refresh(struct sched *sd, struct snap *s, bool full, long *rows)
{
	struct af_dags	 dags = { 0 };
	struct waiter	 w = { false, NULL };
	int64_t		 at = (int64_t)time(NULL);
	char		**strips;
	size_t		 n;

	counting = rows;
	if (full)
		sched_fetch_dags(sd, &dags, wake, &w);
	else
		sched_fetch_dags_since(sd, &s->dags, s->dags_at, &dags, wake,
		    &w);
	wait_ok(&w);
	strips = screen(&dags, false, &n);
	read_runs(sd, s, &dags, strips, n, full, at);
	af_dags_free(&s->dags);
	s->dags = dags;
	s->dags_at = at;
	counting = NULL;
}

/*
 * strips_check: the user scrolled; when DAGs without their strips come
 * into view, one read of them, the changed runs merged in.
 */
static bool
scroll(struct sched *sd, struct snap *s, long *rows)
{
	char	**strips;
	size_t	  n, i;

	strips = screen(&s->dags, true, &n);
	for (i = 0; i < n; i++)
		if (bsearch(&strips[i], s->strips, s->nstrips,
		    sizeof *s->strips, cmp_id) == NULL)
			break;
	if (i == n) {
		ids_free(strips, n);
		return false;
	}
	counting = rows;
	read_runs(sd, s, &s->dags, strips, n, false, (int64_t)time(NULL));
	counting = NULL;
	return true;
}

static void
snap_free(struct snap *s)
{
	af_dags_free(&s->dags);
	af_runs_free(&s->runs);
	ids_free(s->strips, s->nstrips);
	memset(s, 0, sizeof *s);
}

static bool
str_eq(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/*
 * s for a terminal: control bytes as '?' (the fixture has a DAG id with an
 * escape sequence); NULL as "(null)".  Each call has its own of 8 buffers
 * (a printf takes at most 5).
 */
static const char *
str_or(const char *s)
{
	static char	 b[8][512];
	static int	 k;
	char		*o = b[k++ % 8];
	size_t		 i;

	if (s == NULL)
		return "(null)";
	for (i = 0; s[i] != '\0' && i < sizeof b[0] - 1; i++)
		o[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	o[i] = '\0';
	return o;
}

static void
print_dag(const char *how, const void *p)
{
	const struct af_dag *d = p;

	printf("  %s dag %s paused=%d active=%d import_errors=%d owners=%s "
	    "schedule=%s timetable=%s fileloc=%s next_run=%lld "
	    "next_run_after=%lld\n", how, str_or(d->dag_id), d->paused,
	    d->active, d->import_errors, str_or(d->owners), str_or(d->schedule),
	    str_or(d->timetable_description), str_or(d->fileloc),
	    (long long)d->next_run, (long long)d->next_run_after);
}

static bool
dag_eq(const void *x, const void *y)
{
	const struct af_dag *a = x, *b = y;

	return a->paused == b->paused && a->active == b->active &&
	    a->import_errors == b->import_errors &&
	    str_eq(a->owners, b->owners) && str_eq(a->schedule, b->schedule) &&
	    str_eq(a->timetable_description, b->timetable_description) &&
	    str_eq(a->fileloc, b->fileloc) && a->next_run == b->next_run &&
	    a->next_run_after == b->next_run_after;
}

static int
cmp_dag_ptr(const void *x, const void *y)
{
	return strcmp((*(const struct af_dag *const *)x)->dag_id,
	    (*(const struct af_dag *const *)y)->dag_id);
}

/* By DAG and run id: the key the two lists are laid side by side on. */
static int
cmp_run_ptr(const void *x, const void *y)
{
	const struct af_run *a = *(const struct af_run *const *)x;
	const struct af_run *b = *(const struct af_run *const *)y;
	int c = strcmp(a->dag_id, b->dag_id);

	return c != 0 ? c : strcmp(a->run_id, b->run_id);
}

static void
print_run(const char *how, const void *p)
{
	const struct af_run *r = p;

	printf("  %s run %s/%s %s%s%s run_after=%lld order=%lld start=%lld "
	    "end=%lld\n", how, str_or(r->dag_id), str_or(r->run_id),
	    run_state_name(r->state), r->state_raw != NULL ? " " : "",
	    r->state_raw != NULL ? str_or(r->state_raw) : "",
	    (long long)r->run_after, (long long)r->order,
	    (long long)r->start_date, (long long)r->end_date);
}

static bool
run_eq(const void *x, const void *y)
{
	const struct af_run *a = x, *b = y;

	return a->state == b->state && str_eq(a->state_raw, b->state_raw) &&
	    a->run_after == b->run_after && a->order == b->order &&
	    a->start_date == b->start_date && a->end_date == b->end_date;
}

/* How to lay two lists of one kind side by side. */
struct kind {
	size_t	  size;					/* of an element */
	int	(*cmp)(const void *, const void *);	/* on pointers */
	bool	(*eq)(const void *, const void *);	/* same key */
	void	(*show)(const char *, const void *);
};

/* Pointers to the n elements of v, sorted by the kind's key. */
static const void **
by_key(const struct kind *k, const void *v, size_t n)
{
	const void **p = xcalloc(n + 1, sizeof *p);

	for (size_t i = 0; i < n; i++)
		p[i] = (const char *)v + i * k->size;
	qsort(p, n, sizeof *p, k->cmp);
	return p;
}

/*
 * The incremental list against the full one, by key: an element missing
 * on either side or one that differs is printed (the first 20) and
 * counted.  The same elements with the same fields are also the same
 * canonical order (by DAG, then af_run_cmp_newest for runs).
 */
static int
diff(const struct kind *k, const void *inc, size_t ni, const void *full,
    size_t nf)
{
	const void	**a = by_key(k, inc, ni), **b = by_key(k, full, nf);
	size_t		  i = 0, j = 0;
	int		  bad = 0, c;

	while (i < ni || j < nf) {
		c = i == ni ? 1 : j == nf ? -1 : k->cmp(&a[i], &b[j]);
		if (c == 0 && k->eq(a[i], b[j])) {
			i++;
			j++;
			continue;
		}
		if (bad++ < 20) {
			if (c <= 0)
				k->show("incremental:", a[i]);
			else
				printf("  incremental: (none)\n");
			if (c >= 0)
				k->show("full:       ", b[j]);
			else
				printf("  full:        (none)\n");
		}
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
	}
	if (ni != nf)
		printf("  %zu read incrementally, %zu in full\n", ni, nf);
	free(a);
	free(b);
	return bad;
}

static const struct kind dag_kind = {
	sizeof(struct af_dag), cmp_dag_ptr, dag_eq, print_dag
};
static const struct kind run_kind = {
	sizeof(struct af_run), cmp_run_ptr, run_eq, print_run
};

static double
soak_seconds(void)
{
	const char *s = getenv("DAGTOP_SOAK_SECONDS");

	return s != NULL && atof(s) > 0 ? atof(s) : 120;
}

/* The same screen read whole: the DAG list, then s's strips. */
static void
full_read(struct sched *sd, const struct snap *s, struct snap *full,
    long *rows)
{
	struct waiter	  w = { false, NULL };
	char		**strips = xcalloc(s->nstrips + 1, sizeof *strips);

	memset(full, 0, sizeof *full);
	counting = rows;
	sched_fetch_dags(sd, &full->dags, wake, &w);
	wait_ok(&w);
	for (size_t i = 0; i < s->nstrips; i++)
		strips[i] = xstrdup(s->strips[i]);
	read_runs(sd, full, &full->dags, strips, s->nstrips, true, 0);
	counting = NULL;
}

/*
 * One round: changes for 0.2-3 s with the console's reads among them
 * (a refresh, or now and then a scroll to DAGs not read yet), the
 * simulator paused, one more refresh, and a full read of the same.
 * Returns how many rows differ, printed.
 */
static int
soak_round(struct sched *sd, struct snap *s, struct tally *t)
{
	struct snap	 full;
	double		 burst = 0.2 + 2.8 * rnd_unit(), t0;
	int		 bad;

	sim_send("resume");
	for (t0 = now_s(); now_s() - t0 < burst; ) {
		if (rnd_unit() >= 0.3) {
			refresh(sd, s, false, &t->inc_rows);
			t->refreshes++;
		} else if (scroll(sd, s, &t->inc_rows))
			t->scrolls++;
		usleep((useconds_t)(rnd_unit() * 200000));
	}
	sim_cmd("pause", "paused", false);
	refresh(sd, s, false, &t->inc_rows);
	t->refreshes++;
	full_read(sd, s, &full, &t->full_rows);
	t->full_reads++;
	t->rounds++;
	bad = diff(&dag_kind, s->dags.v, s->dags.n, full.dags.v, full.dags.n);
	bad += diff(&run_kind, s->runs.v, s->runs.n, full.runs.v, full.runs.n);
	snap_free(&full);
	return bad;
}

static void
test_soak(void **state)
{
	struct sched	*sd = open_db();
	struct snap	 s;
	struct tally	 t;
	double		 until = now_s() + soak_seconds();
	long		 inc;
	int		 bad;

	(void)state;
	memset(&s, 0, sizeof s);
	memset(&t, 0, sizeof t);
	/* The first screen: everything, the top of the list in full. */
	refresh(sd, &s, true, &t.full_rows);
	t.full_reads++;
	while (now_s() < until) {
		if ((bad = soak_round(sd, &s, &t)) == 0)
			continue;
		printf("round %ld (seed %llu): %d rows differ; the simulator's "
		    "last actions:\n", t.rounds, (unsigned long long)seed, bad);
		sim_cmd("last", "end", true);
		snap_free(&s);
		sched_free(sd);
		fail_msg("the incremental snapshot is not the full read "
		    "(round %ld)", t.rounds);
	}
	inc = t.refreshes + t.scrolls;
	printf("soak (Airflow %s, seed %llu): %ld rounds, %ld refreshes and "
	    "%ld scrolls read incrementally, %ld full reads\n",
	    dbtest_release(),
	    (unsigned long long)seed, t.rounds, t.refreshes, t.scrolls,
	    t.full_reads);
	printf("rows answered: %ld incrementally (%.0f a read), %ld in full "
	    "(%.0f a read)\nchanges made:\n", t.inc_rows, inc > 0 ?
	    (double)t.inc_rows / inc : 0.0, t.full_rows,
	    (double)t.full_rows / t.full_reads);
	sim_cmd("counts", "end", true);
	snap_free(&s);
	sched_free(sd);
	/* A statement of the simulator that failed is a change not made. */
	if (sim_errors > 0)
		fail_msg("the simulator's statements failed %ld times "
		    "(sim_scheduler: lines above)", sim_errors);
}

/* Runs q on the test's database as its owner; fails the test on error. */
static void
sql_db(const char *q)
{
	PGconn		*c = connect_to(db);
	PGresult	*r = PQexec(c, q);

	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("%s: %s", q, PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
}

/*
 * Two DAGs paused at once by the DAG processor's hand (no audit row), one
 * whose id hashes to an even number and one to an odd: flag bits summed
 * into the signature cancel out there (+1 and -1), and an incremental
 * refresh missed both until the next full read.  Both must be seen.
 */
static void
test_two_flags(void **state)
{
	struct sched	*sd = open_db();
	struct snap	 s, full;
	long		 rows = 0;
	int		 bad;

	(void)state;
	memset(&s, 0, sizeof s);
	refresh(sd, &s, true, &rows);
	sql_db("UPDATE dag SET is_paused = true WHERE dag_id IN ("
	    "(SELECT dag_id FROM dag WHERE NOT coalesce(is_paused, false) "
	    "AND hashtext(dag_id) & 1 = 0 ORDER BY dag_id LIMIT 1), "
	    "(SELECT dag_id FROM dag WHERE NOT coalesce(is_paused, false) "
	    "AND hashtext(dag_id) & 1 = 1 ORDER BY dag_id LIMIT 1))");
	refresh(sd, &s, false, &rows);
	full_read(sd, &s, &full, &rows);
	bad = diff(&dag_kind, s.dags.v, s.dags.n, full.dags.v, full.dags.n);
	snap_free(&full);
	snap_free(&s);
	sched_free(sd);
	if (bad != 0)
		fail_msg("two DAGs paused at once: %d rows differ from a full "
		    "read", bad);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_two_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_soak, setup, teardown),
	};
	const char *sv = getenv("DAGTOP_SOAK_SEED");
	int rc;

	if (dbtest_env(false) == -1)
		return 1;
	seed = sv != NULL ? strtoull(sv, NULL, 10) :
	    (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 20);
	seed %= 1000000007;
	rng = seed | 1;
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	L = loop_new();
	rc = cmocka_run_group_tests_name(dbtest_group(""), tests, NULL, NULL);
	loop_free(L);
	return rc;
}
