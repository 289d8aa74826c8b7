/*
 * fuzz_af_api.c: libFuzzer harness for what the Airflow REST API answers
 * (af_api.c): the input decoded as every kind of answer, in the shapes of
 * both API versions.  Whatever arrives, a page is records or one line of
 * error, never both; a record has its key fields; a graph built from it
 * finishes; nothing crashes or leaks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "af_api.h"
#include "buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* One line of error and nothing read, or records and no error. */
static void
check(long n, size_t got, struct buf *err)
{
	if (n < 0) {
		if (got != 0 || err->len == 0 ||
		    strchr(buf_str(err), '\n') != NULL)
			abort();
	} else if ((size_t)n != got || err->len != 0)
		abort();
	buf_reset(err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*s = (const char *)data;
	struct buf	 err = BUF_INIT;
	struct af_health h;
	long		 n, total;
	char		*v;

	for (int api = 1; api <= 2; api++) {
		struct af_dags	 d = { 0 };
		struct af_runs	 r = { 0 };
		struct af_tis	 t = { 0 };
		struct af_pools	 p = { 0 };
		struct graph	*g = graph_new();

		check(af_api_dags(s, size, api, &d, &total, &err), d.n, &err);
		for (size_t i = 0; i < d.n; i++)
			if (d.v[i].dag_id == NULL || d.v[i].schedule == NULL)
				abort();
		n = af_api_runs(s, size, api, &r, &total, &err);
		check(n, r.n, &err);
		for (size_t i = 0; i < r.n; i++)
			if (r.v[i].dag_id == NULL || r.v[i].run_id == NULL)
				abort();
		if (af_api_run(s, size, api, &r, &err) < 0)
			buf_reset(&err);
		check(af_api_tis(s, size, api, &t, &total, &err), t.n, &err);
		for (size_t i = 0; i < t.n; i++)
			if (t.v[i].task_id == NULL || t.v[i].map_index < -1)
				abort();
		check(af_api_pools(s, size, api, &p, &total, &err), p.n, &err);
		if (af_api_tasks(s, size, api, g, &total, &err) < 0)
			buf_reset(&err);
		graph_finish(g);
		memset(&h, 0, sizeof h);
		af_health_clear(&h);
		if (af_api_health(s, size, api, 0, &h, &err) < 0)
			buf_reset(&err);
		af_health_clear(&h);
		graph_free(g);
		af_pools_free(&p);
		af_tis_free(&t);
		af_runs_free(&r);
		af_dags_free(&d);
	}
	if (af_api_version(s, size, &v, &err) == 0)
		(void)af_api_major(v);
	free(v);
	buf_free(&err);
	return 0;
}
