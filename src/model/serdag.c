/* serdag.c: serialized DAG documents into task graphs. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <zlib.h>

#include "serdag.h"

int
serdag_inflate(const unsigned char *in, size_t inlen, size_t max,
    struct buf *out, struct buf *err)
{
	z_stream	zs;
	unsigned char	chunk[65536];
	int		rc;

	memset(&zs, 0, sizeof zs);
	if (inflateInit(&zs) != Z_OK) {
		buf_puts(err, "zlib: cannot initialise");
		return -1;
	}
	zs.next_in = (unsigned char *)in;
	zs.avail_in = 0;
	do {
		/* Feed at most 1 GiB per step: avail_in is 32 bits. */
		if (zs.avail_in == 0 && inlen > 0) {
			zs.avail_in = inlen > (1u << 30) ? (1u << 30) : (uInt)inlen;
			inlen -= zs.avail_in;
		}
		zs.next_out = chunk;
		zs.avail_out = sizeof chunk;
		rc = inflate(&zs, Z_NO_FLUSH);
		if (rc != Z_OK && rc != Z_STREAM_END) {
			buf_printf(err, "zlib: %s", zs.msg != NULL ? zs.msg :
			    rc == Z_BUF_ERROR ? "truncated stream" :
			    "corrupt stream");
			inflateEnd(&zs);
			return -1;
		}
		if (sizeof chunk - zs.avail_out > max - out->len) {
			buf_printf(err, "inflated document larger than %zu "
			    "bytes (serialized_dag_max)", max);
			inflateEnd(&zs);
			return -1;
		}
		buf_append(out, chunk, sizeof chunk - zs.avail_out);
		if (rc == Z_OK && zs.avail_in == 0 && inlen == 0 &&
		    zs.avail_out != 0) {
			buf_puts(err, "zlib: truncated stream");
			inflateEnd(&zs);
			return -1;
		}
	} while (rc != Z_STREAM_END);
	inflateEnd(&zs);
	return 0;
}

/* A task element is either the task or {"__type": ..., "__var": task}. */
static json_t *
unwrap(json_t *v)
{
	json_t *inner;

	if (!json_is_object(v))
		return NULL;
	inner = json_object_get(v, "__var");
	return json_is_object(inner) ? inner : v;
}

