/*
 * slots.c: BigQuery answers decoded with their schema, slot usage per
 * minute and its top consumers (capacity: slots_capacity.c; the
 * statements that ask: slots_sql.c).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "slots.h"
#include "slots_int.h"

/* --- BigQuery results ------------------------------------------------------ */

enum bq_type
bq_type_parse(const char *s)
{
	static const struct {
		const char	*name;
		enum bq_type	 type;
	} names[] = {
		{ "STRING", BQ_STRING }, { "INTEGER", BQ_INT64 },
		{ "INT64", BQ_INT64 }, { "FLOAT", BQ_FLOAT64 },
		{ "FLOAT64", BQ_FLOAT64 }, { "NUMERIC", BQ_NUMERIC },
		{ "BIGNUMERIC", BQ_NUMERIC }, { "BOOLEAN", BQ_BOOL },
		{ "BOOL", BQ_BOOL }, { "TIMESTAMP", BQ_TIMESTAMP },
		{ "DATE", BQ_DATE }, { "DATETIME", BQ_DATETIME },
		{ "TIME", BQ_TIME }, { "BYTES", BQ_BYTES },
		{ "RECORD", BQ_RECORD }, { "STRUCT", BQ_RECORD },
	};
	size_t i;

	if (s == NULL)
		return BQ_OTHER;
	for (i = 0; i < sizeof names / sizeof *names; i++)
		if (strcasecmp(s, names[i].name) == 0)
			return names[i].type;
	return BQ_OTHER;
}

static int
schema_read(struct bq_table *t, const json_t *schema, struct buf *err)
{
	const json_t	*fields = json_object_get(schema, "fields"), *f;
	size_t		 i;

	if (!json_is_array(fields)) {
		buf_puts(err, "the answer's schema has no fields");
		return -1;
	}
	if (t->fields != NULL) {
		/* A later page: same columns in the same order. */
		if (json_array_size(fields) != t->nfields)
			goto changed;
		json_array_foreach(fields, i, f) {
			const char *n = json_string_value(json_object_get(f,
			    "name"));

			if (n == NULL || strcmp(n, t->fields[i].name) != 0)
				goto changed;
		}
		return 0;
	}
	t->nfields = json_array_size(fields);
	t->fields = xcalloc(t->nfields ? t->nfields : 1, sizeof *t->fields);
	json_array_foreach(fields, i, f) {
		const char *n = json_string_value(json_object_get(f, "name"));
		const char *m = json_string_value(json_object_get(f, "mode"));

		t->fields[i].name = xstrdup(n != NULL ? n : "");
		t->fields[i].type = bq_type_parse(json_string_value(
		    json_object_get(f, "type")));
		t->fields[i].repeated = m != NULL && strcmp(m, "REPEATED") == 0;
	}
	return 0;
changed:
	buf_puts(err, "the schema changed between pages");
	return -1;
}

/* A cell's value as text: strings as they are, anything else as JSON. */
static char *
cell_text(const json_t *v)
{
	char *s;

	if (v == NULL || json_is_null(v))
		return NULL;
	if (json_is_string(v))
		return xstrndup(json_string_value(v), json_string_length(v));
	s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
	if (s == NULL)
		return xstrdup("");
	{
		char *r = xstrdup(s);

		free(s);
		return r;
	}
}

