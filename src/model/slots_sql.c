/*
 * slots_sql.c: the INFORMATION_SCHEMA statements the slots pane asks,
 * one per question, and the checks on the names put into them.
 */
#include <string.h>

#include "slots.h"

bool
bq_valid_project(const char *s)
{
	size_t n;

	if (s == NULL || (n = strlen(s)) == 0 || n > 100)
		return false;
	/* Letters, digits, '-', and "domain.com:project" for old projects. */
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-.:_") == n;
}

bool
bq_valid_region(const char *s)
{
	size_t n;

	if (s == NULL || (n = strlen(s)) == 0 || n > 40)
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789-") == n;
}

/* `project`.`region-xx`.INFORMATION_SCHEMA.VIEW, region lowercased. */
static void
view_name(struct buf *b, const char *project, const char *region,
    const char *view)
{
	const char *p;

	buf_printf(b, "`%s`.`region-", project);
	for (p = region; *p != '\0'; p++)
		buf_putc(b, (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p));
	buf_printf(b, "`.INFORMATION_SCHEMA.%s", view);
}

/*
 * The window: whole minutes back from the current one, which is left out
 * (still filling up), or (minutes SLOTS_SQL_WINDOW) the TIMESTAMP query
 * parameters @window_start and @window_end, [start, end).
 * job_creation_time is the partition column; a job may have been created
 * a day before it ran, so the filter on it reaches further back than the
 * window.
 */
static void
window_where(struct buf *b, int minutes)
{
	if (minutes == SLOTS_SQL_WINDOW)
		buf_puts(b,
		    "WHERE job_creation_time >= TIMESTAMP_SUB(@window_start, "
		    "INTERVAL 1440 MINUTE)\n"
		    "  AND job_creation_time < @window_end\n"
		    "  AND period_start >= @window_start\n"
		    "  AND period_start < @window_end\n"
		    "  AND (statement_type IS NULL OR statement_type != 'SCRIPT')\n");
	else
		buf_printf(b,
		    "WHERE job_creation_time >= TIMESTAMP_SUB(CURRENT_TIMESTAMP(), "
		    "INTERVAL %d MINUTE)\n"
		    "  AND period_start >= TIMESTAMP_SUB(TIMESTAMP_TRUNC("
		    "CURRENT_TIMESTAMP(), MINUTE), INTERVAL %d MINUTE)\n"
		    "  AND period_start < TIMESTAMP_TRUNC(CURRENT_TIMESTAMP(), "
		    "MINUTE)\n"
		    "  AND (statement_type IS NULL OR statement_type != 'SCRIPT')\n",
		    minutes + 1440, minutes);
}

bool
bq_valid_reservation(const char *s)
{
	const char	*colon, *dot;
	char		 proj[101];
	size_t		 n;

	if (s == NULL || (colon = strrchr(s, ':')) == NULL ||
	    (n = (size_t)(colon - s)) == 0 || n >= sizeof proj)
		return false;
	memcpy(proj, s, n);
	proj[n] = '\0';
	if (!bq_valid_project(proj) || (dot = strchr(colon, '.')) == NULL ||
	    dot == colon + 1 || dot[1] == '\0' || strlen(dot + 1) > 64)
		return false;
	/* Location: letters, digits, '-'; name: letters, digits, '_', '-'. */
	return strspn(colon + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
	    "TUVWXYZ0123456789-") == (size_t)(dot - colon - 1) &&
	    strspn(dot + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVW"
	    "XYZ0123456789_-") == strlen(dot + 1);
}

void
slots_sql_timeline(struct buf *b, const char *project, const char *region,
    int minutes, enum jobs_view view, const char *admin)
{
	buf_puts(b, "-- dagtop:timeline\n"
	    "SELECT TIMESTAMP_TRUNC(period_start, MINUTE) AS minute,\n"
	    "  reservation_id,\n"
	    "  SUM(period_slot_ms) AS slot_ms,\n"
	    "  COUNT(DISTINCT IF(state = 'RUNNING', job_id, NULL)) AS running,\n"
	    "  COUNT(DISTINCT IF(state = 'PENDING', job_id, NULL)) AS pending\n"
	    "FROM ");
	view_name(b, project, region, view == JOBS_VIEW_ORGANIZATION ?
	    "JOBS_TIMELINE_BY_ORGANIZATION" : "JOBS_TIMELINE");
	buf_putc(b, '\n');
	window_where(b, minutes);
	if (view == JOBS_VIEW_ORGANIZATION)
		/* Validated names: no quote can be in them. */
		buf_printf(b, "  AND (project_id = '%s'\n"
		    "    OR STARTS_WITH(IFNULL(reservation_id, ''), '%s:'))\n",
		    project, admin != NULL ? admin : project);
	buf_puts(b, "GROUP BY minute, reservation_id\n"
	    "ORDER BY minute, reservation_id");
}

