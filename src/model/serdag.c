/* serdag.c: serialized DAG documents into task graphs. */
#include <string.h>

#include <jansson.h>
#include <zlib.h>

#include "serdag.h"

int
serdag_inflate(const unsigned char *in, size_t inlen, struct buf *out,
    struct buf *err)
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
		buf_append(out, chunk, sizeof chunk - zs.avail_out);
		if (out->len > SERDAG_MAX_BYTES) {
			buf_puts(err, "zlib: inflated document too large");
			inflateEnd(&zs);
			return -1;
		}
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

struct graph *
serdag_parse(const char *text, size_t len, struct buf *err)
{
	json_error_t	 je;
	json_t		*root, *dag, *tasks, *task, *down, *id;
	struct graph	*g;
	size_t		 i, k;
	int		 retries;

	root = json_loadb(text, len, JSON_ALLOW_NUL, &je);
	if (root == NULL) {
		buf_printf(err, "serialized DAG is not valid JSON (line %d: %s)",
		    je.line, je.text);
		return NULL;
	}
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