int
bq_table_add_page(struct bq_table *t, const json_t *page, struct buf *err)
{
	const json_t	*schema = json_object_get(page, "schema");
	const json_t	*rows = json_object_get(page, "rows"), *row, *f, *cell;
	const char	*total;
	size_t		 i, j, first;

	if (!json_is_object(page)) {
		buf_puts(err, "the answer is not a JSON object");
		return -1;
	}
	if (schema != NULL) {
		if (schema_read(t, schema, err) != 0)
			return -1;
	} else if (t->fields == NULL) {
		buf_puts(err, "the answer has no schema");
		return -1;
	}
	total = json_string_value(json_object_get(page, "totalRows"));
	if (total != NULL)
		t->total_rows = strtoll(total, NULL, 10);
	else if (json_is_integer(json_object_get(page, "totalRows")))
		t->total_rows = json_integer_value(json_object_get(page,
		    "totalRows"));
	if (rows == NULL || json_is_null(rows))
		return 0;
	if (!json_is_array(rows)) {
		buf_puts(err, "'rows' is not an array");
		return -1;
	}
	/* Check the whole page before taking any of it. */
	json_array_foreach(rows, i, row) {
		f = json_object_get(row, "f");
		if (!json_is_array(f) || json_array_size(f) != t->nfields) {
			buf_printf(err, "row %zu has %zu cells for %zu columns",
			    t->nrows + i + 1, json_is_array(f) ?
			    json_array_size(f) : (size_t)0, t->nfields);
			return -1;
		}
	}
	first = t->nrows;
	t->nrows += json_array_size(rows);
	t->cells = xreallocarray(t->cells, t->nrows * t->nfields + 1,
	    sizeof *t->cells);
	json_array_foreach(rows, i, row) {
		f = json_object_get(row, "f");
		json_array_foreach(f, j, cell)
			t->cells[(first + i) * t->nfields + j] =
			    cell_text(json_object_get(cell, "v"));
	}
	return 0;
}

void
bq_table_free(struct bq_table *t)
{
	size_t i;

	for (i = 0; i < t->nrows * t->nfields; i++)
		free(t->cells[i]);
	for (i = 0; i < t->nfields; i++)
		free(t->fields[i].name);
	free(t->cells);
	free(t->fields);
	memset(t, 0, sizeof *t);
	t->total_rows = -1;
}

int
bq_col(const struct bq_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nfields; i++)
		if (strcmp(t->fields[i].name, name) == 0)
			return (int)i;
	return -1;
}

const char *
bq_cell(const struct bq_table *t, size_t row, int col)
{
	if (col < 0 || (size_t)col >= t->nfields || row >= t->nrows)
		return NULL;
	return t->cells[row * t->nfields + (size_t)col];
}

bool
bq_int64(const struct bq_table *t, size_t row, int col, int64_t *out)
{
	const char	*s = bq_cell(t, row, col);
	char		*end;
	long long	 v;
	double		 d;

	if (s == NULL || *s == '\0')
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end == '\0' && errno == 0) {
		*out = v;
		return true;
	}
	/* SUM() over FLOAT64 or NUMERIC arrives as "12.5" or "1.2E7". */
	d = strtod(s, &end);
	if (*end != '\0' || !isfinite(d) || fabs(d) > 9.2e18)
		return false;
	*out = (int64_t)llround(d);
	return true;
}

bool
bq_double(const struct bq_table *t, size_t row, int col, double *out)
{
	const char	*s = bq_cell(t, row, col);
	char		*end;
	double		 d;

	if (s == NULL || *s == '\0')
		return false;
	errno = 0;
	d = strtod(s, &end);
	if (*end != '\0' || !isfinite(d))
		return false;
	*out = d;
	return true;
}

bool
bq_time(const struct bq_table *t, size_t row, int col, double *out)
{
	const char *s = bq_cell(t, row, col);

	if (!bq_double(t, row, col, out))
		return false;
	/*
	 * formatOptions.useInt64Timestamp answers microseconds as an integer
	 * string; float seconds (the default) always carry '.' or 'E'.
	 */
	if (strpbrk(s, ".eE") == NULL && fabs(*out) > 1e14)
		*out /= 1e6;
	return true;
}

static json_t *
error_body(const char *body, size_t len)
{
	json_t *doc;

	if (body == NULL || len == 0)
		return NULL;
	doc = json_loadb(body, len, 0, NULL);
	if (doc != NULL && !json_is_object(json_object_get(doc, "error"))) {
		json_decref(doc);
		doc = NULL;
	}
	return doc;
}

