/*
 * gen_history.c: a deterministic, realistic Airflow metadata history, as SQL
 * (COPY blocks) for a database where airflow2_schema.sql,
 * airflow3_schema.sql or airflow32_schema.sql was loaded.  Used by make demo (32 DAGs, 14 days),
 * the tests and make bench (--bench: 2,000 DAGs, 90 days, about 5 million
 * task instances; --huge: 20,000 DAGs, 90 days, about 50 million).  Same
 * options, same output.
 *
 * --schema 2 is Airflow 2.10, 3 is 3.1, 32 is 3.2 (3.1's rows, and the
 * dag.timetable_type that 3.2 requires).
 *
 * An asset web (datasets on 2.x; airflow_dependencies.md, tables of
 * airflow2_assets.sql / airflow3_assets.sql): load tasks produce assets
 * (2.5 a DAG: 5,000 with --bench), a third of the DAGs are scheduled on
 * assets with AND, OR and nested conditions (their runs dataset_triggered /
 * asset_triggered, created when the events written by the producers' runs
 * meet the condition, each linked to the events it consumed; what is left
 * half met stays queued), sensors and triggers (dag_dependencies, run_type
 * manual for the triggered), and aliases.  The demo's story: see
 * DEMO_INGEST.
 *
 *   gen_history [--schema 2|3|32] [--dags N] [--days D] [--tasks-min A]
 *               [--tasks-max B] [--seed S] [--now EPOCH] [--bench|--huge]
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zlib.h>

#define MAXT	64
#define MAXIN	6	/* assets a DAG is scheduled on, at most */

static uint64_t rng;
static int schema = 2;		/* the major version: 2 or 3 */
static bool v32;		/* --schema 32: Airflow 3.2 */

static uint64_t arng;		/* the asset web's own sequence */

/* xorshift64*: the next number of sequence s. */
static uint64_t
xs_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static int
xs_int(uint64_t *s, int lo, int hi)	/* lo..hi inclusive */
{
	return lo + (int)(xs_next(s) % (uint64_t)(hi - lo + 1));
}

static uint64_t
rnd(void)
{
	return xs_next(&rng);
}

static int
rint_(int lo, int hi)	/* lo..hi inclusive */
{
	return xs_int(&rng, lo, hi);
}

static double
rfrac(void)
{
	return (double)(rnd() >> 11) / 9007199254740992.0;
}

/*
 * An instant in UTC, b holding 80 bytes: as PostgreSQL reads it, or (with
 * the T) as Airflow writes it into run ids.
 */
static const char *
utc(int64_t t, char *b, bool run_id_form)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	snprintf(b, 80, "%04d-%02d-%02d%c%02d:%02d:%02d+00%s",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	    run_id_form ? 'T' : ' ', tm.tm_hour, tm.tm_min, tm.tm_sec,
	    run_id_form ? ":00" : "");
	return b;
}

#define ts(t, b)	utc((t), (b), false)
#define iso(t, b)	utc((t), (b), true)

static void
uuid(char *b)
{
	uint64_t a = rnd(), c = rnd();

	snprintf(b, 40, "%08x-%04x-7%03x-%04x-%012llx", (unsigned)(a >> 32),
	    (unsigned)(a >> 16) & 0xffff, (unsigned)a & 0xfff,
	    (unsigned)(0x8000 | (c >> 48 & 0x3fff)),
	    (unsigned long long)(c & 0xffffffffffffULL));
}

struct task {
	char	 id[64];
	const char *op, *module, *pool;
	int	 retries;
	bool	 mapped, branch;
	int	 nmap;
	int	 down[MAXT], ndown;
	int	 up[MAXT], nup;
	int	 skip_side;	/* for the branch's children: which side */
	int	 out;		/* the asset it produces (task_outlet_*), or -1 */
	int	 alias_out;	/* the alias it emits through, or -1 */
};

struct dag {
	char	 id[96];
	int	 n;
	struct task t[MAXT];
	int	 order[MAXT];
	int	 hour;		/* daily schedule hour */
	bool	 hourly, weekly, manual_only, paused, import_errors, stale;
	bool	 wrapped, compressed, two_versions;
	char	 version_id[40], old_version_id[40];
	/*
	 * The asset web.  shape SH_NONE: on its clock (or none); else
	 * scheduled on leaf[0..nleaf) (asset indexes) as the shape says, or
	 * on the alias sched_alias (SH_ONE).  Sources and targets of sensors,
	 * triggers and assets always come before the DAG in the list, so
	 * that one pass in order writes producers' events before consumers
	 * read them.
	 */
	int	 shape, leaf[MAXIN], nleaf, sched_alias;
	int	 sensor_on;	/* ExternalTaskSensor on this DAG, or -1 */
	int	 trigger_to;	/* its trigger task runs this DAG, or -1 */
	int	 trig_task;	/* that task's index */
	bool	 triggered;	/* runs only when another DAG triggers it */
	int	 nprod;		/* load tasks producing an asset */
	int	 fail_task;	/* >= 0: the newest run fails there (demo) */
	bool	 steady;	/* no random failure (the demo's story) */
	int64_t	*trig;		/* when it was triggered (trigger_to) */
	int	 ntrig, ctrig;
	/* What is queued for it after its last asset-triggered run. */
	int	 qmask;
	int64_t	 qat[MAXIN];
};

enum { SH_NONE, SH_ONE, SH_ALL, SH_ANY, SH_NEST };

/* An asset (a dataset on 2.x): one producer, its events' times. */
struct asset {
	char	 uri[128], name[128];
	int	 dag, task, alias;	/* alias >= 0: written through it */
	int64_t	*ev;
	int	 nev, cev;
};

struct alias {
	char	 name[64];
	int	 asset;		/* what it resolved to */
	int	 dag;		/* the DAG whose task emits through it */
};

static struct dag *dags;
static int ndags, ndays, tmin, tmax;
static int64_t now;
static struct asset *assets;
static int nassets;
static struct alias *aliases;
static int naliases;
static int64_t next_event_id = 1;

static const char *prefixes[] = { "sales", "marketing", "finance", "partner",
	"inventory", "customer", "billing", "ads", "search", "growth", "risk",
	"logistics", "support", "product", "hr" };
static const char *subjects[] = { "daily_etl", "attribution", "ledger_load",
	"feed_export", "snapshot", "churn_model", "revenue_rollup",
	"sheet_export", "events_ingest", "dedup", "kpi_dashboard",
	"reconciliation" };
static const char *sources[] = { "orders", "customers", "payments",
	"sessions", "products", "invoices", "events", "refunds" };

/*
 * The demo's DAG ids, as long as real ones (25 to 50 characters): team,
 * subject, source and flavour, so that neighbours share long prefixes and
 * differ at the end ("finance_ledger_load_payments_to_lake" and
 * "finance_ledger_load_payments_v2").  Unique for i < 180.
 */
static void
demo_id(char *id, size_t sz, int i)
{
	static const char *flavour[] = { "to_warehouse", "v2", "to_lake",
	    "full_refresh", "incremental", "backfill" };
	int n;

	n = snprintf(id, sz, "%s%s%s_%s_%s", prefixes[i % 15],
	    i % 9 == 4 ? "." : "_", subjects[(i * 7) % 12], sources[i % 8],
	    flavour[(i / 3) % 6]);
	if (n > 0 && n < 25)
		snprintf(id + n, sz - (size_t)n, "_pipeline");
	if (i >= 15 * 12)
		snprintf(id, sz, "%s_%s_%d", prefixes[i % 15], subjects[i % 12], i);
}

static void
add_edge(struct dag *d, int a, int b)
{
	int i;

	for (i = 0; i < d->t[a].ndown; i++)
		if (d->t[a].down[i] == b)
			return;
	d->t[a].down[d->t[a].ndown++] = b;
	d->t[b].up[d->t[b].nup++] = a;
}

static void
set_task(struct task *t, const char *id, const char *op)
{
	snprintf(t->id, sizeof t->id, "%s", id);
	t->op = op;
	t->pool = "default_pool";
	t->retries = 2;
	t->out = t->alias_out = -1;
	if (strcmp(op, "BigQueryInsertJobOperator") == 0 ||
	    strcmp(op, "GCSToBigQueryOperator") == 0) {
		t->module = "airflow.providers.google.cloud.operators.bigquery";
		t->pool = "bigquery";
	} else if (strcmp(op, "BashOperator") == 0)
		t->module = "airflow.operators.bash";
	else if (strcmp(op, "EmptyOperator") == 0) {
		t->module = "airflow.operators.empty";
		t->retries = 0;
	} else if (strcmp(op, "ExternalTaskSensor") == 0)
		t->module = "airflow.sensors.external_task";
	else if (strcmp(op, "SQLExecuteQueryOperator") == 0)
		t->module = "airflow.providers.common.sql.operators.sql";
	else
		t->module = "airflow.operators.python";
}

/*
 * A graph shaped like a real ETL: a sensor, extract.* fan-out, a
 * transform.* layer fed by one or two extracts, load.* per transform,
 * optionally a branch and a mapped task, a quality check fan-in, publish
 * and notify.  Task ids sorted as Airflow sorts downstream lists.
 */
