/* options.c: settings to each source's options (options.h). */
#include <string.h>

#include "config.h"
#include "options.h"

/* --- the Airflow database (dbconn.h) ------------------------------------ */

const struct db_options *
options_db(const struct settings *s, struct db_options *out)
{
	memset(out, 0, sizeof *out);
	out->database = s->database;
	out->database_password_env = s->database_password_env;
	out->database_password_command = s->database_password_command;
	out->connect_timeout = s->connect_timeout;
	out->statement_timeout = s->statement_timeout;
	return out;
}

/* The context's Google auth settings (google_auth.h), for any client. */
static void
options_google(const struct settings *s, struct gauth_opts *out)
{
	out->method = s->google_auth;
	out->command = s->google_token_command;
	out->key_file = s->google_key_file;
	out->token_url = s->google_token_url;
	out->metadata_url = s->google_metadata_url;
}

/* --- BigQuery slots (slots_src.h) --------------------------------------- */

const struct slots_options *
options_slots(const struct settings *s, struct slots_options *out)
{
	memset(out, 0, sizeof *out);
	options_google(s, &out->auth);
	out->url = s->bigquery_url;
	out->project = s->bigquery_project;
	out->admin_project = s->bigquery_admin_project;
	out->location = s->bigquery_location;
	out->reservation = s->bigquery_reservation;
	out->org_view = s->bigquery_org_view;
	out->refresh = s->bigquery_refresh;
	out->hours = s->bigquery_hours;
	out->capacity = s->bigquery_capacity;
	return out;
}

/* --- the Airflow REST API (airflow_api.h) ------------------------------- */

const struct airflow_api_opts *
options_airflow_api(const struct settings *s, struct airflow_api_opts *out)
{
	memset(out, 0, sizeof *out);
	out->url = s->airflow_api;
	out->composer_environment = s->composer_environment;
	out->composer_url = s->composer_url;
	out->mwaa_environment = s->mwaa_environment;
	out->aws_region = s->aws_region;
	out->mwaa_url = s->mwaa_url;
	out->auth = s->airflow_auth;
	options_google(s, &out->google);
	out->user = s->airflow_user;
	out->password_env = s->airflow_password_env;
	out->token_env = s->airflow_token_env;
	out->token_command = s->airflow_token_command;
	out->timeout = s->airflow_timeout;
	out->readonly = s->readonly;
	return out;
}