void
bq_error_reason(struct buf *out, const char *body, size_t len)
{
	json_t		*doc = error_body(body, len), *e;
	const char	*r = NULL;

	if (doc == NULL)
		return;
	e = json_object_get(doc, "error");
	r = json_string_value(json_object_get(json_array_get(
	    json_object_get(e, "errors"), 0), "reason"));
	if (r == NULL)
		r = json_string_value(json_object_get(e, "status"));
	if (r == NULL)
		r = json_string_value(json_object_get(e, "error"));
	if (r == NULL && json_is_string(e))
		r = json_string_value(e);
	if (r != NULL)
		buf_puts(out, r);
	json_decref(doc);
}

void
bq_error_text(struct buf *out, long status, const char *body, size_t len)
{
	json_t		*doc = error_body(body, len), *e;
	const char	*reason = NULL, *msg = NULL;
	json_t		*first;

	if (doc == NULL) {
		/* OAuth endpoints answer {"error": "invalid_grant", ...}. */
		doc = body != NULL && len > 0 ? json_loadb(body, len, 0, NULL) :
		    NULL;
		if (doc != NULL && json_is_string(json_object_get(doc, "error"))) {
			buf_puts(out, json_string_value(json_object_get(doc,
			    "error")));
			msg = json_string_value(json_object_get(doc,
			    "error_description"));
			if (msg != NULL)
				buf_printf(out, ": %s", msg);
			json_decref(doc);
			return;
		}
		json_decref(doc);
		buf_printf(out, "HTTP status %ld", status);
		return;
	}
	e = json_object_get(doc, "error");
	first = json_array_get(json_object_get(e, "errors"), 0);
	reason = json_string_value(json_object_get(first, "reason"));
	if (reason == NULL)
		reason = json_string_value(json_object_get(e, "status"));
	msg = json_string_value(json_object_get(e, "message"));
	if (msg == NULL)
		msg = json_string_value(json_object_get(first, "message"));
	buf_printf(out, "%s: %s", reason != NULL ? reason : "error",
	    msg != NULL ? msg : "(no message)");
	if (status != 0 && reason == NULL)
		buf_printf(out, " (HTTP %ld)", status);
	json_decref(doc);
}

/* --- slot usage ------------------------------------------------------------ */

void
slots_init(struct slots *s, int64_t now, int minutes)
{
	size_t i;

	memset(s, 0, sizeof *s);
	if (minutes < 1)
		minutes = 1;
	s->end = now - ((now % 60) + 60) % 60;	/* the current minute: out */
	s->start = s->end - (int64_t)minutes * 60;
	s->n = (size_t)minutes;
	s->m = xcalloc(s->n, sizeof *s->m);
	for (i = 0; i < s->n; i++) {
		s->m[i].t = s->start + (int64_t)i * 60;
		s->m[i].capacity = -1;
	}
	s->peak_at = s->pending_max_at = -1;
	s->alert_minutes = SLOTS_ALERT_MINUTES;
}

void
slots_only(struct slots *s, const char *id)
{
	free(s->only);
	s->only = id != NULL ? xstrdup(id) : NULL;
}

static void
resv_free(struct slot_resv *r)
{
	free(r->id);
	free(r->edition);
	free(r->m);
}

void
slots_free(struct slots *s)
{
	size_t i;

	for (i = 0; i < s->nc; i++) {
		free(s->c[i].key);
		free(s->c[i].user);
		free(s->c[i].dag);
		free(s->c[i].task);
	}
	for (i = 0; i < s->nr; i++)
		resv_free(&s->r[i]);
	free(s->r);
	free(s->only);
	free(s->c);
	free(s->m);
	memset(s, 0, sizeof *s);
}

void
slots_move(struct slots *dst, struct slots *src)
{
	slots_free(dst);
	*dst = *src;
	memset(src, 0, sizeof *src);
}

int
slots_need_col(const struct bq_table *t, const char *a, const char *b,
    struct buf *err)
{
	int c = bq_col(t, a);

	if (c < 0 && b != NULL)
		c = bq_col(t, b);
	if (c < 0)
		buf_printf(err, "the answer has no column '%s'", a);
	return c;
}

