/* scheduler.c: the scheduler source's calls, each through its vtable. */
#include <stddef.h>

#include "scheduler.h"

void
sched_free(struct sched *s)
{
	if (s != NULL)
		s->ops->free(s);
}

const struct sched_about *
sched_about(const struct sched *s)
{
	return s->ops->about(s);
}

const char *
sched_warnings(const struct sched *s)
{
	return s->ops->warnings(s);
}

void
sched_describe(const struct sched *s, struct buf *b)
{
	s->ops->describe(s, b);
}

void
sched_fetch_health(struct sched *s, struct af_health *out, sched_cb cb,
    void *arg)
{
	s->ops->fetch_health(s, out, cb, arg);
}

void
sched_fetch_dags(struct sched *s, struct af_dags *out, sched_cb cb, void *arg)
{
	s->ops->fetch_dags(s, out, cb, arg);
}

void
sched_fetch_dags_since(struct sched *s, const struct af_dags *prev,
    int64_t prev_at, struct af_dags *out, sched_cb cb, void *arg)
{
	if (s->ops->fetch_dags_since == NULL || prev == NULL)
		s->ops->fetch_dags(s, out, cb, arg);
	else
		s->ops->fetch_dags_since(s, prev, prev_at, out, cb, arg);
}

void
sched_fetch_runs_since(struct sched *s, int64_t since, struct af_runs *out,
    sched_cb cb, void *arg)
{
	s->ops->fetch_runs_since(s, since, out, cb, arg);
}

void
sched_fetch_runs_recent(struct sched *s, const struct sched_recent *w,
    struct af_runs *out, sched_cb cb, void *arg)
{
	s->ops->fetch_runs_recent(s, w, out, cb, arg);
}

void
sched_fetch_dag_runs(struct sched *s, const char *dag_id, int limit,
    struct af_runs *out, sched_cb cb, void *arg)
{
	s->ops->fetch_dag_runs(s, dag_id, limit, out, cb, arg);
}

void
sched_fetch_run(struct sched *s, const char *dag_id, const char *run_id,
    struct af_runs *out, sched_cb cb, void *arg)
{
	s->ops->fetch_run(s, dag_id, run_id, out, cb, arg);
}

void
sched_fetch_tis(struct sched *s, const char *dag_id, const char *run_id,
    struct af_tis *out, sched_cb cb, void *arg)
{
	s->ops->fetch_tis(s, dag_id, run_id, out, cb, arg);
}

void
sched_fetch_attention_tis(struct sched *s, const struct af_run *const *runs,
    size_t n, struct af_tis *out, sched_cb cb, void *arg)
{
	s->ops->fetch_attention_tis(s, runs, n, out, cb, arg);
}

void
sched_fetch_graph(struct sched *s, const char *dag_id, const char *run_id,
    struct graph **out, struct buf *warn, sched_cb cb, void *arg)
{
	s->ops->fetch_graph(s, dag_id, run_id, out, warn, cb, arg);
}

void
sched_fetch_pools(struct sched *s, struct af_pools *out, sched_cb cb,
    void *arg)
{
	s->ops->fetch_pools(s, out, cb, arg);
}

void
sched_fetch_log_template(struct sched *s, const char *dag_id,
    const char *run_id, char **out, sched_cb cb, void *arg)
{
	s->ops->fetch_log_template(s, dag_id, run_id, out, cb, arg);
}

void
sched_fetch_sla(struct sched *s, const struct sla_def *const *defs, size_t n,
    int64_t from, int64_t to, struct sla_history *out, sched_cb cb, void *arg)
{
	s->ops->fetch_sla(s, defs, n, from, to, out, cb, arg);
}

void
sched_fetch_unknown_dags(struct sched *s, const char *const *dag_ids,
    size_t n, bool *out, sched_cb cb, void *arg)
{
	s->ops->fetch_unknown_dags(s, dag_ids, n, out, cb, arg);
}

void
sched_fetch_dag_runs_before(struct sched *s, const char *dag_id,
    const struct af_run *before, int limit, struct af_runs *out, sched_cb cb,
    void *arg)
{
	s->ops->fetch_dag_runs_before(s, dag_id, before, limit, out, cb, arg);
}

void
sched_fetch_deps(struct sched *s, struct dep_facts *out, sched_cb cb,
    void *arg)
{
	s->ops->fetch_deps(s, out, cb, arg);
}

void
sched_fetch_dep_state(struct sched *s, const struct dep_ask *ask,
    struct dep_state *out, sched_cb cb, void *arg)
{
	s->ops->fetch_dep_state(s, ask, out, cb, arg);
}

void
sched_fetch_shapes(struct sched *s, struct cmp_shapes *out, struct buf *warn,
    sched_cb cb, void *arg)
{
	s->ops->fetch_shapes(s, out, warn, cb, arg);
}

void
sched_fetch_task_stats(struct sched *s, int64_t since, struct cmp_tasks *out,
    sched_cb cb, void *arg)
{
	s->ops->fetch_task_stats(s, since, out, cb, arg);
}