static const char *
string_member(json_t *obj, const char *a, const char *b)
{
	json_t *v = json_object_get(obj, a);

	if (!json_is_string(v) && b != NULL)
		v = json_object_get(obj, b);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/*
 * jansson's allocations during one parse, counted against a budget.  The
 * count only grows (frees are not subtracted), so it bounds what is live.
 * No header is added: what is allocated here is released with free() after
 * the default functions are back.
 */
static size_t	parse_used, parse_budget;
static bool	parse_refused;

static void *
budget_malloc(size_t n)
{
	if (n > parse_budget - parse_used) {
		parse_refused = true;
		return NULL;
	}
	parse_used += n;
	return malloc(n);
}

static json_t *
load_within(const char *text, size_t len, size_t budget, json_error_t *je,
    bool *over)
{
	json_malloc_t	 old_malloc;
	json_free_t	 old_free;
	json_t		*root;

	json_get_alloc_funcs(&old_malloc, &old_free);
	parse_used = 0;
	parse_budget = budget;
	parse_refused = false;
	json_set_alloc_funcs(budget_malloc, free);
	root = json_loadb(text, len, JSON_ALLOW_NUL, je);
	json_set_alloc_funcs(old_malloc, old_free);
	*over = root == NULL && parse_refused;
	return root;
}

/*
 * The document parsed within its budget (SERDAG_PARSE_FACTOR times max, at
 * least SERDAG_PARSE_MIN), or NULL with a one-line reason in err.
 */
static json_t *
load_document(const char *text, size_t len, size_t max, struct buf *err)
{
	json_error_t	 je;
	json_t		*root;
	size_t		 budget;
	bool		 over;

	if (len > max) {
		buf_printf(err, "serialized DAG larger than %zu bytes "
		    "(serialized_dag_max)", max);
		return NULL;
	}
	budget = max > SIZE_MAX / SERDAG_PARSE_FACTOR ? SIZE_MAX :
	    max * SERDAG_PARSE_FACTOR;
	if (budget < SERDAG_PARSE_MIN)
		budget = SERDAG_PARSE_MIN;
	root = load_within(text, len, budget, &je, &over);
	if (root == NULL && over)
		buf_printf(err, "serialized DAG too large to read (its parse "
		    "would take more than %zu bytes; serialized_dag_max)",
		    budget);
	else if (root == NULL)
		buf_printf(err, "serialized DAG is not valid JSON (line %d: %s)",
		    je.line, je.text);
	return root;
}

int
serdag_dependencies(const char *text, size_t len, size_t max,
    struct buf *out, struct buf *err)
{
	json_t	*root, *dag, *deps;
	char	*dump;

	if ((root = load_document(text, len, max, err)) == NULL)
		return -1;
	dag = json_object_get(root, "dag");
	if (!json_is_object(dag))
		dag = root;
	deps = json_object_get(dag, "dag_dependencies");
	if (deps == NULL || json_is_null(deps))
		buf_puts(out, "[]");
	else if ((dump = json_dumps(deps, JSON_COMPACT | JSON_ENCODE_ANY))
	    != NULL) {
		buf_puts(out, dump);
		free(dump);
	} else {
		buf_puts(err, "dag_dependencies cannot be written back");
		json_decref(root);
		return -1;
	}
	json_decref(root);
	return 0;
}

struct graph *
serdag_parse(const char *text, size_t len, size_t max, struct buf *err)
{
	json_t		*root, *dag, *tasks, *task, *down, *id;
	struct graph	*g;
	size_t		 i, k;
	int		 retries;

	if ((root = load_document(text, len, max, err)) == NULL)
		return NULL;
	dag = json_object_get(root, "dag");
	if (!json_is_object(dag))
		dag = root;	/* a bare DAG object, as some tools store it */
	tasks = json_object_get(dag, "tasks");
	if (!json_is_array(tasks)) {
		buf_puts(err, "serialized DAG has no task list");
		json_decref(root);
		return NULL;
	}

	g = graph_new();
	json_array_foreach(tasks, i, task) {
		const char *task_id, *type;
		json_t *t = unwrap(task), *r, *m;

		task_id = t != NULL ? string_member(t, "task_id", NULL) : NULL;
		if (task_id == NULL) {
			buf_printf(&g->warnings, "task #%zu has no task_id\n", i);
			continue;
		}
		type = string_member(t, "task_type", "_task_type");
		r = json_object_get(t, "retries");
		retries = json_is_integer(r) ? (int)json_integer_value(r) : -1;
		m = json_object_get(t, "_is_mapped");
		graph_add_task(g, task_id, type, json_is_true(m), retries);
	}
	json_array_foreach(tasks, i, task) {
		json_t *t = unwrap(task);
		const char *from;

		from = t != NULL ? string_member(t, "task_id", NULL) : NULL;
		if (from == NULL)
			continue;
		down = json_object_get(t, "downstream_task_ids");
		if (down == NULL || json_is_null(down))
			continue;	/* 3.x omits an empty list */
		if (!json_is_array(down)) {
			buf_printf(&g->warnings,
			    "task %s: downstream_task_ids is not a list\n", from);
			continue;
		}
		json_array_foreach(down, k, id) {
			if (json_is_string(id))
				graph_add_edge(g, from, json_string_value(id));
			else
				buf_printf(&g->warnings,
				    "task %s: a downstream id is not a string\n",
				    from);
		}
	}
	json_decref(root);
	graph_finish(g);
	return g;
}