static void
make_graph(struct dag *d, int n, int idx)
{
	int i, k, nsrc, first_tr, ntr, first_ld, check, last, br = -1, room;
	char id[64];

	memset(d->t, 0, sizeof d->t);
	if (n < 5)
		n = 5;
	if (n > MAXT)
		n = MAXT;
	/* Room kept at the end: check, publish, notify, a branch, a map. */
	room = 3 + (idx % 5 == 0 && n >= 10 ? 3 : 0) +
	    (idx % 4 == 1 && n >= 7 ? 1 : 0);
	k = 0;
	set_task(&d->t[k++], "wait_for_upstream", "ExternalTaskSensor");
	nsrc = 1 + (n - 4) / 4;
	if (nsrc > 8)
		nsrc = 8;
	for (i = 0; i < nsrc; i++) {
		snprintf(id, sizeof id, "extract.%s", sources[i]);
		set_task(&d->t[k], id, i % 2 ? "GCSToBigQueryOperator" :
		    "PythonOperator");
		add_edge(d, 0, k++);
	}
	first_tr = k;
	ntr = (n - 4 - nsrc) / 2;
	if (ntr < 1)
		ntr = 1;
	for (i = 0; i < ntr && k < n - room; i++) {
		snprintf(id, sizeof id, "transform.%s_%d", sources[i % 8], i);
		set_task(&d->t[k], id, "BigQueryInsertJobOperator");
		add_edge(d, 1 + i % nsrc, k);
		if (nsrc > 1 && rint_(0, 2) == 0)
			add_edge(d, 1 + (i + 1) % nsrc, k);
		k++;
	}
	ntr = k - first_tr;
	first_ld = k;
	for (i = 0; i < ntr && k < n - room; i++) {
		snprintf(id, sizeof id, "load.%s_%d", sources[i % 8], i);
		set_task(&d->t[k], id, "SQLExecuteQueryOperator");
		add_edge(d, first_tr + i, k++);
	}
	last = k - 1;
	if (idx % 5 == 0 && k + 6 <= n) {
		/* A branch: one side runs, the other is skipped. */
		br = k;
		set_task(&d->t[k], "choose_path", "BranchPythonOperator");
		d->t[k].branch = true;
		add_edge(d, last, k++);
		set_task(&d->t[k], "full_refresh", "BigQueryInsertJobOperator");
		d->t[k].skip_side = 1;
		add_edge(d, br, k++);
		set_task(&d->t[k], "incremental_merge", "BigQueryInsertJobOperator");
		d->t[k].skip_side = 2;
		add_edge(d, br, k++);
	}
	if (idx % 4 == 1 && k + 4 <= n) {
		set_task(&d->t[k], "process_partition", "PythonOperator");
		d->t[k].mapped = true;
		d->t[k].nmap = 3 + idx % 6;
		/* Fed by the first load, or by whatever came last. */
		add_edge(d, first_ld < k ? first_ld : k - 1, k);
		k++;
	}
	check = k;
	set_task(&d->t[k++], "quality_check", "SQLExecuteQueryOperator");
	for (i = first_ld; i < check; i++)
		if (d->t[i].ndown == 0 && i != br)
			add_edge(d, i, check);
	set_task(&d->t[k], "publish", "BashOperator");
	add_edge(d, check, k++);
	set_task(&d->t[k], "notify", "EmptyOperator");
	add_edge(d, k - 1, k);
	k++;
	/* Anything left without downstream (sources cut short) feeds the check. */
	for (i = 1; i < check; i++)
		if (d->t[i].ndown == 0)
			add_edge(d, i, check);
	d->n = k;
	for (i = 0; i < k; i++)
		d->order[i] = i;	/* built in topological order */
}

static int
cmp_id(const void *a, const void *b, void *ctx)
{
	const struct dag *d = ctx;

	return strcmp(d->t[*(const int *)a].id, d->t[*(const int *)b].id);
}

