/*
 * sched_open.c: settings to a scheduler source, database or REST API
 * (sched_open.h).
 */
#include <stdbool.h>
#include <string.h>

#include "airflow_db.h"
#include "airflow_rest.h"
#include "config.h"
#include "dbconn.h"
#include "http.h"
#include "options.h"
#include "sched_open.h"

bool
sched_context_api(const struct settings *s)
{
	return s->source != NULL && strcmp(s->source, "api") == 0;
}

struct sched *
sched_open_timeout(struct loop *loop, const struct settings *s,
    int timeout_ms, sched_cb opened, sched_cb lost, void *arg,
    struct buf *err)
{
	struct db_options	 dbo;
	struct db_params	 p;
	struct airflow_api_opts	 ao;
	struct http_opts	 ho;
	struct sched		*sd;

	if (sched_context_api(s)) {
		memset(&ho, 0, sizeof ho);
		ho.insecure = !s->airflow_tls_verify;
		ho.ca_file = s->airflow_ca_file;
		/* Airflow's default maximum_page_limit: asked for, never more. */
		return airflow_rest_open(loop, options_airflow_api(s, &ao), &ho,
		    100, opened, arg, err);
	}
	if (db_params_build(options_db(s, &dbo), &p, err) != 0)
		return NULL;
	sd = afdb_open(loop, &p, timeout_ms, opened, lost, arg);
	afdb_set_serdag_max(sd, (size_t)s->serialized_dag_max << 20);
	db_params_free(&p);
	return sd;
}

struct sched *
sched_open_context(struct loop *loop, const struct settings *s,
    sched_cb opened, sched_cb lost, void *arg, struct buf *err)
{
	return sched_open_timeout(loop, s, (s->statement_timeout + 5) * 1000,
	    opened, lost, arg, err);
}