/* The minute index of t in the window, or -1. */
long
slots_minute(const struct slots *s, double t)
{
	/* Compared as doubles first: a wild value must not be converted. */
	if (!(t >= (double)s->start && t < (double)s->end))
		return -1;
	return (long)(((int64_t)floor(t) - s->start) / 60);
}

/* A job count from outside, kept within an int. */
static int
count(int64_t n)
{
	return n < 0 ? 0 : n > 1000000000 ? 1000000000 : (int)n;
}

/* The reservation of that id (NULL: on-demand), added when new. */
struct slot_resv *
slots_resv_get(struct slots *s, const char *id)
{
	struct slot_resv	*r;
	size_t			 i;

	if (id != NULL && *id == '\0')
		id = NULL;
	for (i = 0; i < s->nr; i++)
		if ((id == NULL && s->r[i].id == NULL) ||
		    (id != NULL && s->r[i].id != NULL &&
		    strcmp(id, s->r[i].id) == 0))
			return &s->r[i];
	s->r = xreallocarray(s->r, s->nr + 1, sizeof *s->r);
	r = &s->r[s->nr++];
	memset(r, 0, sizeof *r);
	r->id = id != NULL ? xstrdup(id) : NULL;
	r->m = xcalloc(s->n ? s->n : 1, sizeof *r->m);
	for (i = 0; i < s->n; i++) {
		r->m[i].baseline = -1;
		r->m[i].limit = -1;
	}
	r->peak_at = r->last_above = -1;
	return r;
}

const struct slot_resv *
slots_resv(const struct slots *s, const char *id)
{
	size_t i;

	for (i = 0; i < s->nr; i++)
		if ((id == NULL && s->r[i].id == NULL) ||
		    (id != NULL && s->r[i].id != NULL &&
		    strcmp(id, s->r[i].id) == 0))
			return &s->r[i];
	return NULL;
}

int
slots_add_timeline(struct slots *s, const struct bq_table *t,
    struct buf *err)
{
	int	ct, cs, cr, cp, cv;
	size_t	i;
	int	*run, *pend;

	if ((ct = slots_need_col(t, "minute", "period_start", err)) < 0 ||
	    (cs = slots_need_col(t, "slot_ms", "period_slot_ms", err)) < 0)
		return -1;
	cr = bq_col(t, "running");
	cp = bq_col(t, "pending");
	cv = bq_col(t, "reservation_id");
	/*
	 * Job counts of one minute's rows: per reservation they add up (a
	 * job runs in one reservation); per second they count the same jobs
	 * again, so without reservation_id the most is kept.
	 */
	run = xcalloc(s->n ? s->n : 1, sizeof *run);
	pend = xcalloc(s->n ? s->n : 1, sizeof *pend);
	for (i = 0; i < t->nrows; i++) {
		struct slot_resv *r;
		double	 when, ms = 0;
		int64_t	 n;
		long	 k;

		if (!bq_time(t, i, ct, &when) || (k = slots_minute(s, when)) < 0)
			continue;
		r = slots_resv_get(s, cv >= 0 ? bq_cell(t, i, cv) : NULL);
		r->used = true;
		if (bq_double(t, i, cs, &ms) && ms > 0) {
			s->m[k].slots += ms / 60000.0;
			r->m[k].slots += ms / 60000.0;
		}
		if (cr >= 0 && bq_int64(t, i, cr, &n)) {
			if (cv >= 0)
				run[k] = count((int64_t)run[k] + count(n));
			else if (count(n) > run[k])
				run[k] = count(n);
		}
		if (cp >= 0 && bq_int64(t, i, cp, &n)) {
			if (cv >= 0)
				pend[k] = count((int64_t)pend[k] + count(n));
			else if (count(n) > pend[k])
				pend[k] = count(n);
		}
	}
	for (i = 0; i < s->n; i++) {
		if (run[i] > s->m[i].running)
			s->m[i].running = run[i];
		if (pend[i] > s->m[i].pending)
			s->m[i].pending = pend[i];
	}
	free(run);
	free(pend);
	s->valid = true;
	return 0;
}

