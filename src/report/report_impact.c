/*
 * report_impact.c: `dagtop report impact DAG_ID RUN_ID TASK_ID`, what a
 * failed task holds back across DAGs (its downstream tasks, the assets it
 * does not update, the DAGs and SLAs waiting on them), and `dagtop report
 * why SLA_NAME | --dag DAG_ID`, the first bad link upstream of a late DAG,
 * for runbooks and incident channels.  Both read through depread.h, as the
 * console's impact pane does, so the numbers agree; the writers are in
 * report_dep.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "report_dep.h"
#include "scheduler.h"
#include "tz.h"

/* How many hops upstream report why follows. */
#define WHY_DEPTH	16

/* ----------------------------------------------------------------------
 * The reads.
 */

/* The head of a document, from the settings and the open source. */
static void
doc_head(struct dep_doc_head *h, const struct settings *s, struct sched *db,
    const struct tz *zone, struct buf *airflow)
{
	sched_describe(db, airflow);
	h->context = s->context;
	h->source = db->ops->kind;
	h->airflow = buf_str(airflow);
	h->zone = zone;
	h->generated_at = (int64_t)time(NULL);
}

/* The SLAs of the context and their zones; n 0 and NULL zones when none. */
static int
context_slas(const struct settings *s, const struct config *cfg,
    enum report_format f, struct dep_slas *out, int *rc)
{
	const struct sla_def	**defs = xcalloc(cfg->nsla + 1, sizeof *defs);
	struct tz		**zones;

	memset(out, 0, sizeof *out);
	out->n = config_slas(cfg, s->context, defs);
	if ((zones = report_sla_zones(defs, out->n, s->timezone, f,
	    rc)) == NULL) {
		free(defs);
		out->n = 0;
		return -1;
	}
	out->defs = defs;
	out->zones = (const struct tz *const *)zones;
	return 0;
}

static void
context_slas_free(struct dep_slas *sl)
{
	size_t i;

	for (i = 0; i < sl->n; i++)
		tz_free((struct tz *)sl->zones[i]);
	free((void *)sl->zones);
	free((void *)sl->defs);
	memset(sl, 0, sizeof *sl);
}

struct impact_job {
	struct report_read	 rd;
	struct dep_cache	 cache;
	struct impact_answer	 a;
	struct dep_slas		 slas;
	const char		*dag_id, *run_id, *task_id;
};

static void
impact_start(void *arg)
{
	struct impact_job *j = arg;

	impact_read(j->rd.db, &j->cache, 0, j->dag_id, j->run_id, j->task_id,
	    NULL, &j->slas, &j->a, report_read_last, &j->rd);
}

int
report_impact(const struct settings *s, const struct config *cfg,
    const struct report_options *o, const char *dag_id, const char *run_id,
    const char *task_id)
{
	struct impact_job	 j;
	struct impact_doc	 d;
	struct buf		 out = BUF_INIT, airflow = BUF_INIT;
	struct tz		*zone;
	enum report_read_result	 read;
	int			 rc = 0;

	if (o->format == REPORT_CSV)
		return report_unknown(o->format, "report impact",
		    "supports --format text, json or markdown");
	memset(&j, 0, sizeof j);
	if ((zone = report_zone(o->format, s->timezone, &rc)) == NULL)
		return rc;
	if (context_slas(s, cfg, o->format, &j.slas, &rc) != 0) {
		tz_free(zone);
		return rc;
	}
	j.dag_id = dag_id;
	j.run_id = run_id;
	j.task_id = task_id;
	report_read_init(&j.rd);
	read = report_read_run(&j.rd, s, impact_start, &j);
	if (read != REPORT_READ_DONE)
		rc = report_unknown(o->format, report_read_what(read,
		    "report impact"), buf_str(&j.rd.error));
	else {
		memset(&d, 0, sizeof d);
		doc_head(&d.head, s, j.rd.db, zone, &airflow);
		d.dag_id = dag_id;
		d.run_id = run_id;
		d.task_id = task_id;
		d.a = &j.a;
		d.slas = &j.slas;
		impact_write(&out, o->format, &d);
		rc = impact_rc(&j.a, dag_id);
		if (!(o->quiet && rc == 0))
			fputs(buf_str(&out), stdout);
	}
	report_read_close(&j.rd);
	impact_answer_free(&j.a);
	dep_cache_free(&j.cache);
	context_slas_free(&j.slas);
	tz_free(zone);
	buf_free(&out);
	buf_free(&airflow);
	return rc;
}

struct why_job {
	struct report_read	 rd;
	struct dep_cache	 cache;
	struct why_answer	 a;
	const char		*dag_id;
	const struct sla_def	*defs[1];	/* the SLA, or NULL */
	const struct tz		*zone;
	int64_t			 from, to;
	struct sla_history	 hist;
	bool			 unknown;	/* --dag: no such DAG */
	int			 pending;
	struct buf		 error;
};

/* Both reads (the why, the SLA's days or the DAG's existence) are in. */
static void
why_part_done(void *arg, const char *err)
{
	struct why_job *j = arg;

	if (err != NULL && j->error.len == 0)
		buf_puts(&j->error, err);
	if (--j->pending > 0)
		return;
	if (j->error.len > 0)
		report_read_fail(&j->rd, buf_str(&j->error));
	else
		report_read_done(&j->rd);
}

