/* sla.c: SLA definitions, days, weeks and the outcome of each day. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "airflow.h"
#include "sla.h"
#include "tz.h"

static const char *const outcome_names[SLA_NOUTCOMES] = {
	[SLA_NOT_APPLICABLE] = "not_applicable",
	[SLA_MET] = "met",
	[SLA_LATE] = "late",
	[SLA_FAILED] = "failed",
	[SLA_MISSING] = "missing",
	[SLA_PENDING] = "pending",
	[SLA_AT_RISK] = "at_risk",
	[SLA_UNKNOWN_DAG] = "unknown_dag",
};

static const char *const outcome_labels[SLA_NOUTCOMES] = {
	[SLA_NOT_APPLICABLE] = "n/a",
	[SLA_MET] = "met",
	[SLA_LATE] = "late",
	[SLA_FAILED] = "failed",
	[SLA_MISSING] = "missing",
	[SLA_PENDING] = "pending",
	[SLA_AT_RISK] = "at risk",
	[SLA_UNKNOWN_DAG] = "unknown DAG",
};

static const char *const day_names[7] = {
	"sun", "mon", "tue", "wed", "thu", "fri", "sat"
};
static const char *const day_long[7] = {
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
	"saturday"
};

const char *
sla_outcome_name(enum sla_outcome o)
{
	return (unsigned)o < SLA_NOUTCOMES ? outcome_names[o] : "unknown";
}

const char *
sla_outcome_label(enum sla_outcome o)
{
	return (unsigned)o < SLA_NOUTCOMES ? outcome_labels[o] : "?";
}

bool
sla_outcome_missed(enum sla_outcome o)
{
	return o == SLA_LATE || o == SLA_FAILED || o == SLA_MISSING;
}

int
sla_parse_deadline(const char *s, int *out)
{
	int	h = 0, m = 0, nh = 0;

	while (*s >= '0' && *s <= '9' && nh < 3)
		h = h * 10 + (*s++ - '0'), nh++;
	if (nh == 0 || nh > 2 || *s++ != ':')
		return -1;
	if (!(s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9') ||
	    s[2] != '\0')
		return -1;
	m = (s[0] - '0') * 10 + (s[1] - '0');
	if (h > 23 || m > 59)
		return -1;
	*out = h * 3600 + m * 60;
	return 0;
}

int
sla_parse_weekday(const char *s, int *out)
{
	int i;

	for (i = 0; i < 7; i++)
		if (strcasecmp(s, day_names[i]) == 0 ||
		    strcasecmp(s, day_long[i]) == 0) {
			*out = i;
			return 0;
		}
	return -1;
}

int
sla_parse_days(const char *s, unsigned *out, struct buf *err)
{
	char		*copy, *tok, *save = NULL, *dash;
	unsigned	 mask = 0;
	int		 a, b, rc = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if (strcasecmp(s, "daily") == 0 || strcasecmp(s, "every day") == 0) {
		*out = SLA_ALL_DAYS;
		return 0;
	}
	if (strcasecmp(s, "weekdays") == 0 || strcasecmp(s, "business") == 0) {
		*out = SLA_WEEKDAYS;
		return 0;
	}
	if (strcasecmp(s, "weekends") == 0) {
		*out = 0x41u;
		return 0;
	}
	copy = xstrdup(s);
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		char *end;

		while (*tok == ' ' || *tok == '\t')
			tok++;
		end = tok + strlen(tok);
		while (end > tok && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		dash = strchr(tok, '-');
		if (dash != NULL)
			*dash = '\0';
		if (sla_parse_weekday(tok, &a) != 0 || (dash != NULL &&
		    sla_parse_weekday(dash + 1, &b) != 0)) {
			if (dash != NULL)
				*dash = '-';
			buf_printf(err, "'%s' is not a day or a range of days "
			    "(mon, tue, ..., sun, such as mon-fri)", tok);
			rc = -1;
			break;
		}
		if (dash == NULL)
			b = a;
		for (;;) {		/* a range may wrap: fri-mon */
			mask |= 1u << a;
			if (a == b)
				break;
			a = (a + 1) % 7;
		}
	}
	free(copy);
	if (rc == 0 && mask == 0) {
		buf_puts(err, "names no day");
		rc = -1;
	}
	if (rc == 0)
		*out = mask;
	return rc;
}

