/*
 * options_api.h: the options of the API clients, read from a context's
 * settings, so that the clients in src/source need not know config.h.
 */
#ifndef DAGTOP_OPTIONS_API_H
#define DAGTOP_OPTIONS_API_H

#include "airflow_api.h"

struct settings;

/* Fills o from s; the strings stay s's (o lives no longer than s). */
void	options_airflow_api(const struct settings *,
	    struct airflow_api_opts *);

#endif