static int
cmp_resv(const void *x, const void *y)
{
	const struct slot_resv *a = x, *b = y;

	/* On-demand last, then by id. */
	if (a->id == NULL || b->id == NULL)
		return (a->id == NULL) - (b->id == NULL);
	return strcmp(a->id, b->id);
}

static char *
opt_str(const struct bq_table *t, size_t row, int col)
{
	const char *v = bq_cell(t, row, col);

	return v != NULL && *v != '\0' ? xstrdup(v) : NULL;
}

int
slots_add_consumers(struct slots *s, const struct bq_table *t,
    struct buf *err)
{
	int	ck, ckey, cu, cd, ct, cs, cj, cbp, cbb;
	size_t	i;

	if ((ck = slots_need_col(t, "kind", NULL, err)) < 0 ||
	    (ckey = slots_need_col(t, "key", NULL, err)) < 0 ||
	    (cs = slots_need_col(t, "slot_ms", NULL, err)) < 0)
		return -1;
	cu = bq_col(t, "user");
	cd = bq_col(t, "dag");
	ct = bq_col(t, "task");
	cj = bq_col(t, "jobs");
	cbp = bq_col(t, "bytes_processed");
	cbb = bq_col(t, "bytes_billed");
	for (i = 0; i < t->nrows; i++) {
		const char		*kind = bq_cell(t, i, ck);
		struct slot_consumer	*c;
		enum consumer_kind	 k;
		int64_t			 v;
		double			 d;

		if (kind == NULL)
			continue;
		if (strcmp(kind, "total") == 0) {
			if (bq_double(t, i, cs, &d))
				s->slot_ms = d;
			if (bq_int64(t, i, cj, &v))
				s->jobs = v;
			if (bq_int64(t, i, cbp, &v))
				s->bytes_processed = v;
			if (bq_int64(t, i, cbb, &v))
				s->bytes_billed = v;
			continue;
		}
		if (strcmp(kind, "user") == 0)
			k = CONSUMER_USER;
		else if (strcmp(kind, "dag") == 0)
			k = CONSUMER_DAG;
		else if (strcmp(kind, "job") == 0)
			k = CONSUMER_JOB;
		else
			continue;
		s->c = xreallocarray(s->c, s->nc + 1, sizeof *s->c);
		c = &s->c[s->nc++];
		memset(c, 0, sizeof *c);
		c->kind = k;
		c->key = opt_str(t, i, ckey);
		if (c->key == NULL)
			c->key = xstrdup(k == CONSUMER_DAG ? "(no airflow-dag label)" :
			    "(unknown)");
		c->user = opt_str(t, i, cu);
		c->dag = opt_str(t, i, cd);
		c->task = opt_str(t, i, ct);
		if (bq_double(t, i, cs, &d))
			c->slot_ms = d;
		if (bq_int64(t, i, cj, &v))
			c->jobs = v;
		if (bq_int64(t, i, cbp, &v))
			c->bytes_processed = v;
		if (bq_int64(t, i, cbb, &v))
			c->bytes_billed = v;
	}
	return 0;
}

static int
cmp_consumer(const void *x, const void *y)
{
	const struct slot_consumer *a = x, *b = y;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->slot_ms != b->slot_ms)
		return a->slot_ms > b->slot_ms ? -1 : 1;
	return strcmp(a->key, b->key);
}