void
sla_days_format(unsigned mask, struct buf *b)
{
	int	 i = 0, j;
	bool	 first = true;

	mask &= SLA_ALL_DAYS;
	if (mask == SLA_ALL_DAYS) {
		buf_puts(b, "daily");
		return;
	}
	/* Monday first, as people write it: mon-fri, sat,sun. */
#define BIT(k) (mask & 1u << (((k) + 1) % 7))
	while (i < 7) {
		if (!BIT(i)) {
			i++;
			continue;
		}
		for (j = i; j + 1 < 7 && BIT(j + 1); j++)
			;
		buf_printf(b, "%s%s", first ? "" : ",", day_names[(i + 1) % 7]);
		if (j - i >= 2)
			buf_printf(b, "-%s", day_names[(j + 1) % 7]);
		else if (j - i == 1)
			buf_printf(b, ",%s", day_names[(j + 1) % 7]);
		first = false;
		i = j + 1;
	}
#undef BIT
}

void
sla_deadline_format(int deadline, struct buf *b)
{
	buf_printf(b, "%02d:%02d", deadline / 3600, deadline / 60 % 60);
}

int64_t
sla_local_day(const struct tz *z, int64_t t)
{
	struct tz_local l;

	tz_localtime(z, t, &l);
	return tz_days_from_civil(l.year, l.mon, l.mday);
}

int64_t
sla_week_first(int64_t day, int week_start)
{
	int back = (tz_weekday(day) - week_start + 7) % 7;

	return day - back;
}

/* Monday of ISO week 1 of an ISO year: the week holding January 4th. */
static int64_t
iso_week1_monday(int year)
{
	int64_t jan4 = tz_days_from_civil(year, 1, 4);

	return jan4 - (tz_weekday(jan4) + 6) % 7;
}

int
sla_week_parse(const char *s, int week_start, int64_t *first)
{
	int	 y, w, n = 0;
	int64_t	 monday;
	char	 tail;

	if (sscanf(s, "%4d-W%2d%n%c", &y, &w, &n, &tail) != 2 || n != 8 ||
	    y < 1000 || w < 1 || w > 53)
		return -1;
	monday = iso_week1_monday(y) + (int64_t)(w - 1) * 7;
	/* Week 53 exists only in years that have it. */
	if (w == 53 && iso_week1_monday(y + 1) <= monday)
		return -1;
	*first = sla_week_first(monday, week_start);
	return 0;
}

void
sla_week_name(int64_t first, int week_start, struct buf *b)
{
	int64_t	 monday = first + (1 - week_start + 7) % 7;
	int64_t	 thursday = monday + 3;
	int	 y, m, d;

	tz_civil_from_days(thursday, &y, &m, &d);
	buf_printf(b, "%04d-W%02d", y,
	    (int)((monday - iso_week1_monday(y)) / 7 + 1));
}

void
sla_date_format(int64_t day, struct buf *b)
{
	int y, m, d;

	tz_civil_from_days(day, &y, &m, &d);
	buf_printf(b, "%04d-%02d-%02d", y, m, d);
}

void
sla_day_label(int64_t day, int width, struct buf *b)
{
	static const char *const names[7] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
	};
	const char	*name = names[tz_weekday(day)];
	char		 num[4];
	int		 y, m, d, n;

	tz_civil_from_days(day, &y, &m, &d);
	n = snprintf(num, sizeof num, "%d", d);
	if (width >= 4 + n)
		buf_printf(b, "%s %s", name, num);
	else if (width >= 3 + n)
		buf_printf(b, "%.2s %s", name, num);
	else if (width >= 2 + n)
		buf_printf(b, "%.2s%s", name, num);
	else
		buf_puts(b, num);
}

int
sla_date_parse(const char *s, int64_t *day)
{
	int	y, m, d, n = 0;
	int	y2, m2, d2;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
	    s[10] != '\0')
		return -1;
	*day = tz_days_from_civil(y, m, d);
	tz_civil_from_days(*day, &y2, &m2, &d2);
	if (y2 != y || m2 != m || d2 != d)	/* 2026-02-30 */
		return -1;
	return 0;
}

static int
cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

	return a < b ? -1 : a > b;
}