/* Insertion sort with a context: small lists. */
static void
sort_ids(struct dag *d, int *v, int n)
{
	int i, j, x;

	for (i = 1; i < n; i++) {
		x = v[i];
		for (j = i; j > 0 && cmp_id(&v[j - 1], &x, d) > 0; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/*
 * The asset web (issue 19) draws from its own sequence, so that it is the
 * same on every schema and the runs of DAGs it leaves alone are drawn as
 * before.
 */
static int
arint(int lo, int hi)	/* lo..hi inclusive */
{
	return xs_int(&arng, lo, hi);
}

/*
 * The demo's story (without --bench, when there are enough DAGs): the
 * newest run of DEMO_INGEST fails at the load that writes bq://dwh/raw/
 * orders (try 3/3); DEMO_MART is scheduled on orders AND customers
 * (customers was updated since its last run: queued, half met); the
 * ExternalTaskSensor of DEMO_EXEC waits on the mart, and tests/demo.sh
 * gives DEMO_EXEC an SLA later today.  Around it: a trigger, an alias, an
 * OR and a nested condition.
 */
#define DEMO_TRIGGER	1	/* its trigger task runs DEMO_TARGET */
#define DEMO_INGEST	2
#define DEMO_CUSTOMERS	4
#define DEMO_TARGET	10	/* manual only */
#define DEMO_MART	12
#define DEMO_ALIAS	13	/* publish emits through an alias */
#define DEMO_ALIASED	14	/* scheduled on the alias */
#define DEMO_ANY	15	/* a | b */
#define DEMO_NEST	18	/* a & (b | c) */
#define DEMO_EXEC	20
static const char *demo_names[][2] = {
	{ "2", "ingest_orders_from_shop_postgres" },
	{ "4", "ingest_customers_from_crm_api" },
	{ "12", "sales_mart_daily_revenue_by_region" },
	{ "20", "exec_dashboard_refresh_morning" },
};

static bool
demo_story(bool bench)
{
	return !bench && ndags > DEMO_EXEC;
}

/* The load tasks of d, in order: the tasks that produce its assets. */
static int
load_tasks(const struct dag *d, int *v)
{
	int k, n = 0;

	for (k = 0; k < d->n; k++)
		if (strncmp(d->t[k].id, "load.", 5) == 0)
			v[n++] = k;
	return n;
}

static int
task_named(const struct dag *d, const char *id)
{
	int k;

	for (k = 0; k < d->n; k++)
		if (strcmp(d->t[k].id, id) == 0)
			return k;
	return -1;
}

/* A new asset written by task (or, task -1, through an alias) of dag. */
static int
add_asset(int dag, int task, const char *uri, const char *name)
{
	struct asset *a = &assets[nassets];

	memset(a, 0, sizeof *a);
	snprintf(a->uri, sizeof a->uri, "%s", uri);
	snprintf(a->name, sizeof a->name, "%s", name);
	a->dag = dag;
	a->task = task;
	a->alias = -1;
	if (task >= 0)
		dags[dag].t[task].out = nassets;
	return nassets++;
}

/*
 * An asset some DAG before DAG i writes, as consumers choose them: a hub
 * (the first asset of every 50th DAG, read by many: fan-out), a neighbour's
 * (teams read their own), or any.  first[j] is DAG j's first asset.
 */
static int
pick_asset(int i, const int *first)
{
	int r = arint(0, 99), j;

	if (r < 25) {
		j = 50 * arint(0, (i - 1) / 50);
		if (dags[j].nprod > 0)
			return first[j];
	}
	if (r < 70) {
		j = i - arint(1, i < 40 ? i : 40);
		if (dags[j].nprod > 0)
			return first[j] + arint(0, dags[j].nprod - 1);
	}
	return arint(0, first[i] - 1);
}

/* DAG i's condition: 1 to 6 assets written before it, in one of the shapes. */
static void
pick_condition(int i, const int *first, bool chain, int n, int shape)
{
	struct dag *d = &dags[i];
	int k, a, tries;

	if (n == 0) {
		a = arint(0, 99);
		n = a < 30 ? 1 : a < 75 ? arint(2, 3) : arint(4, MAXIN);
	}
	d->nleaf = 0;
	if (chain && dags[i - 1].nprod > 0)
		d->leaf[d->nleaf++] = first[i - 1];
	for (tries = 0; d->nleaf < n && tries < 40; tries++) {
		a = pick_asset(i, first);
		for (k = 0; k < d->nleaf && d->leaf[k] != a; k++)
			;
		if (k == d->nleaf)
			d->leaf[d->nleaf++] = a;
	}
	if (shape == SH_NONE) {
		a = arint(0, 99);
		shape = d->nleaf == 1 ? SH_ONE : a < 20 && d->nleaf <= 3 ?
		    SH_ANY : a < 35 && d->nleaf >= 3 ? SH_NEST : SH_ALL;
	}
	d->shape = shape;
}

/* --bench: DAG i reads an asset of DAG i - 1 (a chain of nine in each 100). */
static bool
chain_link(bool bench, int i)
{
	return bench && i >= 100 && i % 100 >= 1 && i % 100 <= 8;
}

/*
 * Each DAG's part, drawn in order: how many assets it produces (minprod[i]
 * at least), whether it is scheduled on assets (shape set, the condition
 * chosen later), else perhaps a sensor on an earlier DAG; with --bench, a
 * trigger of a later DAG, which then runs only when triggered.
 */
static void
web_roles(bool bench, int *minprod)
{
	int i, k, v[MAXT], nl;

	for (i = 0; i < ndags; i++) {
		struct dag *d = &dags[i];
		bool cand = i >= 3 && !d->hourly && !d->weekly &&
		    !d->manual_only && !d->stale && (bench || i % 8 != 0);

		d->shape = SH_NONE;
		d->sensor_on = d->trigger_to = d->trig_task = -1;
		d->sched_alias = d->fail_task = -1;
		nl = load_tasks(d, v);
		d->nprod = arint(0, 9) < 2 ? 0 : arint(1, 5);
		if (i % 50 == 0 || chain_link(bench, i + 1))
			minprod[i] = 1;	/* hubs, and chains' links */
		if (d->nprod < minprod[i])
			d->nprod = minprod[i];
		if (d->nprod > nl)
			d->nprod = minprod[i] = nl;
		if (cand && (arint(0, 99) < 30 || chain_link(bench, i)))
			d->shape = SH_ALL;	/* chosen below */
		else if (!d->manual_only && !d->stale && i >= 5 &&
		    arint(0, 99) < 12)
			d->sensor_on = i - arint(1, i < 150 ? i : 150);
		if (bench && i % 97 == 50 && i + 20 < ndags) {
			k = i + arint(1, 20);
			if (!dags[k].triggered && k % 100 > 9) {
				d->trigger_to = k;
				dags[k].triggered = dags[k].manual_only = true;
			}
		}
	}
}

/* The demo's story over the roles drawn (DEMO_INGEST). */
static void
web_story(void)
{
	int i, k, now_h = (int)(now % 86400 / 3600);

	for (i = 0; i < ndags; i++)
		if (dags[i].sensor_on == DEMO_EXEC ||
		    dags[i].sensor_on == DEMO_TARGET)
			dags[i].sensor_on = -1;
	/* Customers is written hours before orders, every day. */
	dags[DEMO_INGEST].hour = (now_h + 20) % 24;
	dags[DEMO_CUSTOMERS].hour = (now_h + 17) % 24;
	dags[DEMO_EXEC].hour = now_h < 23 ? now_h + 1 : 23;
	dags[DEMO_EXEC].sensor_on = DEMO_MART;
	dags[DEMO_TRIGGER].trigger_to = DEMO_TARGET;
	dags[DEMO_TARGET].triggered = true;
	for (k = 0; k < 4; k++) {
		i = atoi(demo_names[k][0]);
		dags[i].steady = true;
		if (dags[i].nprod < 1)
			dags[i].nprod = 1;
	}
	for (i = 1; i <= DEMO_EXEC; i++)
		if (i != DEMO_MART && i != DEMO_ALIASED &&
		    i != DEMO_ANY && i != DEMO_NEST)
			dags[i].shape = SH_NONE;
	dags[DEMO_MART].sensor_on = dags[DEMO_ALIASED].sensor_on = -1;
	dags[DEMO_ANY].sensor_on = dags[DEMO_NEST].sensor_on = -1;
	dags[DEMO_INGEST].sensor_on = dags[DEMO_CUSTOMERS].sensor_on = -1;
}

/* --bench: exactly target assets from load tasks, up or down one at a time. */
static void
web_quota(int target, const int *minprod)
{
	int k, v[MAXT], nl, sum = 0;

	for (k = 0; k < ndags; k++)
		sum += dags[k].nprod;
	for (k = 0; sum != target && k < 10000000; k++) {
		struct dag *d = &dags[arint(0, ndags - 1)];

		nl = load_tasks(d, v);
		if (sum < target && d->nprod < nl && d->nprod < 5) {
			d->nprod++;
			sum++;
		} else if (sum > target && d->nprod > minprod[d - dags]) {
			d->nprod--;
			sum--;
		}
	}
}

/* DAG i's assets, one per load task: bq://dwh/<team>/<table>. */
static void
web_assets_of(bool bench, bool story, int i)
{
	struct dag *d = &dags[i];
	int k, v[MAXT], nl;
	char uri[128], name[128];

	nl = load_tasks(d, v);
	if (d->nprod > nl)
		d->nprod = nl;
	for (k = 0; k < d->nprod; k++) {
		const char *ld = d->t[v[k]].id + 5;

		if (story && i == DEMO_INGEST && k == 0)
			snprintf(uri, sizeof uri, "raw/orders");
		else if (story && i == DEMO_CUSTOMERS && k == 0)
			snprintf(uri, sizeof uri, "raw/customers");
		else if (story && i == DEMO_MART && k == 0)
			snprintf(uri, sizeof uri, "marts/revenue_by_region");
		else if (bench)
			snprintf(uri, sizeof uri, "%s/%s_%s_%04d",
			    prefixes[i % 15], subjects[(i / 15) % 12], ld, i);
		else
			snprintf(uri, sizeof uri, "%s/%s_%s",
			    prefixes[i % 15], subjects[(i * 7) % 12], ld);
		snprintf(name, sizeof name, "%s", uri);
		*strchr(name, '/') = '.';
		memmove(uri + 9, uri, strlen(uri) + 1);
		memcpy(uri, "bq://dwh/", 9);
		add_asset(i, v[k], uri, name);
	}
}

/*
 * An alias that DAG i's publish emits through (resolved to an asset of its
 * own, in no task_outlet row) and DAG consumer is scheduled on.
 */
static void
add_alias(bool bench, int i, int consumer)
{
	struct alias *al = &aliases[naliases];
	struct dag *c = &dags[consumer];
	char uri[128], name[128];

	snprintf(al->name, sizeof al->name, "%s_partner_exports",
	    prefixes[i % 15]);
	if (bench)
		snprintf(al->name, sizeof al->name,
		    "%s_partner_exports_%04d", prefixes[i % 15], i);
	snprintf(uri, sizeof uri, "gs://exports/%s/partner_feed_%d",
	    prefixes[i % 15], i);
	snprintf(name, sizeof name, "exports.%s_partner_feed_%d",
	    prefixes[i % 15], i);
	al->dag = i;
	al->asset = add_asset(i, -1, uri, name);
	assets[al->asset].alias = naliases;
	dags[i].t[task_named(&dags[i], "publish")].alias_out = naliases;
	c->shape = SH_ONE;
	c->sched_alias = naliases;
	c->leaf[0] = al->asset;
	c->sensor_on = -1;
	c->nleaf = 1;
	naliases++;
}

/* The conditions of the DAGs scheduled on assets (first: DAG i's first). */
static void
web_conditions(bool bench, bool story, const int *first)
{
	int i;

	for (i = 0; i < ndags; i++) {
		struct dag *d = &dags[i];

		if (d->sched_alias >= 0)
			continue;
		if (story && i == DEMO_MART) {
			d->shape = SH_ALL;
			d->leaf[0] = first[DEMO_INGEST];
			d->leaf[1] = first[DEMO_CUSTOMERS];
			d->nleaf = 2;
		} else if (story && i == DEMO_ANY)
			pick_condition(i, first, false, 2, SH_ANY);
		else if (story && i == DEMO_NEST)
			pick_condition(i, first, false, 3, SH_NEST);
		else if (d->shape != SH_NONE && first[i] > 0)
			pick_condition(i, first, chain_link(bench, i), 0,
			    SH_NONE);
		else
			d->shape = SH_NONE;
	}
}

/* The tasks the web needs: sensors (else a SqlSensor), trigger tasks. */
static void
web_tasks(void)
{
	int i, k;

	for (i = 0; i < ndags; i++) {
		struct dag *d = &dags[i];

		if (d->sensor_on < 0)
			set_task(&d->t[0], "check_source_ready", "SqlSensor");
		if (d->trigger_to >= 0 && d->n < MAXT) {
			k = d->n++;
			set_task(&d->t[k], "trigger_downstream",
			    "TriggerDagRunOperator");
			add_edge(d, task_named(d, "publish"), k);
			d->order[k] = k;
			d->trig_task = k;
		}
	}
}

/*
 * Who produces and consumes what: for every DAG, its assets (one per load
 * task, 2.5 a DAG on average, exactly that many with --bench), whether it
 * is scheduled on assets (about 30%: one to six, fan-in, with AND, OR and
 * nested conditions; in --bench a chain of nine DAGs in every hundred),
 * an ExternalTaskSensor on an earlier DAG (12% of the others), a trigger
 * (one DAG in 97 with --bench) and an alias (one in 400).  Then the
 * demo's story over it.
 */
static void
build_web(bool bench)
{
	int i, c, *first, *minprod, nal;
	bool story = demo_story(bench);

	first = calloc((size_t)ndags + 1, sizeof *first);
	minprod = calloc((size_t)ndags, sizeof *minprod);
	assets = calloc((size_t)ndags * 6 + 16, sizeof *assets);
	nal = bench ? (ndags / 400 > 1 ? ndags / 400 : 1) : story ? 1 : 0;
	aliases = calloc((size_t)nal + 1, sizeof *aliases);
	web_roles(bench, minprod);
	if (story)
		web_story();
	/* --bench: exactly 2.5 assets a DAG, the aliases' included. */
	if (bench)
		web_quota(ndags * 5 / 2 - nal, minprod);
	for (i = 0; i < ndags; i++) {
		first[i] = nassets;
		web_assets_of(bench, story, i);
		c = story ? DEMO_ALIASED : i + 7;
		if (naliases < nal && (story ? i == DEMO_ALIAS :
		    i == (naliases * 400 + 177) % ndags && c < ndags &&
		    !dags[c].triggered))
			add_alias(bench, i, c);
	}
	first[ndags] = nassets;
	web_conditions(bench, story, first);
	web_tasks();
	if (story)
		dags[DEMO_INGEST].fail_task = assets[first[DEMO_INGEST]].task;
	/* --bench: the first hub's newest run fails where its asset is made. */
	if (bench && dags[0].nprod > 0)
		dags[0].fail_task = assets[first[0]].task;
	free(first);
	free(minprod);
}

/* The schema's spelling of an asset in dag.*_expression (§3). */
static void
expr_asset(FILE *f, int a)
{
	if (schema == 2)
		fprintf(f, "\"%s\"", assets[a].uri);
	else
		fprintf(f, "{\"asset\": {\"uri\": \"%s\", \"name\": \"%s\", "
		    "\"group\": \"asset\", \"id\": %d}}", assets[a].uri,
		    assets[a].name, a + 1);
}

/* dag.dataset_expression / asset_expression: \N unless asset-scheduled. */
static void
expression(FILE *f, const struct dag *d)
{
	int k;

	if (d->sched_alias >= 0) {
		fprintf(f, schema == 2 ? "{\"alias\": \"%s\"}" :
		    "{\"alias\": {\"name\": \"%s\", \"group\": \"asset\"}}",
		    aliases[d->sched_alias].name);
		return;
	}
	switch (d->shape) {
	case SH_NONE:
		fputs("\\N", f);
		break;
	case SH_ONE:
		expr_asset(f, d->leaf[0]);
		break;
	case SH_ALL:
	case SH_ANY:
		fprintf(f, "{\"%s\": [", d->shape == SH_ALL ? "all" : "any");
		for (k = 0; k < d->nleaf; k++) {
			fputs(k ? ", " : "", f);
			expr_asset(f, d->leaf[k]);
		}
		fputs("]}", f);
		break;
	case SH_NEST:
		fputs("{\"all\": [", f);
		for (k = 0; k < d->nleaf - 2; k++) {
			expr_asset(f, d->leaf[k]);
			fputs(", ", f);
		}
		fputs("{\"any\": [", f);
		expr_asset(f, d->leaf[k]);
		fputs(", ", f);
		expr_asset(f, d->leaf[k + 1]);
		fputs("]}]}", f);
		break;
	}
}

/* Whether the assets queued (bit k: leaf k) meet d's condition. */
static bool
satisfied(const struct dag *d, int mask)
{
	int n = d->nleaf, head = (1 << (n - 2)) - 1;

	switch (d->shape) {
	case SH_ANY:
		return mask != 0;
	case SH_NEST:
		return (mask & head) == head && (mask >> (n - 2)) != 0;
	default:
		return mask == (1 << n) - 1;
	}
}

/* One entry of dag_dependencies (§4); label is 3.x's. */
struct dep {
	char	 source[160], target[160], label[128], type[16], id[300];
};

static int
dep_cmp(const void *a, const void *b)
{
	const struct dep *x = a, *y = b;
	int c;

	if ((c = strcmp(x->source, y->source)) != 0 ||
	    (c = strcmp(x->target, y->target)) != 0 ||
	    (c = strcmp(x->label, y->label)) != 0 ||
	    (c = strcmp(x->type, y->type)) != 0)
		return c;
	return strcmp(x->id, y->id);
}

static void
dep_add(struct dep *v, int *n, const char *source, const char *target,
    const char *type, const char *label, const char *id)
{
	struct dep *e = &v[(*n)++];

	snprintf(e->source, sizeof e->source, "%s", source);
	snprintf(e->target, sizeof e->target, "%s", target);
	snprintf(e->type, sizeof e->type, "%s", type);
	snprintf(e->label, sizeof e->label, "%s", schema == 2 ? "" : label);
	snprintf(e->id, sizeof e->id, "%s", id);
}

/* An asset's dependency_id: 2.x its URI, 3.x its key as a JSON string. */
static const char *
dep_asset_id(int a, char *b, size_t sz)
{
	if (schema == 2)
		snprintf(b, sz, "%s", assets[a].uri);
	else
		snprintf(b, sz, "{\"name\": \"%s\", \"uri\": \"%s\"}",
		    assets[a].name, assets[a].uri);
	return b;
}

/* An alias in dag_dependencies: 2.x writes a resolved one as two entries. */
static void
dep_alias(struct dep *v, int *n, const char *dag, int al, bool outlet)
{
	const struct alias *x = &aliases[al];
	char a[200], b[200];

	if (schema != 2) {
		dep_add(v, n, outlet ? dag : "asset-alias",
		    outlet ? "asset-alias" : dag, "asset-alias", x->name, x->name);
		return;
	}
	snprintf(a, sizeof a, "dataset-alias:%s", x->name);
	snprintf(b, sizeof b, "dataset:%s", assets[x->asset].uri);
	dep_add(v, n, outlet ? a : "dataset", outlet ? "dataset" : a,
	    "dataset", "", assets[x->asset].uri);
	dep_add(v, n, outlet ? dag : b, outlet ? b : dag, "dataset-alias", "",
	    x->name);
}

/* The serialized DAG's dag_dependencies, sorted as Airflow sorts them. */
static void
dag_dependencies(FILE *f, const struct dag *d)
{
	struct dep v[32];
	int n = 0, k;
	const char *as = schema == 2 ? "dataset" : "asset";
	char id[300];

	for (k = 0; k < d->n; k++) {
		const struct task *t = &d->t[k];

		if (t->out >= 0)
			dep_add(v, &n, d->id, as, as, assets[t->out].name,
			    dep_asset_id(t->out, id, sizeof id));
		if (t->alias_out >= 0)
			dep_alias(v, &n, d->id, t->alias_out, true);
	}
	if (d->sched_alias >= 0)
		dep_alias(v, &n, d->id, d->sched_alias, false);
	else
		for (k = 0; k < d->nleaf && d->shape != SH_NONE; k++)
			dep_add(v, &n, as, d->id, as, assets[d->leaf[k]].name,
			    dep_asset_id(d->leaf[k], id, sizeof id));
	if (d->sensor_on >= 0)
		dep_add(v, &n, dags[d->sensor_on].id, d->id, "sensor",
		    d->t[0].id, d->t[0].id);
	if (d->trigger_to >= 0)
		dep_add(v, &n, d->id, dags[d->trigger_to].id, "trigger",
		    d->t[d->trig_task].id, d->t[d->trig_task].id);
	qsort(v, (size_t)n, sizeof *v, dep_cmp);
	fputs("\"dag_dependencies\": [", f);
	for (k = 0; k < n; k++) {
		const char *p;

		fprintf(f, "%s{\"source\": \"%s\", \"target\": \"%s\", ",
		    k ? ", " : "", v[k].source, v[k].target);
		if (schema != 2)
			fprintf(f, "\"label\": \"%s\", ", v[k].label);
		fprintf(f, "\"dependency_type\": \"%s\", \"dependency_id\": \"",
		    v[k].type);
		for (p = v[k].id; *p != '\0'; p++) {
			if (*p == '"')
				fputc('\\', f);
			fputc(*p, f);
		}
		fputs("\"}", f);
	}
	fputs("], ", f);
}

/* A task's outlets in the serialized task (the only place of an alias's). */
static void
task_outlets(FILE *f, const struct task *t)
{
	const struct asset *a;

	if (t->out < 0 && t->alias_out < 0)
		return;
	fputs("\"outlets\": [", f);
	if (t->out >= 0) {
		a = &assets[t->out];
		if (schema == 2)
			fprintf(f, "{\"__type\": \"dataset\", \"__var\": "
			    "{\"extra\": {}, \"uri\": \"%s\"}}", a->uri);
		else
			fprintf(f, "{\"__type\": \"asset\", \"__var\": "
			    "{\"extra\": {}, \"group\": \"asset\", \"name\": "
			    "\"%s\", \"uri\": \"%s\"}}", a->name, a->uri);
	}
	if (t->alias_out >= 0)
		fprintf(f, schema == 2 ? "{\"__type\": \"dataset_alias\", "
		    "\"__var\": {\"name\": \"%s\"}}" : "{\"__type\": "
		    "\"asset_alias\", \"__var\": {\"group\": \"asset\", "
		    "\"name\": \"%s\"}}", aliases[t->alias_out].name);
	fputs("], ", f);
}

/* The serialized DAG, keys sorted as json.dumps(sort_keys=True) writes. */
static void
serialize(struct dag *d, int ntasks, char **out, size_t *len)
{
	FILE *f = open_memstream(out, len);
	int i, j, down[MAXT];

	if (schema == 2) {
		fprintf(f, "{\"__version\": 1, \"dag\": {\"_dag_id\": \"%s\", ",
		    d->id);
		dag_dependencies(f, d);
		fprintf(f, "\"fileloc\": \"/opt/airflow/dags/%s.py\", "
		    "\"tasks\": [", d->id);
	} else {
		fputs("{\"__version\": 3, \"dag\": {", f);
		dag_dependencies(f, d);
		fprintf(f, "\"dag_id\": \"%s\", "
		    "\"fileloc\": \"/opt/airflow/dags/%s.py\", "
		    "\"relative_fileloc\": \"%s.py\", \"tasks\": [", d->id,
		    d->id, d->id);
	}
	for (i = 0; i < ntasks; i++) {
		struct task *t = &d->t[i];
		int n = 0;

		for (j = 0; j < t->ndown; j++)
			if (t->down[j] < ntasks)
				down[n++] = t->down[j];
		sort_ids(d, down, n);
		if (i > 0)
			fputs(", ", f);
		if (schema == 3 || d->wrapped)
			fputs("{\"__type\": \"operator\", \"__var\": ", f);
		fputc('{', f);
		if (t->mapped)
			fputs("\"_is_mapped\": true, ", f);
		if (schema == 2)
			fprintf(f, "\"_task_module\": \"%s\", \"_task_type\": "
			    "\"%s\", ", t->module, t->op);
		else
			fprintf(f, "\"_task_module\": \"%s\", ", t->module);
		if (n > 0 || schema == 2) {
			fputs("\"downstream_task_ids\": [", f);
			for (j = 0; j < n; j++)
				fprintf(f, "%s\"%s\"", j ? ", " : "",
				    d->t[down[j]].id);
			fputs("], ", f);
		}
		if (i == 0 && d->sensor_on >= 0)
			fprintf(f, "\"external_dag_id\": \"%s\", ",
			    dags[d->sensor_on].id);
		task_outlets(f, t);
		if (schema == 2 || strcmp(t->pool, "default_pool") != 0)
			fprintf(f, "\"pool\": \"%s\", ", t->pool);
		if (schema == 2 || t->retries != 0)
			fprintf(f, "\"retries\": %d, ", t->retries);
		fprintf(f, "\"task_id\": \"%s\"", t->id);
		if (schema == 3)
			fprintf(f, ", \"task_type\": \"%s\"", t->op);
		if (i == d->trig_task)
			fprintf(f, ", \"trigger_dag_id\": \"%s\"",
			    dags[d->trigger_to].id);
		fputc('}', f);
		if (schema == 3 || d->wrapped)
			fputc('}', f);
	}
	fputs("], \"timezone\": \"UTC\"}}", f);
	fclose(f);
}

/* A bytea value in COPY text form: \\x followed by hex. */
static void
put_bytea(FILE *o, const unsigned char *p, size_t n)
{
	size_t i;

	fputs("\\\\x", o);
	for (i = 0; i < n; i++)
		fprintf(o, "%02x", p[i]);
}

/* JSON text in COPY text form: backslashes doubled. */
static void
put_copy_text(FILE *o, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\\')
			fputc('\\', o);
		fputc(s[i], o);
	}
}

static void
emit_dags(FILE *o)
{
	int i;
	char b1[80], b2[80], b3[80], b4[80];

	if (schema == 3) {
		fputs("INSERT INTO dag_bundle (name, active) VALUES "
		    "('dags-folder', true);\n", o);
		fprintf(o, "COPY dag (dag_id, is_paused, is_stale, fileloc, "
		    "relative_fileloc, bundle_name, owners, timetable_summary, "
		    "timetable_description, max_active_tasks, max_active_runs, "
		    "max_consecutive_failed_dag_runs, has_task_concurrency_limits, "
		    "has_import_errors, next_dagrun, next_dagrun_data_interval_start, "
		    "next_dagrun_data_interval_end, next_dagrun_create_after, "
		    "last_parsed_time%s, asset_expression) FROM stdin;\n",
		    v32 ? ", timetable_type" : "");
	} else
		fputs("COPY dag (dag_id, is_paused, is_subdag, is_active, fileloc, "
		    "owners, schedule_interval, timetable_description, "
		    "max_active_tasks, max_active_runs, "
		    "max_consecutive_failed_dag_runs, has_task_concurrency_limits, "
		    "has_import_errors, next_dagrun, next_dagrun_data_interval_start, "
		    "next_dagrun_data_interval_end, next_dagrun_create_after, "
		    "last_parsed_time, default_view, dataset_expression) "
		    "FROM stdin;\n", o);
	for (i = 0; i < ndags; i++) {
		struct dag *d = &dags[i];
		int64_t day = now - now % 86400, ns, ne, period;
		const char *sched, *desc;
		char sch[64];
		bool none = d->manual_only || d->shape != SH_NONE;

		if (d->shape != SH_NONE) {
			period = 86400;
			ns = day;
			sched = schema == 2 ? "Dataset" : "Asset";
			desc = schema == 2 ? "Triggered by datasets" :
			    "Triggered by assets";
		} else if (d->hourly) {
			period = 3600;
			ns = now - now % 3600;	/* the hour begun: its run is next */
			sched = "@hourly";
			desc = "At the start of every hour";
		} else if (d->weekly) {
			period = 7 * 86400;
			ns = day - 7 * 86400;
			sched = "@weekly";
			desc = "At 00:00, only on Sunday";
		} else {
			period = 86400;
			ns = day + d->hour * 3600 - (now % 86400 < d->hour * 3600 ?
			    86400 : 0);
			snprintf(sch, sizeof sch, "0 %d * * *", d->hour);
			sched = sch;
			desc = NULL;
		}
		ne = ns + period;
		if (schema == 3)
			fprintf(o, "%s\t%s\t%s\t/opt/airflow/dags/%s.py\t%s.py\t"
			    "dags-folder\tdata-eng\t%s\t", d->id,
			    d->paused ? "t" : "f", d->stale ? "t" : "f", d->id,
			    d->id, d->manual_only ? "None" : sched);
		else {
			fprintf(o, "%s\t%s\tf\t%s\t/opt/airflow/dags/%s.py\t"
			    "data-eng\t", d->id, d->paused ? "t" : "f",
			    d->stale ? "f" : "t", d->id);
			if (d->manual_only)
				fputs("null\t", o);
			else
				fprintf(o, "\"%s\"\t", sched);
		}
		if (d->manual_only)
			fputs("Never, external triggers only\t", o);
		else if (desc != NULL)
			fprintf(o, "%s\t", desc);
		else
			fprintf(o, "At %02d:00\t", d->hour);
		fprintf(o, "16\t1\t0\tf\t%s\t", d->import_errors ? "t" : "f");
		if (none)
			fputs("\\N\t\\N\t\\N\t\\N\t", o);
		else
			fprintf(o, "%s\t%s\t%s\t%s\t", ts(ns, b1), ts(ns, b2),
			    ts(ne, b3), ts(ne, b4));
		fprintf(o, "%s", ts(now - rint_(10, 300), b1));
		/* 3.2: the timetable's type name, NOT NULL. */
		if (v32)
			fputs(d->manual_only ? "\tNullTimetable" :
			    d->shape != SH_NONE ? "\tAssetTriggeredTimetable" :
			    "\tCronTriggerTimetable", o);
		fputs(schema == 2 ? "\tgrid\t" : "\t", o);
		expression(o, d);
		fputc('\n', o);
	}
	fputs("\\.\n", o);
}

static void
emit_serialized(FILE *o)
{
	int i, v;
	char b[80], *json, hash[40];
	size_t len;
	uLongf zlen;
	unsigned char *z;

	if (schema == 3)
		fputs("COPY dag_version (id, version_number, dag_id, bundle_name, "
		    "created_at, last_updated) FROM stdin;\n", o);
	for (i = 0; schema == 3 && i < ndags; i++) {
		struct dag *d = &dags[i];

		if (d->two_versions)
			fprintf(o, "%s\t1\t%s\tdags-folder\t%s\t%s\n",
			    d->old_version_id, d->id,
			    ts(now - (ndays + 30) * 86400LL, b), b);
		fprintf(o, "%s\t%d\t%s\tdags-folder\t%s\t%s\n", d->version_id,
		    d->two_versions ? 2 : 1, d->id,
		    ts(now - (d->two_versions ? 3 : ndays + 20) * 86400LL, b), b);
	}
	if (schema == 3)
		fputs("\\.\n", o);
	if (schema == 3)
		fputs("COPY serialized_dag (id, dag_id, data, data_compressed, "
		    "created_at, last_updated, dag_hash, dag_version_id) "
		    "FROM stdin;\n", o);
	else
		fputs("COPY serialized_dag (dag_id, fileloc, fileloc_hash, data, "
		    "data_compressed, last_updated, dag_hash) FROM stdin;\n", o);
	for (i = 0; i < ndags; i++) {
		struct dag *d = &dags[i];

		for (v = d->two_versions && schema == 3 ? 0 : 1; v <= 1; v++) {
			serialize(d, v == 0 ? d->n - 1 : d->n, &json, &len);
			snprintf(hash, sizeof hash, "%016llx%016llx",
			    (unsigned long long)rnd(), (unsigned long long)rnd());
			if (schema == 3) {
				char id[40];

				uuid(id);
				fprintf(o, "%s\t%s\t", id, d->id);
			} else
				fprintf(o, "%s\t/opt/airflow/dags/%s.py\t%lld\t",
				    d->id, d->id, (long long)(rnd() >> 1));
			if (d->compressed) {
				zlen = compressBound(len);
				z = malloc(zlen);
				compress(z, &zlen, (const Bytef *)json, len);
				fputs("\\N\t", o);
				put_bytea(o, z, zlen);
				free(z);
			} else {
				put_copy_text(o, json, len);
				fputs("\t\\N", o);
			}
			if (schema == 3)
				fprintf(o, "\t%s\t%s\t%s\t%s\n",
				    ts(now - (v == 0 ? ndays + 30 : 3) * 86400LL, b),
				    b, hash, v == 0 ? d->old_version_id :
				    d->version_id);
			else
				fprintf(o, "\t%s\t%s\n", ts(now - 3600, b), hash);
			free(json);
		}
	}
	fputs("\\.\n", o);
}

/*
 * The asset web's tables (after the dag rows they refer to): assets,
 * aliases and what they resolved to, task outlets, schedule references.
 * Ids are the indexes plus one, so that events can name them.
 */
static void
emit_web(FILE *o)
{
	const char *as = schema == 2 ? "dataset" : "asset";
	char b[80];
	int i, k;

	ts(now - (ndays + 20) * 86400LL, b);
	if (schema == 2)
		fputs("COPY dataset (id, uri, extra, created_at, updated_at, "
		    "is_orphaned) FROM stdin;\n", o);
	else
		fputs("COPY asset (id, name, uri, \"group\", extra, created_at, "
		    "updated_at) FROM stdin;\n", o);
	for (i = 0; i < nassets; i++)
		if (schema == 2)
			fprintf(o, "%d\t%s\t{}\t%s\t%s\tf\n", i + 1,
			    assets[i].uri, b, b);
		else
			fprintf(o, "%d\t%s\t%s\tasset\t{}\t%s\t%s\n", i + 1,
			    assets[i].name, assets[i].uri, b, b);
	fputs("\\.\n", o);
	if (schema == 3) {
		fputs("COPY asset_active (name, uri) FROM stdin;\n", o);
		for (i = 0; i < nassets; i++)
			fprintf(o, "%s\t%s\n", assets[i].name, assets[i].uri);
		fputs("\\.\n", o);
	}
	fprintf(o, "COPY %s_alias (id, name%s) FROM stdin;\n", as,
	    schema == 2 ? "" : ", \"group\"");
	for (i = 0; i < naliases; i++)
		fprintf(o, "%d\t%s%s\n", i + 1, aliases[i].name,
		    schema == 2 ? "" : "\tasset");
	fprintf(o, "\\.\nCOPY %s_alias_%s (alias_id, %s_id) FROM stdin;\n", as,
	    as, as);
	for (i = 0; i < naliases; i++)
		fprintf(o, "%d\t%d\n", i + 1, aliases[i].asset + 1);
	fprintf(o, "\\.\nCOPY task_outlet_%s_reference (%s_id, dag_id, task_id, "
	    "created_at, updated_at) FROM stdin;\n", as, as);
	for (i = 0; i < nassets; i++)
		if (assets[i].task >= 0)
			fprintf(o, "%d\t%s\t%s\t%s\t%s\n", i + 1,
			    dags[assets[i].dag].id,
			    dags[assets[i].dag].t[assets[i].task].id, b, b);
	/* 2.10 also writes the assets an alias resolved to (§3). */
	fprintf(o, "\\.\nCOPY dag_schedule_%s_reference (%s_id, dag_id, "
	    "created_at, updated_at) FROM stdin;\n", as, as);
	for (i = 0; i < ndags; i++)
		for (k = 0; k < dags[i].nleaf && dags[i].shape != SH_NONE &&
		    (schema == 2 || dags[i].sched_alias < 0); k++)
			fprintf(o, "%d\t%s\t%s\t%s\n", dags[i].leaf[k] + 1,
			    dags[i].id, b, b);
	fprintf(o, "\\.\nCOPY dag_schedule_%s_alias_reference (alias_id, dag_id, "
	    "created_at, updated_at) FROM stdin;\n", as);
	for (i = 0; i < ndags; i++)
		if (dags[i].sched_alias >= 0)
			fprintf(o, "%d\t%s\t%s\t%s\n", dags[i].sched_alias + 1,
			    dags[i].id, b, b);
	fputs("\\.\n", o);
}

/*
 * After the runs: what is queued for each active, unpaused consumer whose
 * condition is not met yet (the assets updated since its last run), and
 * the sequences past the ids written.
 */
static void
emit_queue(FILE *o)
{
	const char *as = schema == 2 ? "dataset" : "asset";
	char b[80];
	int i, k;

	fprintf(o, "COPY %s_dag_run_queue (%s_id, target_dag_id, created_at) "
	    "FROM stdin;\n", as, as);
	for (i = 0; i < ndags; i++)
		for (k = 0; k < dags[i].nleaf && !dags[i].paused &&
		    dags[i].shape != SH_NONE; k++)
			if (dags[i].qmask & 1 << k)
				fprintf(o, "%d\t%s\t%s\n", dags[i].leaf[k] + 1,
				    dags[i].id, ts(dags[i].qat[k], b));
	fputs("\\.\n", o);
	/*
	 * The events each asset-triggered run consumed: those of its assets
	 * (direct, or through its alias) within its data interval, which
	 * runs from the first event queued for it to the one that met its
	 * condition.
	 */
	fprintf(o, "INSERT INTO dagrun_%s_event (dag_run_id, event_id) "
	    "SELECT r.id, e.id FROM dag_run r JOIN ("
	    "SELECT dag_id, %s_id AS a FROM dag_schedule_%s_reference UNION "
	    "SELECT s.dag_id, x.%s_id FROM dag_schedule_%s_alias_reference s "
	    "JOIN %s_alias_%s x USING (alias_id)) l ON l.dag_id = r.dag_id "
	    "JOIN %s_event e ON e.%s_id = l.a AND e.timestamp BETWEEN "
	    "r.data_interval_start AND r.data_interval_end "
	    "WHERE r.run_type = '%s_triggered';\n", as, as, as, as, as, as,
	    as, as, as, as);
	fprintf(o, "SELECT setval('%s_id_seq', %d), setval('%s_alias_id_seq', "
	    "%d), setval('%s_event_id_seq', %lld);\n", as, nassets + 1, as,
	    naliases + 1, as, (long long)next_event_id);
}

/*
 * When d's condition is met by its assets' events, the scheduler's queue
 * replayed in time order: the instants its runs are created at
 * (ascending) into *at, and the first queued event of each into *from;
 * what stays queued after the last goes into d->qmask and d->qat.
 */
static int
asset_triggers(struct dag *d, int64_t **at, int64_t **from)
{
	int pos[MAXIN] = { 0 }, n = 0, cap = 0, k, best;
	int64_t t, f;

	*at = *from = NULL;
	d->qmask = 0;
	for (;;) {
		best = -1;
		for (k = 0; k < d->nleaf; k++) {
			const struct asset *a = &assets[d->leaf[k]];

			if (pos[k] < a->nev && (best < 0 || a->ev[pos[k]] <
			    assets[d->leaf[best]].ev[pos[best]]))
				best = k;
		}
		if (best < 0)
			break;
		t = assets[d->leaf[best]].ev[pos[best]++];
		if (!(d->qmask & 1 << best)) {
			d->qmask |= 1 << best;
			d->qat[best] = t;
		}
		if (!satisfied(d, d->qmask))
			continue;
		for (f = t, k = 0; k < d->nleaf; k++)
			if (d->qmask & 1 << k && d->qat[k] < f)
				f = d->qat[k];
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			*at = realloc(*at, (size_t)cap * sizeof **at);
			*from = realloc(*from, (size_t)cap * sizeof **from);
		}
		(*at)[n] = t;
		(*from)[n++] = f;
		d->qmask = 0;
	}
	return n;
}

static void
push_time(int64_t **v, int *n, int *cap, int64_t t)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*v = realloc(*v, (size_t)*cap * sizeof **v);
	}
	(*v)[(*n)++] = t;
}

