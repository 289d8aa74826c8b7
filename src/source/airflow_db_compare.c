/*
 * airflow_db_compare.c: the blue/green facts (compare.h) from the Airflow
 * metadata database, 2.7 to 3.2: every active DAG's task graph as its
 * newest serialized DAG, and per task the figures of the window's task
 * instances, aggregated by the server.
 */
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "airflow_db.h"
#include "airflow_db_int.h"
#include "graph.h"
#include "pg.h"
#include "serdag.h"
#include "timefmt.h"
#include "tz.h"

/*
 * DAGs per statement: each row holds a whole serialized DAG (a few MB for
 * the largest), so a page of 200 keeps an answer bounded whatever the
 * number of DAGs, and 2,000 DAGs are ten statements.
 */
#define SHAPES_PAGE	200
#define SHAPES_PAGE_STR	"200"

/* A read of the shapes, page after page. */
struct shapes_job {
	struct afdb		*db;
	struct cmp_shapes	*out;
	struct buf		*warn;
	sched_cb		 cb;
	void			*arg;
	char			*after;		/* the last dag_id read */
	size_t			 cap;
};

static void	shapes_page(struct shapes_job *);

static void
shapes_done(struct shapes_job *j, const char *err)
{
	sched_cb	 cb = j->cb;
	void		*arg = j->arg;

	if (err != NULL)
		cmp_shapes_free(j->out);
	else
		cmp_shapes_sort(j->out);
	free(j->after);
	free(j);
	cb(arg, err);
}

/*
 * The graph of one row (data as JSON text, else data_compressed as zlib
 * within the serialized-DAG budget) into s; unknown, and a line in warn
 * naming the DAG, when there is none or it cannot be read.
 */
static void
shape_of_row(struct shapes_job *j, const PGresult *res, int row,
    struct cmp_shape *s)
{
	struct buf	 text = BUF_INIT, why = BUF_INIT;
	struct graph	*g = NULL;
	unsigned char	*raw;
	size_t		 rawlen;

	if (!PQgetisnull(res, row, 1))
		buf_puts(&text, PQgetvalue(res, row, 1));
	else if (!PQgetisnull(res, row, 2)) {
		raw = PQunescapeBytea((const unsigned char *)
		    PQgetvalue(res, row, 2), &rawlen);
		if (raw == NULL)
			buf_puts(&why, "cannot decode data_compressed");
		else {
			serdag_inflate(raw, rawlen, j->db->serdag_max, &text,
			    &why);
			PQfreemem(raw);
		}
	} else
		buf_puts(&why, "no serialized DAG");
	if (why.len == 0)
		g = serdag_parse(text.data, text.len, j->db->serdag_max, &why);
	if (g == NULL) {
		s->unknown = true;
		buf_printf(j->warn, "%s: task graph unreadable (%s)\n",
		    s->dag_id, buf_str(&why));
	} else
		cmp_shape_from_graph(s, g);
	graph_free(g);
	buf_free(&text);
	buf_free(&why);
}

static void
shapes_result(void *arg, const PGresult *res, const char *err)
{
	struct shapes_job	*j = arg;
	struct cmp_shapes	*out = j->out;
	int			 i, n;

	if (err != NULL) {
		shapes_done(j, err);
		return;
	}
	n = PQntuples(res);
	if (out->n + (size_t)n > j->cap) {
		j->cap = out->n + (size_t)n;
		out->v = xreallocarray(out->v, j->cap, sizeof *out->v);
	}
	for (i = 0; i < n; i++) {
		struct cmp_shape *s = &out->v[out->n++];

		memset(s, 0, sizeof *s);
		s->dag_id = afdb_col_str(res, i, 0);
		shape_of_row(j, res, i, s);
	}
	if (n < SHAPES_PAGE) {
		shapes_done(j, NULL);
		return;
	}
	free(j->after);
	j->after = xstrdup(out->v[out->n - 1].dag_id);
	shapes_page(j);
}

/*
 * One page: the active DAGs after j->after in the dag table's key order
 * (keyset through its primary key, never OFFSET), each with its newest
 * serialized DAG: the one row of 2.x, on 3.x the row of the DAG's highest
 * version through dag_version's (dag_id, version_number) index.  One text
 * for every page, so the connection prepares it once.
 */
