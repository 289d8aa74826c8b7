/* clear.c: see clear.h. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "clear.h"

char *
clear_body(const struct clear_request *q, int major)
{
	json_t	*doc = json_object(), *ids = json_array();
	char	*s;
	size_t	 i;

	for (i = 0; i < q->ntasks; i++) {
		int mi = q->map_indexes != NULL ? q->map_indexes[i] : -1;

		if (major >= 3 && mi >= 0)
			json_array_append_new(ids, json_pack("[s,i]",
			    q->task_ids[i], mi));
		else
			json_array_append_new(ids, json_string(q->task_ids[i]));
	}
	json_object_set_new(doc, "dry_run", json_boolean(q->dry_run));
	json_object_set_new(doc, "dag_run_id", json_string(q->dag_run_id));
	json_object_set_new(doc, "task_ids", ids);
	json_object_set_new(doc, "include_downstream",
	    json_boolean(q->include_downstream));
	json_object_set_new(doc, "include_upstream", json_false());
	json_object_set_new(doc, "include_future", json_false());
	json_object_set_new(doc, "include_past", json_false());
	json_object_set_new(doc, "only_failed", json_boolean(q->only_failed));
	json_object_set_new(doc, "only_running", json_false());
	json_object_set_new(doc, "reset_dag_runs", json_true());
	s = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(doc);
	return s != NULL ? s : xstrdup("{}");
}

int
clear_parse(const char *body, size_t len, struct clear_result *r,
    struct buf *err)
{
	json_t		*doc, *tis, *e;
	json_error_t	 je;
	size_t		 i;

	memset(r, 0, sizeof *r);
	doc = json_loadb(body, len, 0, &je);
	if (doc == NULL) {
		buf_printf(err, "the answer is not JSON (%s)", je.text);
		return -1;
	}
	tis = json_object_get(doc, "task_instances");
	if (!json_is_array(tis)) {
		buf_puts(err, "the answer has no task_instances list");
		json_decref(doc);
		return -1;
	}
	r->v = xcalloc(json_array_size(tis) + 1, sizeof *r->v);
	json_array_foreach(tis, i, e) {
		json_t *t = json_object_get(e, "task_id");
		json_t *run = json_object_get(e, "dag_run_id");
		json_t *mi = json_object_get(e, "map_index");
		struct clear_ti *ti;

		if (!json_is_string(t))
			continue;
		ti = &r->v[r->n++];
		ti->task_id = xstrdup(json_string_value(t));
		ti->dag_run_id = json_is_string(run) ?
		    xstrdup(json_string_value(run)) : NULL;
		ti->map_index = json_is_integer(mi) ?
		    (int)json_integer_value(mi) : -1;
	}
	json_decref(doc);
	return 0;
}

void
clear_result_free(struct clear_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].task_id);
		free(r->v[i].dag_run_id);
	}
	free(r->v);
	memset(r, 0, sizeof *r);
}

bool
clear_result_has(const struct clear_result *r, const char *task_id,
    int map_index)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->v[i].task_id, task_id) == 0 &&
		    (r->v[i].map_index < 0 || r->v[i].map_index == map_index))
			return true;
	return false;
}

enum clear_outcome
clear_outcome_of(enum clear_transport net, long status, bool parsed)
{
	switch (net) {
	case CLEAR_NET_UNSENT:
		return CLEAR_FAILED;
	case CLEAR_NET_LOST:
		return CLEAR_UNKNOWN;
	case CLEAR_NET_OK:
		break;
	}
	if (status >= 500 || status <= 0)
		return CLEAR_UNKNOWN;
	if (status / 100 == 2)
		return parsed ? CLEAR_DONE : CLEAR_UNKNOWN;
	return CLEAR_FAILED;
}

/* --- the plan: what the rerun modal lists ---------------------------------- */

static bool
is_chosen(const char *task_id, int map_index, const char *const *chosen,
    const int *chosen_mi, size_t nchosen, size_t *rank)
{
	for (size_t i = 0; i < nchosen; i++) {
		int mi = chosen_mi != NULL ? chosen_mi[i] : -1;

		if (strcmp(chosen[i], task_id) == 0 &&
		    (mi < 0 || map_index < 0 || mi == map_index)) {
			*rank = i;
			return true;
		}
	}
	return false;
}