static int64_t
task_seconds(const struct task *t)
{
	if (t->branch || strcmp(t->op, "EmptyOperator") == 0)
		return rint_(1, 4);
	if (strstr(t->op, "Sensor") != NULL)
		return rint_(5, 600);
	if (strncmp(t->op, "BigQuery", 8) == 0 ||
	    strncmp(t->op, "GCSToBigQuery", 13) == 0)
		return rint_(60, 2400);
	return rint_(8, 300);
}

static void
ti_row(FILE *o, const struct dag *d, const char *run_id, const struct task *t,
    int map, const char *state, int try_number, int64_t st, int64_t en,
    bool history)
{
	char b1[80], b2[80], id[40];
	int max_tries = t->retries;

	(void)history;
	if (schema == 3) {
		uuid(id);
		fprintf(o, "%s\t", id);
	}
	fprintf(o, "%s\t%s\t%s\t%d\t", d->id, run_id, t->id, map);
	fprintf(o, "%s\t%s\t", st ? ts(st, b1) : "\\N", en ? ts(en, b2) : "\\N");
	if (st && en)
		fprintf(o, "%lld.%03d\t", (long long)(en - st), rint_(0, 999));
	else
		fputs("\\N\t", o);
	fprintf(o, "%s\t%d\t%d\t", state != NULL ? state : "\\N", try_number,
	    max_tries);
	if (st)
		fprintf(o, "worker-%d\t", rint_(0, 7));
	else
		fputs("\\N\t", o);
	fprintf(o, "airflow\t%s\t1\tdefault\t%d\t%s\t%s\n", t->pool,
	    1 + rint_(0, 10), t->op, st ? "CeleryExecutor" : "\\N");
}