int64_t
sla_median_duration(const struct sla_attempt *v, size_t n, int64_t now)
{
	int64_t	 ends[SLA_MEDIAN_RUNS], durs[SLA_MEDIAN_RUNS];
	size_t	 i, k, m = 0;

	/* The newest SLA_MEDIAN_RUNS successes, by end, kept in ends[]. */
	for (i = 0; i < n; i++) {
		const struct sla_attempt *a = &v[i];

		if (a->state != SLA_SUCCEEDED || a->start == TIME_NONE ||
		    a->end == TIME_NONE || a->end > now || a->end < a->start)
			continue;
		if (m < SLA_MEDIAN_RUNS)
			k = m++;
		else {
			size_t oldest = 0;

			for (k = 1; k < m; k++)
				if (ends[k] < ends[oldest])
					oldest = k;
			if (a->end <= ends[oldest])
				continue;
			k = oldest;
		}
		ends[k] = a->end;
		durs[k] = a->end - a->start;
	}
	if (m == 0)
		return -1;
	qsort(durs, m, sizeof *durs, cmp_i64);
	return m % 2 ? durs[m / 2] : (durs[m / 2 - 1] + durs[m / 2]) / 2;
}

void
sla_eval_day(const struct sla_def *def, const struct tz *z, int64_t day,
    const struct sla_attempt *v, size_t n, int64_t median, int64_t now,
    struct sla_day *out)
{
	const struct sla_attempt	*ok = NULL, *running = NULL,
					*failed = NULL;
	int64_t				 from, to, est;
	size_t				 i;

	memset(out, 0, sizeof *out);
	out->day = day;
	tz_civil_from_days(day, &out->y, &out->m, &out->d);
	out->finished_at = out->expected = TIME_NONE;
	out->deadline = TIME_NONE;
	if (!(def->days & 1u << tz_weekday(day))) {
		out->outcome = SLA_NOT_APPLICABLE;
		return;
	}
	out->deadline = tz_mktime(z, out->y, out->m, out->d, 0, 0,
	    def->deadline);
	from = tz_mktime(z, out->y, out->m, out->d, 0, 0, 0);
	to = tz_mktime(z, out->y, out->m, out->d + 1, 0, 0, 0);

	for (i = 0; i < n; i++) {
		const struct sla_attempt *a = &v[i];

		if (a->interval_end == TIME_NONE || a->interval_end < from ||
		    a->interval_end >= to)
			continue;
		out->attempts++;
		if (a->airflow_miss)
			out->airflow_miss = true;
		switch (a->state) {
		case SLA_SUCCEEDED:
			if (a->end != TIME_NONE && (ok == NULL || a->end < ok->end))
				ok = a;
			break;
		case SLA_FAILED_ATTEMPT:
			if (failed == NULL || (a->end != TIME_NONE &&
			    (failed->end == TIME_NONE || a->end > failed->end)))
				failed = a;
			break;
		default:
			/* The one that started first is furthest along. */
			if (running == NULL || (a->start != TIME_NONE &&
			    (running->start == TIME_NONE ||
			    a->start < running->start)))
				running = a;
			break;
		}
	}

	if (ok != NULL) {
		out->run_id = ok->run_id;
		out->finished_at = ok->end;
		if (ok->end <= out->deadline)
			out->outcome = SLA_MET;
		else {
			out->outcome = SLA_LATE;
			out->late_by = ok->end - out->deadline;
		}
		return;
	}
	if (running != NULL || (failed == NULL && now < out->deadline)) {
		if (running != NULL)
			out->run_id = running->run_id;
		if (now >= out->deadline) {
			/* Still at it, and already late. */
			out->outcome = SLA_LATE;
			out->late_by = now - out->deadline;
			return;
		}
		est = TIME_NONE;
		/*
		 * A forecast from now only for a run that is running or due
		 * today: a later day's run has not started, and its end is
		 * not now plus the median.
		 */
		if (median >= 0 && (running != NULL ||
		    day <= sla_local_day(z, now))) {
			est = running != NULL && running->start != TIME_NONE ?
			    running->start + median : now + median;
			if (est < now)
				est = now;
		}
		out->expected = est;
		out->outcome = est != TIME_NONE && est > out->deadline ?
		    SLA_AT_RISK : SLA_PENDING;
		return;
	}
	if (failed != NULL) {
		out->run_id = failed->run_id;
		out->finished_at = failed->end;
		out->outcome = SLA_FAILED;
		return;
	}
	out->outcome = SLA_MISSING;
}

