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

static uint64_t rng;
static int schema = 2;		/* the major version: 2 or 3 */
static bool v32;		/* --schema 32: Airflow 3.2 */

static uint64_t
rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static int
rint_(int lo, int hi)	/* lo..hi inclusive */
{
	return lo + (int)(rnd() % (uint64_t)(hi - lo + 1));
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
};

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

/* The serialized DAG, keys sorted as json.dumps(sort_keys=True) writes. */
static void
serialize(struct dag *d, int ntasks, char **out, size_t *len)
{
	FILE *f = open_memstream(out, len);
	int i, j, down[MAXT];

	if (schema == 2)
		fprintf(f, "{\"__version\": 1, \"dag\": {\"_dag_id\": \"%s\", "
		    "\"fileloc\": \"/opt/airflow/dags/%s.py\", \"tasks\": [",
		    d->id, d->id);
	else
		fprintf(f, "{\"__version\": 3, \"dag\": {\"dag_id\": \"%s\", "
		    "\"fileloc\": \"/opt/airflow/dags/%s.py\", "
		    "\"relative_fileloc\": \"%s.py\", \"tasks\": [", d->id,
		    d->id, d->id);
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
		if (schema == 2 || strcmp(t->pool, "default_pool") != 0)
			fprintf(f, "\"pool\": \"%s\", ", t->pool);
		if (schema == 2 || t->retries != 0)
			fprintf(f, "\"retries\": %d, ", t->retries);
		fprintf(f, "\"task_id\": \"%s\"", t->id);
		if (schema == 3)
			fprintf(f, ", \"task_type\": \"%s\"", t->op);
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

static struct dag *dags;
static int ndags, ndays, tmin, tmax;
static int64_t now;

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
		    "last_parsed_time%s) FROM stdin;\n",
		    v32 ? ", timetable_type" : "");
	} else
		fputs("COPY dag (dag_id, is_paused, is_subdag, is_active, fileloc, "
		    "owners, schedule_interval, timetable_description, "
		    "max_active_tasks, max_active_runs, "
		    "max_consecutive_failed_dag_runs, has_task_concurrency_limits, "
		    "has_import_errors, next_dagrun, next_dagrun_data_interval_start, "
		    "next_dagrun_data_interval_end, next_dagrun_create_after, "
		    "last_parsed_time, default_view) FROM stdin;\n", o);
	for (i = 0; i < ndags; i++) {
		struct dag *d = &dags[i];
		int64_t day = now - now % 86400, ns, ne, period;
		const char *sched, *desc;
		char sch[64];

		if (d->hourly) {
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
		if (d->manual_only)
			fputs("\\N\t\\N\t\\N\t\\N\t", o);
		else
			fprintf(o, "%s\t%s\t%s\t%s\t", ts(ns, b1), ts(ns, b2),
			    ts(ne, b3), ts(ne, b4));
		fprintf(o, "%s", ts(now - rint_(10, 300), b1));
		/* 3.2: the timetable's type name, NOT NULL. */
		if (v32)
			fputs(d->manual_only ? "\tNullTimetable" :
			    "\tCronTriggerTimetable", o);
		fputs(schema == 2 ? "\tgrid\n" : "\n", o);
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

/* One run of one DAG: its row, its task instances and earlier tries. */
struct out3 {
	FILE *run, *ti, *tih;
	int run_id_seq;
};

static int64_t
task_seconds(const struct task *t)
{
	if (t->branch || strcmp(t->op, "EmptyOperator") == 0)
		return rint_(1, 4);
	if (strcmp(t->op, "ExternalTaskSensor") == 0)
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
 * The runs and task instances kept so far, as two COPY blocks (runs first:
 * task_instance refers to dag_run), from the closed streams' buffers,
 * which are freed.
 */
static void
flush_runs(FILE *o, char *rbuf, size_t rlen, char *tbuf, size_t tlen)
{
	if (schema == 3)
		fputs("COPY dag_run (dag_id, run_id, state, run_type, logical_date, "
		    "run_after, queued_at, start_date, end_date, "
		    "data_interval_start, data_interval_end, triggered_by, "
		    "clear_number, log_template_id, created_dag_version_id) "
		    "FROM stdin;\n", o);
	else
		fputs("COPY dag_run (dag_id, run_id, state, run_type, "
		    "execution_date, queued_at, start_date, end_date, "
		    "data_interval_start, data_interval_end, external_trigger, "
		    "clear_number, log_template_id) FROM stdin;\n", o);
	fwrite(rbuf, 1, rlen, o);
	fputs("\\.\n", o);
	if (schema == 3)
		fputs("COPY task_instance (id, dag_id, run_id, task_id, map_index, "
		    "start_date, end_date, duration, state, try_number, max_tries, "
		    "hostname, unixname, pool, pool_slots, queue, priority_weight, "
		    "operator, executor) FROM stdin;\n", o);
	else
		fputs("COPY task_instance (dag_id, run_id, task_id, map_index, "
		    "start_date, end_date, duration, state, try_number, max_tries, "
		    "hostname, unixname, pool, pool_slots, queue, priority_weight, "
		    "operator, executor) FROM stdin;\n", o);
	fwrite(tbuf, 1, tlen, o);
	fputs("\\.\n", o);
	free(rbuf);
	free(tbuf);
}

/*
 * Every DAG's runs and task instances, written a block of RUN_CHUNK DAGs
 * at a time, so that memory stays small at 20,000 DAGs (--huge: about
 * 12 GB of rows); the rows and the random sequence do not depend on the
 * block size.
 */
#define RUN_CHUNK	250

static void
emit_runs(FILE *o)
{
	FILE *runs, *tis;
	char *rbuf, *tbuf;
	size_t rlen, tlen;
	int i, k, m;
	char b1[80], b2[80], b3[80], b4[80], b5[80], b6[80], b7[80], run_id[128];

	runs = open_memstream(&rbuf, &rlen);
	tis = open_memstream(&tbuf, &tlen);
	for (i = 0; i < ndags; i++) {
		struct dag *d = &dags[i];
		int64_t period = d->hourly ? 3600 : d->weekly ? 7 * 86400 : 86400;
		int64_t first, L;

		if (d->manual_only || d->stale)
			first = now + 1;	/* no scheduled runs */
		else {
			first = now - (int64_t)ndays * 86400;
			first -= first % period;
			if (!d->hourly && !d->weekly)
				first += d->hour * 3600;
		}
		for (L = first; L + period <= now; L += period) {
			int64_t start = L + period + rint_(1, 40), t_end = start;
			int64_t st[MAXT], en[MAXT];
			const char *state[MAXT];
			int tries[MAXT], fail = -1, retry = -1, side = 0;
			bool running = false, failed = false, dead[MAXT];
			double u = rfrac();

			if (d->paused && L > now - 3 * 86400)
				break;	/* paused three days ago */
			if (u < 0.08 && d->n > 3)
				fail = rint_(1, d->n - 3);
			else if (u < 0.18)
				retry = rint_(1, d->n - 1);
			memset(dead, 0, sizeof dead);
			for (k = 0; k < d->n; k++) {
				struct task *t = &d->t[k];
				int64_t ready = start;
				int j;
				bool up_failed = false, up_skipped = true;

				for (j = 0; j < t->nup; j++) {
					if (en[t->up[j]] > ready)
						ready = en[t->up[j]];
					if (dead[t->up[j]])
						up_failed = true;
					if (state[t->up[j]] == NULL ||
					    strcmp(state[t->up[j]], "skipped") != 0)
						up_skipped = false;
				}
				tries[k] = 1;
				if (t->nup == 0)
					up_skipped = false;
				if (up_failed) {
					state[k] = "upstream_failed";
					dead[k] = true;
					st[k] = en[k] = 0;
					tries[k] = 0;
					en[k] = ready;
					continue;
				}
				if (t->skip_side != 0 && t->skip_side != side) {
					state[k] = "skipped";
					st[k] = en[k] = ready;
					tries[k] = 0;
					continue;
				}
				if (up_skipped) {
					state[k] = "skipped";
					st[k] = en[k] = ready;
					tries[k] = 0;
					continue;
				}
				st[k] = ready + rint_(2, 30);
				en[k] = st[k] + task_seconds(t);
				if (t->branch)
					side = 1 + (int)(rnd() % 2);
				if (k == fail) {
					state[k] = "failed";
					tries[k] = t->retries + 1;
					en[k] += 300 * t->retries;
					dead[k] = true;
					failed = true;
				} else
					state[k] = "success";
				if (k == retry && t->retries > 0) {
					tries[k] = 2;
					en[k] += 300;
				}
				if (en[k] > now) {
					/* Still going: this run is the live one. */
					running = true;
					if (st[k] > now) {
						state[k] = st[k] - now < 60 ?
						    "queued" : NULL;
						st[k] = 0;
						tries[k] = state[k] ? 1 : 0;
						en[k] = now + 86400;
					} else
						state[k] = "running";
				}
				if (en[k] > t_end && en[k] <= now)
					t_end = en[k];
			}
			if (start > now)
				break;
			snprintf(run_id, sizeof run_id, "scheduled__%s",
			    iso(L, b1));
			/* The run row. */
			if (schema == 3)
				fprintf(runs, "%s\t%s\t%s\tscheduled\t%s\t%s\t%s\t%s\t"
				    "%s\t%s\t%s\ttimetable\t%d\t2\t%s\n", d->id,
				    run_id, running ? "running" : failed ?
				    "failed" : "success", ts(L, b1),
				    ts(L + period, b2), ts(start - 1, b3),
				    ts(start, b4), running ? "\\N" :
				    ts(t_end + 2, b5), ts(L, b6), ts(L + period, b7),
				    (rnd() % 40 == 0), d->version_id);
			else
				fprintf(runs, "%s\t%s\t%s\tscheduled\t%s\t%s\t%s\t%s\t"
				    "%s\t%s\tf\t%d\t2\n", d->id, run_id,
				    running ? "running" : failed ? "failed" :
				    "success", ts(L, b1), ts(start - 1, b2),
				    ts(start, b3), running ? "\\N" :
				    ts(t_end + 2, b4), ts(L, b5),
				    ts(L + period, b6), (int)(rnd() % 40 == 0));
			for (k = 0; k < d->n; k++) {
				struct task *t = &d->t[k];
				int nm = t->mapped ? t->nmap : 1;

				for (m = 0; m < nm; m++) {
					const char *s = state[k];
					int64_t a = st[k], b = en[k];

					/* A mapped task fails in one partition only. */
					if (t->mapped && s != NULL &&
					    strcmp(s, "failed") == 0 &&
					    m != t->nmap / 2)
						s = "success";
					if (t->mapped && s != NULL &&
					    strcmp(s, "success") == 0) {
						a += m * 3;
						b += m * 7;
					}
					if (b > now || (s != NULL &&
					    strcmp(s, "running") == 0))
						b = 0;
					ti_row(tis, d, run_id, t, t->mapped ? m : -1,
					    s, tries[k], a, b, false);
				}
			}
			if (running)
				break;
		}
		if ((i + 1) % RUN_CHUNK == 0 && i + 1 < ndags) {
			fclose(runs);
			fclose(tis);
			flush_runs(o, rbuf, rlen, tbuf, tlen);
			runs = open_memstream(&rbuf, &rlen);
			tis = open_memstream(&tbuf, &tlen);
		}
	}
	fclose(runs);
	fclose(tis);
	flush_runs(o, rbuf, rlen, tbuf, tlen);
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
	dags = calloc((size_t)ndags, sizeof *dags);
	for (i = 0; i < ndags; i++) {
		struct dag *d = &dags[i];

		if (bench)
			snprintf(d->id, sizeof d->id, "%s_%s_%04d",
			    prefixes[i % 15], subjects[(i / 15) % 12], i);
		else
			demo_id(d->id, sizeof d->id, i);
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
	emit_serialized(stdout);
	emit_runs(stdout);
	printf("INSERT INTO job (state, job_type, start_date, latest_heartbeat, "
	    "executor_class, hostname, unixname) VALUES "
	    "('running', 'SchedulerJob', now() - interval '3 days', now() - "
	    "interval '2 seconds', 'CeleryExecutor', 'scheduler-0', 'airflow'), "
	    "('running', 'TriggererJob', now() - interval '3 days', now() - "
	    "interval '3 seconds', NULL, 'triggerer-0', 'airflow'), "
	    "('success', 'SchedulerJob', now() - interval '9 days', now() - "
	    "interval '3 days', 'CeleryExecutor', 'scheduler-0', 'airflow');\n");
	printf("COMMIT;\nANALYZE;\n");
	free(dags);
	return 0;
}