/*
 * The rows kept so far: runs, task instances, asset events and the aliases
 * they went through, as COPY blocks in the order of their foreign keys,
 * from memory streams reopened after each block of DAGs.
 */
struct chunk {
	FILE	*runs, *tis, *evs, *aev;
	char	*rb, *tb, *eb, *ab;
	size_t	 rl, tl, el, al;
};

static void
chunk_open(struct chunk *c)
{
	c->runs = open_memstream(&c->rb, &c->rl);
	c->tis = open_memstream(&c->tb, &c->tl);
	c->evs = open_memstream(&c->eb, &c->el);
	c->aev = open_memstream(&c->ab, &c->al);
}

static void
copy_block(FILE *o, const char *head, char *buf, size_t len)
{
	fputs(head, o);
	fwrite(buf, 1, len, o);
	fputs("\\.\n", o);
	free(buf);
}

static void
chunk_flush(FILE *o, struct chunk *c)
{
	const char *as = schema == 2 ? "dataset" : "asset";
	char head[256];

	fclose(c->runs);
	fclose(c->tis);
	fclose(c->evs);
	fclose(c->aev);
	copy_block(o, schema == 3 ?
	    "COPY dag_run (dag_id, run_id, state, run_type, logical_date, "
	    "run_after, queued_at, start_date, end_date, "
	    "data_interval_start, data_interval_end, triggered_by, "
	    "clear_number, log_template_id, created_dag_version_id) "
	    "FROM stdin;\n" :
	    "COPY dag_run (dag_id, run_id, state, run_type, "
	    "execution_date, queued_at, start_date, end_date, "
	    "data_interval_start, data_interval_end, external_trigger, "
	    "clear_number, log_template_id) FROM stdin;\n", c->rb, c->rl);
	copy_block(o, schema == 3 ?
	    "COPY task_instance (id, dag_id, run_id, task_id, map_index, "
	    "start_date, end_date, duration, state, try_number, max_tries, "
	    "hostname, unixname, pool, pool_slots, queue, priority_weight, "
	    "operator, executor) FROM stdin;\n" :
	    "COPY task_instance (dag_id, run_id, task_id, map_index, "
	    "start_date, end_date, duration, state, try_number, max_tries, "
	    "hostname, unixname, pool, pool_slots, queue, priority_weight, "
	    "operator, executor) FROM stdin;\n", c->tb, c->tl);
	snprintf(head, sizeof head, "COPY %s_event (id, %s_id, extra, "
	    "source_task_id, source_dag_id, source_run_id, source_map_index, "
	    "timestamp) FROM stdin;\n", as, as);
	copy_block(o, head, c->eb, c->el);
	snprintf(head, sizeof head, "COPY %s_alias_%s_event (alias_id, "
	    "event_id) FROM stdin;\n", as, as);
	copy_block(o, head, c->ab, c->al);
}

