/*
 * options_api.c: the Airflow API client's options from a context's
 * settings (options_api.h).
 */
#include <string.h>

#include "config.h"
#include "options_api.h"

void
options_airflow_api(const struct settings *s, struct airflow_api_opts *o)
{
	memset(o, 0, sizeof *o);
	o->url = s->airflow_api;
	o->auth = s->airflow_auth;
	o->user = s->airflow_user;
	o->password_env = s->airflow_password_env;
	o->token_env = s->airflow_token_env;
	o->token_command = s->airflow_token_command;
	o->timeout = s->airflow_timeout;
	o->readonly = s->readonly;
}