void
sla_summarise(const struct sla_day *v, size_t n, struct sla_summary *s)
{
	size_t i;

	memset(s, 0, sizeof *s);
	for (i = 0; i < n; i++) {
		s->count[v[i].outcome]++;
		if (sla_outcome_missed(v[i].outcome) || v[i].outcome == SLA_MET)
			s->judged++;
		if (v[i].late_by > s->worst_late)
			s->worst_late = v[i].late_by;
	}
	s->compliance = s->judged > 0 ?
	    (double)s->count[SLA_MET] / (double)s->judged : -1;
}

void
sla_summary_add(struct sla_summary *a, const struct sla_summary *b)
{
	int k;

	for (k = 0; k < SLA_NOUTCOMES; k++)
		a->count[k] += b->count[k];
	a->judged += b->judged;
	if (b->worst_late > a->worst_late)
		a->worst_late = b->worst_late;
	a->compliance = a->judged > 0 ?
	    (double)a->count[SLA_MET] / (double)a->judged : -1;
}

void
sla_compliance_pct(struct buf *b, const struct sla_summary *s)
{
	if (s->compliance < 0)
		buf_puts(b, "-");
	else
		buf_printf(b, "%.0f%%", s->compliance * 100);
}

void
sla_evaluate(struct sla_eval *e, const struct sla_def *def,
    const struct tz *z, int64_t first, int64_t last,
    const struct sla_attempt *v, size_t n, int64_t now)
{
	struct sla_day	*tmp;
	int64_t		 tfirst, day;
	size_t		 i, nt;

	memset(e, 0, sizeof *e);
	e->def = def;
	e->median = sla_median_duration(v, n, now);
	if (last < first)
		last = first - 1;
	e->ndays = (size_t)(last - first + 1);
	e->days = xcalloc(e->ndays + 1, sizeof *e->days);
	for (i = 0; i < e->ndays; i++)
		sla_eval_day(def, z, first + (int64_t)i, v, n, e->median, now,
		    &e->days[i]);
	sla_summarise(e->days, e->ndays, &e->period);

	/*
	 * The trailing weeks: the 26 * 7 days that end on last, from the
	 * day of the first attempt on (a DAG younger than that broke no SLA
	 * before it existed).
	 */
	tfirst = last - SLA_TRAILING_WEEKS * 7 + 1;
	for (i = 0, day = INT64_MAX; i < n; i++)
		if (v[i].interval_end != TIME_NONE &&
		    sla_local_day(z, v[i].interval_end) < day)
			day = sla_local_day(z, v[i].interval_end);
	if (day > tfirst && day <= first)
		tfirst = day;
	else if (day > first)
		tfirst = first;
	nt = (size_t)(last - tfirst + 1);
	tmp = xcalloc(nt, sizeof *tmp);
	for (i = 0; i < nt; i++) {
		day = tfirst + (int64_t)i;
		if (day >= first && day <= last)
			tmp[i] = e->days[day - first];
		else
			sla_eval_day(def, z, day, v, n, e->median, now, &tmp[i]);
	}
	sla_summarise(tmp, nt, &e->trailing);
	free(tmp);
}

void
sla_weeks(const struct sla_def *def, const struct tz *z, int64_t last_week,
    size_t nweeks, const struct sla_attempt *v, size_t n, int64_t now,
    struct sla_summary *out)
{
	struct sla_day	days[7];
	int64_t		born = INT64_MAX, median, first;
	size_t		i, w, nd;

	median = sla_median_duration(v, n, now);
	for (i = 0; i < n; i++)
		if (v[i].interval_end != TIME_NONE &&
		    sla_local_day(z, v[i].interval_end) < born)
			born = sla_local_day(z, v[i].interval_end);
	if (born > last_week)	/* the last week is judged, as sla_evaluate's */
		born = last_week;
	for (w = 0; w < nweeks; w++) {
		first = last_week - (int64_t)(nweeks - 1 - w) * 7;
		for (i = 0, nd = 0; i < 7; i++)
			if (first + (int64_t)i >= born)
				sla_eval_day(def, z, first + (int64_t)i, v, n,
				    median, now, &days[nd++]);
		sla_summarise(days, nd, &out[w]);
	}
}

void
sla_eval_free(struct sla_eval *e)
{
	free(e->days);
	memset(e, 0, sizeof *e);
}