/* The event a successful outlet task writes at its end (§1). */
static void
write_event(struct chunk *c, int a, int al, const struct dag *d,
    const struct task *t, const char *run_id, int64_t at)
{
	struct asset *x = &assets[a];
	char b[80];

	fprintf(c->evs, "%lld\t%d\t{}\t%s\t%s\t%s\t-1\t%s\n",
	    (long long)next_event_id, a + 1, t->id, d->id, run_id, ts(at, b));
	if (al >= 0)
		fprintf(c->aev, "%d\t%lld\n", al + 1, (long long)next_event_id);
	next_event_id++;
	push_time(&x->ev, &x->nev, &x->cev, at);
}

/* A run's tasks as simulated: their times, states and tries. */
struct sim {
	int64_t		 st[MAXT], en[MAXT], t_end;
	const char	*state[MAXT];
	int		 tries[MAXT];
	bool		 running, failed;
};

/*
 * d's tasks from start in topological order: each starts when its
 * upstream ends, fail fails (try retries + 1, downstream upstream_failed),
 * retry succeeds on its second try, a branch skips one side, and what has
 * not ended by now is running, queued or not started.
 */
static void
simulate(const struct dag *d, int64_t start, int fail, int retry,
    struct sim *s)
{
	int k, side = 0;
	bool dead[MAXT];

