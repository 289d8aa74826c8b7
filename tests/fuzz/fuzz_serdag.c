/*
 * fuzz_serdag.c: libFuzzer harness for the serialized-DAG reader.  The
 * bytes play both a zlib stream (data_compressed) and a JSON document
 * (data); whatever they are, the reader returns a graph or a reason, and a
 * graph's order holds every task exactly once; the dependency reader gives
 * two JSON lists or a reason.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "serdag.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(struct graph *g)
{
	bool	*seen, *mark;
	size_t	 i;

	if (g == NULL)
		return;
	seen = xcalloc(g->ntasks + 1, sizeof *seen);
	for (i = 0; i < g->ntasks; i++) {
		if (g->order[i] >= g->ntasks || seen[g->order[i]])
			abort();
		seen[g->order[i]] = true;
		if (graph_find(g, g->tasks[i].task_id) != i)
			abort();
	}
	if (g->ntasks > 0) {
		mark = xcalloc(g->ntasks, sizeof *mark);
		if (graph_downstream(g, 0, mark) == 0)
			abort();	/* the start itself is always marked */
		free(mark);
	}
	free(seen);
	graph_free(g);
}

/* Both lists, or a reason: never half an answer. */
static void
check_dependencies(const uint8_t *data, size_t size)
{
	struct buf deps = BUF_INIT, aliases = BUF_INIT, err = BUF_INIT;

	if (serdag_dependencies((const char *)data, size, SERDAG_MAX_DEFAULT,
	    &deps, &aliases, &err) == 0) {
		if (deps.len == 0 || aliases.len == 0 ||
		    buf_str(&aliases)[0] != '[' || err.len != 0)
			abort();
	} else if (err.len == 0)
		abort();
	buf_free(&deps);
	buf_free(&aliases);
	buf_free(&err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf	out = BUF_INIT, err = BUF_INIT;

	check_dependencies(data, size);
	check(serdag_parse((const char *)data, size, SERDAG_MAX_DEFAULT, &err));
	buf_reset(&err);
	if (serdag_inflate(data, size, SERDAG_MAX_DEFAULT, &out, &err) == 0)
		check(serdag_parse(out.data != NULL ? out.data : "", out.len,
		    SERDAG_MAX_DEFAULT, &err));
	else if (err.len == 0)
		abort();	/* a failure always says why */
	buf_free(&out);
	buf_free(&err);
	return 0;
}