static void
shapes_page(struct shapes_job *j)
{
	const struct af_schema	*s = &j->db->schema;
	struct buf		 sql = BUF_INIT;
	const char		*params[1] = { j->after };

	buf_puts(&sql, "SELECT d.dag_id, s.data::text, s.data_compressed "
	    "FROM dag d ");
	if (s->dag_version)
		buf_puts(&sql, "LEFT JOIN LATERAL (SELECT v.id FROM "
		    "dag_version v WHERE v.dag_id = d.dag_id ORDER BY "
		    "v.version_number DESC LIMIT 1) v ON true LEFT JOIN "
		    "serialized_dag s ON s.dag_version_id = v.id ");
	else
		buf_puts(&sql, "LEFT JOIN serialized_dag s ON "
		    "s.dag_id = d.dag_id ");
	buf_printf(&sql, "WHERE %s AND d.dag_id > $1::text ORDER BY d.dag_id "
	    "LIMIT " SHAPES_PAGE_STR, s->is_stale ?
	    "NOT coalesce(d.is_stale, false)" : "coalesce(d.is_active, false)");
	pg_query(j->db->pg, buf_str(&sql), 1, params, shapes_result, j);
	buf_free(&sql);
}

void
afdb_fetch_shapes(struct sched *sd, struct cmp_shapes *out, struct buf *warn,
    sched_cb cb, void *arg)
{
	struct shapes_job *j = xcalloc(1, sizeof *j);

	j->db = (struct afdb *)sd;
	j->out = out;
	j->warn = warn;
	j->cb = cb;
	j->arg = arg;
	/* Airflow's DAG ids are never empty: "" is before the first. */
	j->after = xstrdup("");
	out->v = NULL;
	out->n = 0;
	shapes_page(j);
}

static void
task_stats_result(void *arg, const PGresult *res, const char *err)
{
	struct request		*r = arg;
	struct cmp_tasks	*out = r->out;
	int			 i, n;

	if (err != NULL) {
		afdb_request_done(r, err);
		return;
	}
	n = PQntuples(res);
	out->v = n > 0 ? xcalloc((size_t)n, sizeof *out->v) : NULL;
	for (i = 0; i < n; i++) {
		struct cmp_task *t = &out->v[out->n++];

		t->dag_id = afdb_col_str(res, i, 0);
		t->task_id = afdb_col_str(res, i, 1);
		t->n = (size_t)afdb_col_int(res, i, 2, 0);
		t->failed = (size_t)afdb_col_int(res, i, 3, 0);
		t->median = afdb_col_double(res, i, 4);
		t->p90 = afdb_col_double(res, i, 5);
	}
	afdb_request_done(r, NULL);
}

/*
 * One statement: the runs sched_fetch_runs_since reads (its two
 * statements' SQL as one list of (dag_id, run_id)), then each run's ended
 * task instances by key, through the (dag_id, run_id) prefix of
 * task_instance's indexes (ti_dag_run, the primary key on 3.x's
 * (dag_id, run_id, task_id, map_index)), never a scan of the table; the
 * LIMIT in the LATERAL keeps the planner from a hash join over all of
 * task_instance.  Aggregated on the server, sorted bytewise.
 */
void
afdb_fetch_task_stats(struct sched *sd, int64_t since, struct cmp_tasks *out,
    sched_cb cb, void *arg)
{
	struct afdb	*db = (struct afdb *)sd;
	struct buf	 sql = BUF_INIT, win = BUF_INIT, failed = BUF_INIT;
	struct buf	 p = BUF_INIT;
	const char	*params[1];

	out->v = NULL;
	out->n = 0;
	fmt_time(&p, tz_utc(), since, FMT_ISO);
	params[0] = buf_str(&p);
	afdb_runs_since_sql(&db->schema, "r.dag_id, r.run_id", &win, &failed);
	buf_printf(&sql, "WITH w AS (%s UNION ALL %s) SELECT t.dag_id, "
	    "t.task_id, count(*), count(*) FILTER (WHERE t.state = 'failed'), "
	    "percentile_disc(0.5) WITHIN GROUP (ORDER BY t.duration) "
	    "FILTER (WHERE t.state = 'success'), "
	    "percentile_disc(0.9) WITHIN GROUP (ORDER BY t.duration) "
	    "FILTER (WHERE t.state = 'success') "
	    "FROM w CROSS JOIN LATERAL (SELECT t.dag_id, t.task_id, t.state, "
	    "t.duration FROM task_instance t WHERE t.dag_id = w.dag_id AND "
	    "t.run_id = w.run_id AND t.state IN ('success', 'failed', "
	    "'skipped', 'upstream_failed', 'removed') LIMIT "
	    RUNS_PER_DAG_MAX ") t GROUP BY t.dag_id, t.task_id "
	    "ORDER BY t.dag_id COLLATE \"C\", t.task_id COLLATE \"C\"",
	    buf_str(&win), buf_str(&failed));
	pg_query(db->pg, buf_str(&sql), 1, params, task_stats_result,
	    afdb_request_new(db, out, cb, arg));
	buf_free(&sql);
	buf_free(&win);
	buf_free(&failed);
	buf_free(&p);
}