	s->t_end = start;
	s->running = s->failed = false;
	memset(dead, 0, sizeof dead);
	for (k = 0; k < d->n; k++) {
		const struct task *t = &d->t[k];
		int64_t ready = start;
		int j;
		bool up_failed = false, up_skipped = true;

		for (j = 0; j < t->nup; j++) {
			if (s->en[t->up[j]] > ready)
				ready = s->en[t->up[j]];
			if (dead[t->up[j]])
				up_failed = true;
			if (s->state[t->up[j]] == NULL ||
			    strcmp(s->state[t->up[j]], "skipped") != 0)
				up_skipped = false;
		}
		s->tries[k] = 1;
		if (t->nup == 0)
			up_skipped = false;
		if (up_failed) {
			s->state[k] = "upstream_failed";
			dead[k] = true;
			s->st[k] = s->en[k] = 0;
			s->tries[k] = 0;
			s->en[k] = ready;
			continue;
		}
		if (t->skip_side != 0 && t->skip_side != side) {
			s->state[k] = "skipped";
			s->st[k] = s->en[k] = ready;
			s->tries[k] = 0;
			continue;
		}
		if (up_skipped) {
			s->state[k] = "skipped";
			s->st[k] = s->en[k] = ready;
			s->tries[k] = 0;
			continue;
		}
		s->st[k] = ready + rint_(2, 30);
		s->en[k] = s->st[k] + task_seconds(t);
		if (t->branch)
			side = 1 + (int)(rnd() % 2);
		if (k == fail) {
			s->state[k] = "failed";
			s->tries[k] = t->retries + 1;
			s->en[k] += 300 * t->retries;
			dead[k] = true;
			s->failed = true;
		} else
			s->state[k] = "success";
		if (k == retry && t->retries > 0) {
			s->tries[k] = 2;
			s->en[k] += 300;
		}
		if (s->en[k] > now) {
			/* Still going: this run is the live one. */
			s->running = true;
			if (s->st[k] > now) {
				s->state[k] = s->st[k] - now < 60 ?
				    "queued" : NULL;
				s->st[k] = 0;
				s->tries[k] = s->state[k] ? 1 : 0;
				s->en[k] = now + 86400;
			} else
				s->state[k] = "running";
		}
		if (s->en[k] > s->t_end && s->en[k] <= now)
			s->t_end = s->en[k];
	}
}

enum { RUN_SCHEDULED, RUN_ASSET, RUN_MANUAL };

/*
 * d's task instances in a run (mapped ones per index), and what its
 * successful tasks did when they ended: the events of their outlets and
 * the trigger of the trigger task.
 */
static void
write_tis(struct chunk *c, struct dag *d, const char *run_id,
    const struct sim *s)
{
	int k, m;

	for (k = 0; k < d->n; k++) {
		struct task *t = &d->t[k];
		int nm = t->mapped ? t->nmap : 1;

		for (m = 0; m < nm; m++) {
			const char *st = s->state[k];
			int64_t a = s->st[k], b = s->en[k];

			/* A mapped task fails in one partition only. */
			if (t->mapped && st != NULL &&
			    strcmp(st, "failed") == 0 &&
			    m != t->nmap / 2)
				st = "success";
			if (t->mapped && st != NULL &&
			    strcmp(st, "success") == 0) {
				a += m * 3;
				b += m * 7;
			}
			if (b > now || (st != NULL &&
			    strcmp(st, "running") == 0))
				b = 0;
			ti_row(c->tis, d, run_id, t, t->mapped ? m : -1,
			    st, s->tries[k], a, b, false);
		}
		if (s->state[k] == NULL || strcmp(s->state[k], "success") != 0 ||
		    s->st[k] == 0 || s->en[k] > now)
			continue;
		if (t->out >= 0)
			write_event(c, t->out, -1, d, t, run_id, s->en[k]);
		if (t->alias_out >= 0)
			write_event(c, aliases[t->alias_out].asset,
			    t->alias_out, d, t, run_id, s->en[k]);
		if (k == d->trig_task) {
			struct dag *x = &dags[d->trigger_to];

			push_time(&x->trig, &x->ntrig, &x->ctrig, s->en[k]);
		}
	}
}

/*
 * One run of d: its tasks simulated from start, then (if it has started
 * by now) its row, its task instances, the events its successful outlet
 * tasks wrote and the trigger its trigger task gave.  L is the logical
 * date of a scheduled run (period its interval), else the instant the run
 * was created (from: the first event it consumes); last says a scheduled
 * run is the newest.  Returns 0 when written, 1 when written and live (no
 * run after it), 2 when not started.
 */
static int
one_run(struct chunk *c, struct dag *d, int kind, int64_t L, int64_t period,
    int64_t from, int64_t start, bool last)
{
	struct sim s;
	const char *rs, *rt;
	int fail = -1, retry = -1;
	double u = rfrac();
	char b1[80], b2[80], b3[80], b4[80], b5[80], b6[80], b7[80];
	char run_id[160];

	if (u < 0.08 && d->n > 3)
		fail = rint_(1, d->n - 3);
	else if (u < 0.18)
		retry = rint_(1, d->n - 1);
	if (d->steady)
		fail = retry = -1;
	if (last && d->fail_task >= 0) {
		fail = d->fail_task;
		retry = -1;
	}
	simulate(d, start, fail, retry, &s);
	if (start > now)
		return 2;
	rt = kind == RUN_SCHEDULED ? "scheduled" : kind == RUN_MANUAL ?
	    "manual" : schema == 2 ? "dataset_triggered" : "asset_triggered";
	if (kind == RUN_ASSET && schema == 3)
		/* 3.x: no logical date, a random suffix. */
		snprintf(run_id, sizeof run_id, "%s__%s_%08llx", rt, iso(L, b1),
		    (unsigned long long)(rnd() & 0xffffffffULL));
	else
		snprintf(run_id, sizeof run_id, "%s__%s", rt, iso(L, b1));
	rs = s.running ? "running" : s.failed ? "failed" : "success";
	if (kind != RUN_ASSET)
		from = L;
	/* The run row. */
	if (schema == 3)
		fprintf(c->runs, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t"
		    "%s\t%s\t%s\t%s\t%d\t2\t%s\n", d->id, run_id, rs, rt,
		    kind == RUN_ASSET ? "\\N" : ts(L, b1),
		    ts(L + period, b2), ts(start - 1, b3),
		    ts(start, b4), s.running ? "\\N" :
		    ts(s.t_end + 2, b5), ts(from, b6), ts(L + period, b7),
		    kind == RUN_SCHEDULED ? "timetable" : kind == RUN_MANUAL ?
		    "operator" : "asset", (rnd() % 40 == 0), d->version_id);
	else
		fprintf(c->runs, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t"
		    "%s\t%s\t%s\t%d\t2\n", d->id, run_id, rs, rt,
		    ts(L, b1), ts(start - 1, b2),
		    ts(start, b3), s.running ? "\\N" :
		    ts(s.t_end + 2, b4), ts(from, b5),
		    ts(L + period, b6), kind == RUN_MANUAL ? "t" : "f",
		    (int)(rnd() % 40 == 0));
	write_tis(c, d, run_id, &s);
	return s.running ? 1 : 0;
}

