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

void
clear_url_shown(struct buf *out, const char *url)
{
	const char	*p, *auth, *end, *at;

	if (url == NULL)
		return;
	p = strstr(url, "://");
	auth = p != NULL ? p + 3 : url;
	end = auth + strcspn(auth, "/?#");
	/* The last '@' of the authority ends the userinfo. */
	at = NULL;
	for (p = auth; p < end; p++)
		if (*p == '@')
			at = p;
	buf_printf(out, "%.*s", (int)(auth - url), url);
	if (at != NULL)
		auth = at + 1;
	buf_printf(out, "%.*s", (int)strcspn(auth, "?#"), auth);
}