void
slots_finish(struct slots *s)
{
	double	sum = 0, window_ms = (double)(s->end - s->start) * 1000;
	size_t	i;

	if (s->nr > 1)
		qsort(s->r, s->nr, sizeof *s->r, cmp_resv);
	slots_resv_finish(s);
	s->peak = 0;
	s->peak_at = -1;
	s->minutes_above = s->recent_above = 0;
	s->pending_max = 0;
	s->pending_max_at = -1;
	for (i = 0; i < s->n; i++) {
		const struct slot_minute *m = &s->m[i];

		sum += m->slots;
		if (s->peak_at < 0 || m->slots > s->peak) {
			s->peak = m->slots;
			s->peak_at = m->t;
		}
		if ((s->cap_kind == CAP_FIXED && m->capacity >= 0 &&
		    m->slots > m->capacity + 1e-9) ||
		    (s->cap_kind == CAP_RESERVATION && m->above > 0)) {
			s->minutes_above++;
			if (m->t >= s->end - (int64_t)s->alert_minutes * 60)
				s->recent_above++;
		}
		if (m->pending > s->pending_max) {
			s->pending_max = m->pending;
			s->pending_max_at = m->t;
		}
	}
	s->average = s->n > 0 ? sum / (double)s->n : 0;
	if (s->n > 0) {
		s->running_now = s->m[s->n - 1].running;
		s->pending_now = s->m[s->n - 1].pending;
	}
	/* Without a total row, the timeline is the total. */
	if (s->slot_ms <= 0)
		s->slot_ms = sum * 60000.0;
	for (i = 0; i < s->nc; i++) {
		s->c[i].avg_slots = window_ms > 0 ? s->c[i].slot_ms / window_ms :
		    0;
		s->c[i].share = s->slot_ms > 0 ? s->c[i].slot_ms / s->slot_ms : 0;
	}
	if (s->nc > 1)
		qsort(s->c, s->nc, sizeof *s->c, cmp_consumer);
}

size_t
slots_buckets(const struct slots *s, size_t ncols, double *slots,
    double *capacity, int64_t *t, bool *above)
{
	size_t col, n = ncols < s->n ? ncols : s->n;

	for (col = 0; col < n; col++) {
		/* Minutes [lo, hi) of this column, spread evenly. */
		size_t lo = col * s->n / n, hi = (col + 1) * s->n / n, i;
		double best = 0, cap = -1;
		bool hot = false;

		if (hi <= lo)
			hi = lo + 1;
		for (i = lo; i < hi; i++) {
			if (s->m[i].above > 0 || (s->cap_kind == CAP_FIXED &&
			    s->m[i].capacity >= 0 &&
			    s->m[i].slots > s->m[i].capacity + 1e-9))
				hot = true;
			if (i == lo || s->m[i].slots > best)
				best = s->m[i].slots;
			if (s->m[i].capacity >= 0 &&
			    (cap < 0 || s->m[i].capacity < cap))
				cap = s->m[i].capacity;
		}
		if (slots != NULL)
			slots[col] = best;
		if (capacity != NULL)
			capacity[col] = cap;
		if (t != NULL)
			t[col] = s->m[lo].t;
		if (above != NULL)
			above[col] = hot;
	}
	return n;
}

const char *
consumer_kind_name(enum consumer_kind k)
{
	switch (k) {
	case CONSUMER_USER:	return "user";
	case CONSUMER_DAG:	return "dag";
	case CONSUMER_JOB:	return "job";
	default:		return "?";
	}
}

const char *
slot_capacity_name(enum slot_capacity k)
{
	switch (k) {
	case CAP_ON_DEMAND:	return "on-demand";
	case CAP_RESERVATION:	return "reservation";
	case CAP_FIXED:		return "configured";
	default:		return "unknown";
	}
}

void
fmt_bytes(struct buf *b, int64_t n)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB",
	    "PiB", "EiB" };
	double	v = (double)n;
	int	u = 0;

	if (n < 1024) {
		buf_printf(b, "%lld B", (long long)n);
		return;
	}
	while (v >= 1024 && u < 6) {
		v /= 1024;
		u++;
	}
	buf_printf(b, v < 10 ? "%.1f %s" : "%.0f %s", v, unit[u]);
}
/* --- pools ----------------------------------------------------------------- */

void
af_pools_free(struct af_pools *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->v[i].name);
	free(p->v);
	memset(p, 0, sizeof *p);
}

int
af_pool_used(const struct af_pool *p)
{
	return p->running + p->queued + (p->include_deferred ? p->deferred : 0);
}