void
slots_sql_capacity(struct buf *b, const char *admin_project,
    const char *region, int minutes)
{
	/*
	 * One row per reservation and minute, as Google's own examples join
	 * JOBS_TIMELINE to it: by reservation_id and minute.
	 */
	buf_puts(b, "-- dagtop:capacity\n"
	    "SELECT period_start, reservation_id, edition,\n"
	    "  IFNULL(slot_capacity, 0) AS baseline,\n"
	    "  IFNULL(autoscale.current_slots, 0) AS autoscale_current,\n"
	    "  IFNULL(autoscale.max_slots, 0) AS autoscale_max,\n"
	    "  ignore_idle_slots\n"
	    "FROM ");
	view_name(b, admin_project, region, "RESERVATIONS_TIMELINE");
	/* A row before the window carries into it: a day back. */
	if (minutes == SLOTS_SQL_WINDOW)
		buf_puts(b, "\nWHERE period_start >= TIMESTAMP_SUB("
		    "@window_start, INTERVAL 1440 MINUTE)\n"
		    "  AND period_start < @window_end\n"
		    "ORDER BY period_start, reservation_id");
	else
		buf_printf(b, "\nWHERE period_start >= TIMESTAMP_SUB("
		    "TIMESTAMP_TRUNC(CURRENT_TIMESTAMP(), MINUTE), INTERVAL %d "
		    "MINUTE)\n"
		    "  AND period_start < TIMESTAMP_TRUNC(CURRENT_TIMESTAMP(), "
		    "MINUTE)\n"
		    "ORDER BY period_start, reservation_id", minutes);
}

void
slots_sql_consumers(struct buf *b, const char *project, const char *region,
    int minutes, int top)
{
	buf_puts(b, "-- dagtop:consumers\n"
	    "WITH j AS (\n"
	    "  SELECT job_id, ANY_VALUE(user_email) AS user,\n"
	    "    ANY_VALUE((SELECT value FROM UNNEST(labels) "
	    "WHERE key = 'airflow-dag')) AS dag,\n"
	    "    ANY_VALUE((SELECT value FROM UNNEST(labels) "
	    "WHERE key = 'airflow-task')) AS task,\n"
	    "    SUM(period_slot_ms) AS slot_ms,\n"
	    "    MAX(total_bytes_processed) AS bytes_processed,\n"
	    "    MAX(total_bytes_billed) AS bytes_billed\n"
	    "  FROM ");
	view_name(b, project, region, "JOBS_TIMELINE");
	buf_puts(b, "\n  ");
	window_where(b, minutes);
	buf_printf(b, "  GROUP BY job_id)\n"
	    "(SELECT 'total' AS kind, CAST(NULL AS STRING) AS key, "
	    "CAST(NULL AS STRING) AS user, CAST(NULL AS STRING) AS dag, "
	    "CAST(NULL AS STRING) AS task, SUM(slot_ms) AS slot_ms, "
	    "COUNT(*) AS jobs, SUM(bytes_processed) AS bytes_processed, "
	    "SUM(bytes_billed) AS bytes_billed FROM j)\n"
	    "UNION ALL\n"
	    "(SELECT 'user', user, user, NULL, NULL, SUM(slot_ms), COUNT(*), "
	    "SUM(bytes_processed), SUM(bytes_billed) FROM j\n"
	    " GROUP BY user ORDER BY 6 DESC LIMIT %d)\n"
	    "UNION ALL\n"
	    "(SELECT 'dag', IFNULL(dag, '') || IF(task IS NULL, '', '.' || task), "
	    "NULL, dag, task, SUM(slot_ms), COUNT(*), SUM(bytes_processed), "
	    "SUM(bytes_billed) FROM j\n"
	    " WHERE dag IS NOT NULL GROUP BY dag, task ORDER BY 6 DESC LIMIT %d)\n"
	    "UNION ALL\n"
	    "(SELECT 'job', job_id, user, dag, task, slot_ms, 1, bytes_processed, "
	    "bytes_billed FROM j\n"
	    " ORDER BY slot_ms DESC LIMIT %d)", top, top, top);
}