void
sla_day_unknown_dag(struct sla_day *d)
{
	if (d->outcome == SLA_NOT_APPLICABLE)
		return;
	d->outcome = SLA_UNKNOWN_DAG;
	d->finished_at = d->expected = TIME_NONE;
	d->late_by = 0;
	d->run_id = NULL;
	d->attempts = 0;
	d->airflow_miss = false;
}

void
sla_eval_unknown_dag(struct sla_eval *e)
{
	size_t i;

	for (i = 0; i < e->ndays; i++)
		sla_day_unknown_dag(&e->days[i]);
	sla_summarise(e->days, e->ndays, &e->period);
	/* The trailing weeks were never judged either. */
	memset(&e->trailing, 0, sizeof e->trailing);
	e->trailing.compliance = -1;
	e->median = -1;
	e->unknown_dag = true;
}

static int
urgency(enum sla_outcome o)
{
	switch (o) {
	case SLA_AT_RISK:	return 0;
	case SLA_LATE:		return 1;
	case SLA_FAILED:	return 2;
	case SLA_MISSING:	return 3;
	case SLA_PENDING:	return 4;
	case SLA_MET:		return 5;
	/* A configuration error: no run to open, config check names it. */
	case SLA_UNKNOWN_DAG:	return 6;
	default:		return 7;
	}
}

void
sla_order_today(const struct sla_day *const *days, size_t n, size_t *order)
{
	size_t i, j, t;

	for (i = 0; i < n; i++)
		order[i] = i;
	/* Insertion sort: stable, and n is the number of SLAs. */
	for (i = 1; i < n; i++) {
		t = order[i];
		for (j = i; j > 0; j--) {
			const struct sla_day *a = days[order[j - 1]], *b = days[t];
			int ua = urgency(a->outcome), ub = urgency(b->outcome);

			if (ua < ub || (ua == ub && (a->deadline == TIME_NONE ||
			    (b->deadline != TIME_NONE &&
			    a->deadline <= b->deadline))))
				break;
			order[j] = order[j - 1];
		}
		order[j] = t;
	}
}

enum sla_attempt_state
sla_attempt_state(const char *run_state, bool task, long n, long ok, long bad,
    bool started)
{
	bool run_ok = run_state != NULL && strcmp(run_state, "success") == 0;
	bool run_failed = run_state != NULL && strcmp(run_state, "failed") == 0;
	bool run_running = run_state != NULL && strcmp(run_state, "running") == 0;

	if (!task) {
		if (run_ok)
			return SLA_SUCCEEDED;
		if (run_failed)
			return SLA_FAILED_ATTEMPT;
		return run_running ? SLA_RUNNING : SLA_WAITING;
	}
	if (n > 0 && ok == n)
		return SLA_SUCCEEDED;
	if (bad > 0 || run_failed)
		return SLA_FAILED_ATTEMPT;
	if (run_ok)		/* the task was removed or never ran: not built */
		return SLA_FAILED_ATTEMPT;
	return started ? SLA_RUNNING : SLA_WAITING;
}

void
sla_history_index(struct sla_history *h, const size_t *sla_of, size_t nsla)
{
	size_t i;

	free(h->first);
	free(h->count);
	h->nsla = nsla;
	h->first = xcalloc(nsla + 1, sizeof *h->first);
	h->count = xcalloc(nsla + 1, sizeof *h->count);
	for (i = h->n; i > 0; i--) {
		if (sla_of[i - 1] >= nsla)
			continue;
		h->first[sla_of[i - 1]] = i - 1;
		h->count[sla_of[i - 1]]++;
	}
}

void
sla_history_free(struct sla_history *h)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		free((char *)h->v[i].run_id);
		free((char *)h->v[i].run_type);
	}
	free(h->v);
	free(h->first);
	free(h->count);
	free(h->unknown_dag);
	memset(h, 0, sizeof *h);
}

bool
sla_history_unknown_dag(const struct sla_history *h, size_t i)
{
	return h->unknown_dag != NULL && i < h->nsla && h->unknown_dag[i];
}

void
sla_def_free(struct sla_def *d)
{
	free(d->name);
	free(d->dag_id);
	free(d->task_id);
	free(d->timezone);
	free(d->owner);
	free(d->note);
	free(d->context);
	free(d->file);
	memset(d, 0, sizeof *d);
}
