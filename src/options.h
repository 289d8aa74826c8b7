/*
 * options.h: the settings (config.h) turned into each source's own narrow
 * options, so that src/source needs nothing of the configuration.  One
 * function per source; the strings stay the settings' (borrowed).
 */
#ifndef DAGTOP_OPTIONS_H
#define DAGTOP_OPTIONS_H

#include "airflow_api.h"
#include "dbconn.h"
#include "slots_src.h"

struct settings;

/* The Airflow database's connection options; returns out. */
const struct db_options *options_db(const struct settings *,
	    struct db_options *out);
/* The BigQuery slots source's options; returns out. */
const struct slots_options *options_slots(const struct settings *,
	    struct slots_options *out);
/* The Airflow REST API client's options; returns out. */
const struct airflow_api_opts *options_airflow_api(const struct settings *,
	    struct airflow_api_opts *out);

#endif