/*
 * Every DAG's runs and task instances, written a block of RUN_CHUNK DAGs
 * at a time, so that memory stays small at 20,000 DAGs (--huge: about
 * 12 GB of rows); the rows and the random sequence do not depend on the
 * block size.  In the list's order: a DAG scheduled on assets, or
 * triggered, comes after the DAGs whose events and triggers create its
 * runs.
 */
#define RUN_CHUNK	250

static void
emit_runs(FILE *o)
{
	struct chunk c;
	int i, j, n;
	int64_t *at, *from;

	chunk_open(&c);
	for (i = 0; i < ndags; i++) {
		struct dag *d = &dags[i];
		int64_t period = d->hourly ? 3600 : d->weekly ? 7 * 86400 : 86400;
		int64_t first, L;

		if (d->shape != SH_NONE || d->triggered) {
			/* Runs created by events or by another DAG's trigger. */
			if (d->triggered) {
				n = d->ntrig;
				at = from = d->trig;
			} else
				n = asset_triggers(d, &at, &from);
			for (j = 0; j < n && !d->stale; j++) {
				if (d->paused && at[j] > now - 3 * 86400)
					break;
				if (j > 0 && at[j] == at[j - 1])
					continue;
				if (one_run(&c, d, d->triggered ? RUN_MANUAL :
				    RUN_ASSET, at[j], 0, from[j], at[j] +
				    rint_(1, 40), false) != 0)
					break;
			}
			if (!d->triggered) {
				free(at);
				free(from);
			}
		} else {
			if (d->manual_only || d->stale)
				first = now + 1;	/* no scheduled runs */
			else {
				first = now - (int64_t)ndays * 86400;
				first -= first % period;
				if (!d->hourly && !d->weekly)
					first += d->hour * 3600;
			}
			for (L = first; L + period <= now; L += period) {
				int64_t start = L + period + rint_(1, 40);

				if (d->paused && L > now - 3 * 86400)
					break;	/* paused three days ago */
				if (one_run(&c, d, RUN_SCHEDULED, L, period, L,
				    start, L + 2 * period > now) != 0)
					break;
			}
		}
		if ((i + 1) % RUN_CHUNK == 0 && i + 1 < ndags) {
			chunk_flush(o, &c);
			chunk_open(&c);
		}
	}
	chunk_flush(o, &c);
}

/*
 * The DAGs, their ids, schedules and flags (without --bench: one of each
 * kind the console shows) and task graphs, in the main sequence.
 */
static void
make_dags(bool bench)
{
	int i, k;

	dags = calloc((size_t)ndags, sizeof *dags);
	for (i = 0; i < ndags; i++) {
		struct dag *d = &dags[i];

		if (bench)
			snprintf(d->id, sizeof d->id, "%s_%s_%04d",
			    prefixes[i % 15], subjects[(i / 15) % 12], i);
		else
			demo_id(d->id, sizeof d->id, i);
		if (demo_story(bench))
			for (k = 0; k < 4; k++)
				if (i == atoi(demo_names[k][0]))
					snprintf(d->id, sizeof d->id, "%s",
					    demo_names[k][1]);
		d->hour = (i * 5) % 24;
		d->wrapped = schema == 3 || i % 6 != 3;
		d->compressed = i % 7 == 2;
		if (!bench) {
			d->hourly = i % 11 == 6;
			d->weekly = i == 9;
			d->manual_only = i == 10;
			d->paused = i == 3;
			d->import_errors = i == 5;
			d->stale = i == 7;
			/* A few DAGs run late in the UTC day, so one is live now. */
			if (i % 8 == 0)
				d->hour = (int)((now % 86400) / 3600);
		}
		d->two_versions = schema == 3 && i % 5 == 1;
		uuid(d->version_id);
		uuid(d->old_version_id);
		make_graph(d, rint_(tmin, tmax), i);
	}
}

int
main(int argc, char **argv)
{
	int i, seed = 42, bench = 0;
	char b[80];

	ndags = 32;
	ndays = 14;
	tmin = 5;
	tmax = 40;
	now = (int64_t)time(NULL);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--bench") == 0 || strcmp(a, "--huge") == 0) {
			bench = a[2] == 'b' ? 2000 : 20000;
			continue;
		}
		if (v == NULL) {
			fprintf(stderr, "gen_history: %s needs a value\n", a);
			return 2;
		}
		i++;
		if (strcmp(a, "--schema") == 0)
			schema = atoi(v);
		else if (strcmp(a, "--dags") == 0)
			ndags = atoi(v);
		else if (strcmp(a, "--days") == 0)
			ndays = atoi(v);
		else if (strcmp(a, "--tasks-min") == 0)
			tmin = atoi(v);
		else if (strcmp(a, "--tasks-max") == 0)
			tmax = atoi(v);
		else if (strcmp(a, "--seed") == 0)
			seed = atoi(v);
		else if (strcmp(a, "--now") == 0)
			now = strtoll(v, NULL, 10);
		else {
			fprintf(stderr, "usage: gen_history [--schema 2|3|32] "
			    "[--dags N] [--days D] [--tasks-min A] [--tasks-max B] "
			    "[--seed S] [--now EPOCH] [--bench|--huge]\n");
			return 2;
		}
	}
	if (bench) {
		ndags = bench;
		ndays = 90;
		tmin = 16;
		tmax = 40;
	}
	if (schema == 32) {
		schema = 3;
		v32 = true;
	}
	if ((schema != 2 && schema != 3) || ndags < 1 || ndays < 1 ||
	    tmin < 5 || tmax < tmin || tmax > MAXT) {
		fprintf(stderr, "gen_history: bad options\n");
		return 2;
	}
	rng = 0x9E3779B97F4A7C15ULL ^ (uint64_t)seed * 0xBF58476D1CE4E5B9ULL;
	if (rng == 0)
		rng = 1;
	arng = rng ^ 0xD1B54A32D192ED03ULL;
	if (arng == 0)
		arng = 1;
	make_dags(bench);
	build_web(bench);

	setvbuf(stdout, NULL, _IOFBF, 1 << 20);
	printf("-- generated by gen_history: schema %d, %d DAGs, %d days, now %s\n",
	    v32 ? 32 : schema, ndags, ndays, ts(now, b));
	printf("SET client_min_messages = warning;\nBEGIN;\n");
	/*
	 * The bench's tables are empty: emptied again in the loading
	 * transaction, on a server with wal_level = minimal, their rows and
	 * indexes are written without WAL (several GB less disk).
	 */
	if (bench)
		printf("TRUNCATE task_instance, dag_run CASCADE;\n");
	printf("INSERT INTO log_template (id, filename, elasticsearch_id, "
	    "created_at) VALUES (1, '{{ ti.dag_id }}/{{ ti.task_id }}/{{ ts }}/"
	    "{{ try_number }}.log', '{dag_id}-{task_id}-{execution_date}-"
	    "{try_number}', now()), (2, 'dag_id={{ ti.dag_id }}/run_id="
	    "{{ ti.run_id }}/task_id={{ ti.task_id }}/{%% if ti.map_index >= 0 "
	    "%%}map_index={{ ti.map_index }}/{%% endif %%}attempt="
	    "{{ try_number }}.log', '{dag_id}-{task_id}-{run_id}-{map_index}-"
	    "{try_number}', now());\n");
	printf("INSERT INTO slot_pool (pool, slots, description, "
	    "include_deferred) VALUES ('default_pool', 128, 'Default pool', "
	    "false), ('bigquery', 16, 'BigQuery jobs', false);\n");
	emit_dags(stdout);
	emit_web(stdout);
	emit_serialized(stdout);
	emit_runs(stdout);
	emit_queue(stdout);
	printf("INSERT INTO job (state, job_type, start_date, latest_heartbeat, "
	    "executor_class, hostname, unixname) VALUES "
	    "('running', 'SchedulerJob', now() - interval '3 days', now() - "
	    "interval '2 seconds', 'CeleryExecutor', 'scheduler-0', 'airflow'), "
	    "('running', 'TriggererJob', now() - interval '3 days', now() - "
	    "interval '3 seconds', NULL, 'triggerer-0', 'airflow'), "
	    "('success', 'SchedulerJob', now() - interval '9 days', now() - "
	    "interval '3 days', 'CeleryExecutor', 'scheduler-0', 'airflow');\n");
	printf("COMMIT;\nANALYZE;\n");
	for (i = 0; i < nassets; i++)
		free(assets[i].ev);
	for (i = 0; i < ndags; i++)
		free(dags[i].trig);
	free(assets);
	free(aliases);
	free(dags);
	return 0;
}
