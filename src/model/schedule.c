/* schedule.c: readable summaries of Airflow schedules. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "airflow.h"
#include "timefmt.h"

/*
 * 2.x stores schedule_interval through a JSON column type: a cron string or
 * preset comes back as '"0 2 * * *"', no schedule as 'null', a timedelta as
 * {"type": "timedelta", "attrs": {"days": 1, "seconds": 0, ...}} (the older
 * form is a bare number of seconds), a relativedelta likewise.  3.x stores
 * a readable timetable_summary such as "0 2 * * *" or "None".  Anything that
 * is not JSON is returned as it is.
 */
char *
schedule_summary(const char *raw)
{
	json_t		*v, *attrs, *x;
	struct buf	 b = BUF_INIT;
	double		 secs;

	if (raw == NULL || *raw == '\0')
		return xstrdup("None");
	v = json_loads(raw, JSON_DECODE_ANY, NULL);
	if (v == NULL)
		return xstrdup(raw);
	if (json_is_string(v))
		buf_puts(&b, json_string_value(v));
	else if (json_is_null(v))
		buf_puts(&b, "None");
	else if (json_is_number(v)) {
		buf_puts(&b, "every ");
		fmt_duration(&b, json_number_value(v));
	} else if (json_is_object(v)) {
		attrs = json_object_get(v, "attrs");
		if (!json_is_object(attrs))
			attrs = v;
		secs = 0;
		if (json_is_number(x = json_object_get(attrs, "days")))
			secs += json_number_value(x) * 86400;
		if (json_is_number(x = json_object_get(attrs, "seconds")))
			secs += json_number_value(x);
		if (json_is_number(x = json_object_get(attrs, "microseconds")))
			secs += json_number_value(x) / 1e6;
		if (json_is_number(x = json_object_get(attrs, "months")) &&
		    json_number_value(x) != 0)
			buf_printf(&b, "every %g months", json_number_value(x));
		else if (secs > 0) {
			buf_puts(&b, "every ");
			fmt_duration(&b, secs);
		} else
			buf_puts(&b, raw);
	} else
		buf_puts(&b, raw);
	json_decref(v);
	return buf_detach(&b);
}