static void
why_start(void *arg)
{
	struct why_job *j = arg;

	j->pending = 2;
	why_read(j->rd.db, &j->cache, 0, j->dag_id, WHY_DEPTH, j->zone, &j->a,
	    why_part_done, j);
	if (j->defs[0] != NULL)
		sched_fetch_sla(j->rd.db, j->defs, 1, j->from, j->to, &j->hist,
		    why_part_done, j);
	else
		sched_fetch_unknown_dags(j->rd.db, &j->dag_id, 1, &j->unknown,
		    why_part_done, j);
}

/* The SLA named, or NULL once report_unknown has said which there are. */
static const struct sla_def *
find_sla(const struct settings *s, const struct config *cfg,
    enum report_format f, const char *name, int *rc)
{
	const struct sla_def	**defs = xcalloc(cfg->nsla + 1, sizeof *defs);
	const struct sla_def	 *found = NULL;
	struct buf		  why = BUF_INIT;
	size_t			  i, n = config_slas(cfg, s->context, defs);

	for (i = 0; i < n && found == NULL; i++)
		if (strcmp(defs[i]->name, name) == 0)
			found = defs[i];
	if (found == NULL) {
		buf_printf(&why, "no SLA named '%s' in this context", name);
		for (i = 0; i < n; i++)
			buf_printf(&why, "%s%s", i == 0 ? " (there are: " :
			    ", ", defs[i]->name);
		buf_puts(&why, n > 0 ? ")" : " (none is defined)");
		*rc = report_unknown(f, "report why", buf_str(&why));
	}
	buf_free(&why);
	free(defs);
	return found;
}

/*
 * The day asked (--date, else today in the SLA's zone) judged from the
 * attempts read, at the database clock; and the document written.
 */
static int
why_finish(struct why_job *j, const struct settings *s,
    const struct report_options *o, const struct tz *home, int64_t day)
{
	struct why_doc		 d;
	struct sla_eval		 ev;
	struct buf		 out = BUF_INIT, airflow = BUF_INIT;
	size_t			 c = j->hist.nsla > 0 ? j->hist.count[0] : 0;
	int			 rc;

	memset(&d, 0, sizeof d);
	memset(&ev, 0, sizeof ev);
	if (j->defs[0] != NULL ? sla_history_unknown_dag(&j->hist, 0) :
	    j->unknown) {
		buf_printf(&out, "Airflow has no DAG '%s'", j->dag_id);
		rc = report_unknown(o->format, "report why", buf_str(&out));
		buf_free(&out);
		return rc;
	}
	doc_head(&d.head, s, j->rd.db, home, &airflow);
	d.dag_id = j->dag_id;
	d.a = &j->a;
	if ((d.sla = j->defs[0]) != NULL) {
		d.sla_zone = j->zone;
		sla_evaluate(&ev, d.sla, j->zone, day, day,
		    c > 0 ? &j->hist.v[j->hist.first[0]] : NULL, c,
		    j->a.state.now);
		d.day = ev.ndays > 0 ? &ev.days[0] : NULL;
	}
	j->a.statements++;	/* the SLA's days or the DAG's existence */
	why_write(&out, o->format, &d);
	rc = why_rc(&d);
	if (!(o->quiet && rc == 0))
		fputs(buf_str(&out), stdout);
	sla_eval_free(&ev);
	buf_free(&out);
	buf_free(&airflow);
	return rc;
}

int
report_why(const struct settings *s, const struct config *cfg,
    const struct report_options *o, const char *sla_name)
{
	struct why_job		 j;
	struct tz		*home, *zone = NULL;
	enum report_read_result	 read;
	int64_t			 day = 0;
	int			 rc = 0;

	if (o->format == REPORT_CSV)
		return report_unknown(o->format, "report why",
		    "supports --format text, json or markdown");
	if ((sla_name == NULL) == (o->dag == NULL))
		return report_unknown(o->format, "report why", "give an SLA's "
		    "name or --dag DAG_ID (one of them)");
	if (o->dag != NULL && o->date != NULL)
		return report_unknown(o->format, "report why", "--date goes "
		    "with an SLA, not with --dag");
	memset(&j, 0, sizeof j);
	if ((home = report_zone(o->format, s->timezone, &rc)) == NULL)
		return rc;
	j.dag_id = o->dag;
	if (sla_name != NULL) {
		if ((j.defs[0] = find_sla(s, cfg, o->format, sla_name,
		    &rc)) == NULL)
			goto out;
		j.dag_id = j.defs[0]->dag_id;
		if ((zone = report_zone(o->format, j.defs[0]->timezone != NULL ?
		    j.defs[0]->timezone : s->timezone, &rc)) == NULL)
			goto out;
		day = sla_local_day(zone, (int64_t)time(NULL));
		if (o->date != NULL && sla_date_parse(o->date, &day) != 0) {
			rc = report_unknown(o->format, "report why", "--date "
			    "takes a date YYYY-MM-DD");
			goto out;
		}
		/* Five weeks back for the median, two days' margin for zones. */
		j.from = (day - 35) * 86400;
		j.to = (day + 2) * 86400;
	}
	j.zone = zone != NULL ? zone : home;
	report_read_init(&j.rd);
	read = report_read_run(&j.rd, s, why_start, &j);
	if (read != REPORT_READ_DONE)
		rc = report_unknown(o->format, report_read_what(read,
		    "report why"), buf_str(&j.rd.error));
	else
		rc = why_finish(&j, s, o, home, day);
	report_read_close(&j.rd);
	why_answer_free(&j.a);
	dep_cache_free(&j.cache);
	sla_history_free(&j.hist);
	buf_free(&j.error);
out:
	tz_free(zone);
	tz_free(home);
	return rc;
}