/* The sort key of a line: group (chosen, graph, rest), rank, map index. */
struct plan_key {
	struct clear_line	 line;
	int			 group;
	size_t			 rank;
	size_t			 seq;
};

static int
cmp_plan_key(const void *x, const void *y)
{
	const struct plan_key *a = x, *b = y;

	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if (a->line.map_index != b->line.map_index)
		return a->line.map_index < b->line.map_index ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static bool
plan_has(const struct plan_key *k, size_t n, const char *task_id,
    int map_index)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(k[i].line.task_id, task_id) == 0 &&
		    k[i].line.map_index == map_index)
			return true;
	return false;
}

void
clear_plan_build(struct clear_plan *p, const struct clear_result *res,
    const char *const *chosen, const int *chosen_mi, size_t nchosen,
    const char *const *order, size_t norder, const struct af_tis *tis)
{
	struct plan_key	*k;
	size_t		 i, j, n = 0, cap = 1, ntis = tis != NULL ? tis->n : 0;

	memset(p, 0, sizeof *p);
	for (i = 0; i < res->n; i++)
		cap += res->v[i].map_index < 0 ? ntis + 1 : 1;
	k = xcalloc(cap, sizeof *k);
	for (i = 0; i < res->n; i++) {
		const struct clear_ti	*e = &res->v[i];
		bool			 found = false;

		for (j = 0; j < ntis; j++) {
			const struct af_ti *t = &tis->v[j];

			if (strcmp(t->task_id, e->task_id) != 0 ||
			    (e->map_index >= 0 && t->map_index != e->map_index))
				continue;
			found = true;
			if (plan_has(k, n, e->task_id, t->map_index))
				continue;
			k[n].line.task_id = e->task_id;
			k[n].line.map_index = t->map_index;
			k[n].line.ti = t;
			k[n].seq = n;
			n++;
		}
		if (!found && !plan_has(k, n, e->task_id, e->map_index)) {
			k[n].line.task_id = e->task_id;
			k[n].line.map_index = e->map_index;
			k[n].seq = n;
			n++;
		}
	}
	for (i = 0; i < n; i++) {
		struct plan_key *x = &k[i];

		if (is_chosen(x->line.task_id, x->line.map_index, chosen,
		    chosen_mi, nchosen, &x->rank)) {
			x->line.chosen = true;
			x->group = 0;
			continue;
		}
		x->group = 2;
		x->rank = 0;
		for (j = 0; j < norder; j++)
			if (strcmp(order[j], x->line.task_id) == 0) {
				x->group = 1;
				x->rank = j;
				break;
			}
	}
	qsort(k, n, sizeof *k, cmp_plan_key);
	p->v = xcalloc(n + 1, sizeof *p->v);
	for (i = 0; i < n; i++) {
		p->v[i] = k[i].line;
		if (p->v[i].chosen)
			p->nchosen++;
		if (p->v[i].ti != NULL && p->v[i].ti->state == TI_SUCCESS)
			p->nsuccess++;
	}
	p->n = n;
	free(k);
}

void
clear_plan_free(struct clear_plan *p)
{
	free(p->v);
	memset(p, 0, sizeof *p);
}

static void
put_task(struct buf *b, const char *task_id, int map_index)
{
	buf_puts(b, task_id);
	if (map_index >= 0)
		buf_printf(b, "[%d]", map_index);
}

void
clear_plan_title(struct buf *b, const struct clear_plan *p,
    const char *const *chosen, const int *chosen_mi, size_t nchosen)
{
	size_t down = p->n - p->nchosen, i;

	buf_puts(b, "rerun ");
	if (nchosen <= 2) {
		for (i = 0; i < nchosen; i++) {
			if (i > 0)
				buf_puts(b, down > 0 ? ", " : " and ");
			put_task(b, chosen[i], chosen_mi != NULL ?
			    chosen_mi[i] : -1);
		}
	} else
		buf_printf(b, "%zu tasks", nchosen);
	if (down > 0)
		buf_printf(b, " and %zu downstream", down);
}

bool
clear_plan_succeeded(struct buf *b, const struct clear_plan *p)
{
	if (p->n == 0 || p->nsuccess * 2 <= p->n)
		return false;
	buf_printf(b, "%zu of %zu succeeded", p->nsuccess, p->n);
	return true;
}
