/*
 * airflow_log.c: one log try into a spool (airflow_log.h).
 *
 * Three ways in, one way out: every byte goes through a converter (raw
 * text, NDJSON structured entries, or a whole JSON document) into the
 * spool, and the owner is told.
 *  - API, task finished: one streamed GET.  v1 asks for text/plain, which
 *    Airflow 2 streams; v2 asks for NDJSON (Airflow 3.1 streams it) and
 *    accepts the JSON document 3.0 sends, which has to be read whole.
 *  - API, task running: GETs of the JSON form every POLL_MS, each with the
 *    continuation token of the one before, appending what is new.
 *  - Log folder: the file read in slices of SLICE bytes per loop turn, then,
 *    while the task runs, polled for growth.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "airflow_api.h"
#include "airflow_log.h"
#include "http.h"
#include "logpath.h"
#include "logtext.h"
#include "loop.h"

#define POLL_MS		2000
#define FILE_POLL_MS	1000
#define SLICE		(4u << 20)
#define DOC_MAX		(64u << 20)

enum conv { CONV_RAW, CONV_NDJSON, CONV_V1DOC, CONV_V2DOC, CONV_UNKNOWN };

struct logfetch {
	struct loop		*loop;
	struct airflow_api	*api;
	struct logspool		 spool;
	struct log_target	 t;		/* strings owned */
	enum logfetch_state	 state;
	struct buf		 error;
	long			 status;
	char			*source;
	logfetch_cb		 cb;
	void			*arg;
	/* conversion */
	enum conv		 conv;
	struct logtext_ndjson	 nd;
	struct buf		 doc;		/* a JSON document being read */
	struct buf		 out;		/* converted, before the spool */
	/* API */
	struct api_call		*call;
	char			*token;		/* continuation token */
	bool			 following;
	bool			 last_poll;	/* one more after the task ended */
	bool			 started;	/* the first request is out */
	int64_t			 start_ms;	/* loop clock: asked */
	int64_t			 first_data_ms;	/* first body bytes, 0 before */
	struct loop_timer	*timer;
	/* file */
	char			*path;
	int			 fd;
	uint64_t		 file_off;
	uint64_t		 file_end;	/* its size when opened */
};

static void	api_poll(struct logfetch *);

static void
notify(struct logfetch *f)
{
	if (f->cb != NULL)
		f->cb(f->arg);
}

/* Fails with "what" or, when what is NULL, with the prefix alone. */
static void
fail(struct logfetch *f, long status, const char *prefix, const char *what)
{
	f->state = LOGF_FAILED;
	f->status = status;
	buf_reset(&f->error);
	buf_puts(&f->error, prefix);
	if (what != NULL)
		buf_puts(&f->error, what);
	if (f->timer != NULL)
		loop_timer_stop(f->timer);
}

/*
 * The spool is at its cap: the log ends here, with the spool's line saying
 * so.  Nothing more is read or asked for.
 */
static bool
cut_off(struct logfetch *f)
{
	if (!logspool_cut(&f->spool) || f->state == LOGF_FAILED)
		return false;
	f->state = LOGF_DONE;
	f->following = false;
	if (f->timer != NULL)
		loop_timer_stop(f->timer);
	return true;
}

static void
append(struct logfetch *f, const char *data, size_t len)
{
	int rc = logspool_append(&f->spool, data, len);

	if (rc < 0 && f->state != LOGF_FAILED)
		fail(f, 0, "cannot write the log to a temporary file: ",
		    strerror(errno));
	else if (rc > 0)
		cut_off(f);
}

/* Moves converted text to the spool. */
static void
flush_out(struct logfetch *f)
{
	if (f->out.len == 0)
		return;
	append(f, f->out.data, f->out.len);
	buf_reset(&f->out);
}

static void
feed(struct logfetch *f, const char *data, size_t len)
{
	switch (f->conv) {
	case CONV_RAW:
		append(f, data, len);
		return;
	case CONV_NDJSON:
		logtext_ndjson_feed(&f->nd, data, len, &f->out);
		flush_out(f);
		return;
	default:
		if (f->doc.len + len > DOC_MAX) {
			fail(f, 0, "the JSON log answer is larger than 64 MB; "
			    "read this log from the log folder", NULL);
			return;
		}
		buf_append(&f->doc, data, len);
	}
}

/* A whole JSON document (v1 or v2 form): its text, and its token. */
static void
feed_document(struct logfetch *f)
{
	struct buf	 err = BUF_INIT;
	char		*token = NULL;
	int		 rc;

	if (f->conv == CONV_V1DOC)
		rc = logtext_v1_document(f->doc.data != NULL ? f->doc.data : "",
		    f->doc.len, &f->out, &token, &err);
	else
		rc = logtext_v2_document(f->doc.data != NULL ? f->doc.data : "",
		    f->doc.len, &f->out, &token, &err);
	buf_reset(&f->doc);
	if (rc != 0) {
		fail(f, 0, "the log answer is not what Airflow sends: ",
		    buf_str(&err));
		buf_free(&err);
		free(token);
		return;
	}
	buf_free(&err);
	flush_out(f);
	free(f->token);
	f->token = token;
}

/* --- the API --------------------------------------------------------------- */

static int
api_data(struct http_req *req, const char *data, size_t len, void *arg)
{
	struct logfetch *f = arg;
	size_t lines = logspool_lines(&f->spool);

	if (f->first_data_ms == 0)
		f->first_data_ms = loop_now_ms();
	if (f->conv == CONV_UNKNOWN) {
		struct buf scratch = BUF_INIT;
		const char *ct = http_req_header(req, "Content-Type", &scratch);

		f->conv = ct != NULL && strstr(ct, "ndjson") != NULL ?
		    CONV_NDJSON : CONV_V2DOC;
		buf_free(&scratch);
	}
	feed(f, data, len);
	if (f->state == LOGF_FAILED || logspool_cut(&f->spool)) {
		notify(f);
		return -1;	/* no more of it */
	}
	if (logspool_lines(&f->spool) != lines)
		notify(f);
	return 0;
}

static void	api_start(struct logfetch *);

/* The first request, then the follow polls. */
static void
poll_due(struct loop_timer *t, void *arg)
{
	struct logfetch *f = arg;

	(void)t;
	if (!f->started) {
		f->started = true;
		api_start(f);
	} else
		api_poll(f);
}

static void
api_done(struct api_call *call, const struct http_response *resp, void *arg)
{
	struct logfetch	*f = arg;
	struct buf	 msg = BUF_INIT;

	(void)call;
	f->call = NULL;
	if (f->state == LOGF_FAILED || cut_off(f)) {
		notify(f);
		return;
	}
	if (resp->error != HTTP_OK || resp->status / 100 != 2) {
		airflow_api_error(resp, &msg);
		if (resp->status == 404)
			buf_puts(&msg, " (no log for this try yet?)");
		else if (resp->status == 403)
			buf_puts(&msg, " (your Airflow role may not read logs)");
		fail(f, resp->status, buf_str(&msg), NULL);
		buf_free(&msg);
		notify(f);
		return;
	}
	if (f->following) {
		/* A poll: the whole answer is a JSON document. */
		f->doc = resp->body;
		feed_document(f);
		memset(&f->doc, 0, sizeof f->doc);
		/* v2 says it is over with a null token. */
		if (f->state != LOGF_FAILED && (f->last_poll ||
		    (f->t.major >= 3 && f->token == NULL))) {
			f->following = false;
			f->state = LOGF_DONE;
		} else if (f->state != LOGF_FAILED) {
			f->state = LOGF_FOLLOWING;
			loop_timer_set(f->timer, POLL_MS);
		}
	} else {
		if (f->conv == CONV_NDJSON) {
			logtext_ndjson_finish(&f->nd, &f->out);
			flush_out(f);
		} else if (f->conv == CONV_V2DOC || f->conv == CONV_V1DOC)
			feed_document(f);
		if (f->state != LOGF_FAILED)
			f->state = LOGF_DONE;
	}
	cut_off(f);
	notify(f);
}

static void
api_path(struct logfetch *f, struct buf *p, bool with_token)
{
	buf_puts(p, "/dags/");
	http_escape(p, f->t.dag_id);
	buf_puts(p, "/dagRuns/");
	http_escape(p, f->t.run_id);
	buf_puts(p, "/taskInstances/");
	http_escape(p, f->t.task_id);
	buf_printf(p, "/logs/%d?full_content=%s&map_index=%d", f->t.try_number,
	    with_token ? "false" : "true", f->t.map_index);
	if (with_token && f->token != NULL) {
		buf_puts(p, "&token=");
		http_escape(p, f->token);
	}
}

static void
api_poll(struct logfetch *f)
{
	struct buf path = BUF_INIT;

	api_path(f, &path, f->token != NULL);
	f->conv = f->t.major >= 3 ? CONV_V2DOC : CONV_V1DOC;
	f->call = airflow_api_get(f->api, buf_str(&path), "application/json",
	    NULL, api_done, f);
	buf_free(&path);
}

static void
api_start(struct logfetch *f)
{
	struct buf path = BUF_INIT;

	f->source = xstrdup(f->t.major >= 3 ? "API v2" : "API v1");
	if (f->t.running) {
		f->following = true;
		api_poll(f);
		return;
	}
	api_path(f, &path, false);
	if (f->t.major >= 3) {
		f->conv = CONV_UNKNOWN;
		f->call = airflow_api_get(f->api, buf_str(&path),
		    "application/x-ndjson, application/json;q=0.9", api_data,
		    api_done, f);
	} else {
		f->conv = CONV_RAW;
		f->call = airflow_api_get(f->api, buf_str(&path), "text/plain",
		    api_data, api_done, f);
	}
	buf_free(&path);
}

/* --- the log folder -------------------------------------------------------- */

static const char *
file_kind(mode_t m)
{
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a file";	/* never: a kind POSIX does not name */
}

static void
file_tick(struct loop_timer *t, void *arg)
{
	struct logfetch	*f = arg;
	struct stat	 st;
	char		*slice;
	ssize_t		 n;
	size_t		 want, lines = logspool_lines(&f->spool);

	if (f->fd < 0) {
		/*
		 * O_NONBLOCK: opening a FIFO (or a device) never waits for a
		 * writer.  A symlink is followed (deployments link log
		 * folders and files), but only a regular file is read.
		 */
		f->fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NOCTTY |
		    O_NONBLOCK);
		if (f->fd < 0) {
			if (errno == ENOENT && f->following) {
				/* Not written yet: the task is starting. */
				f->state = LOGF_FOLLOWING;
				loop_timer_set(t, FILE_POLL_MS);
				return;
			}
			fail(f, 0, "", NULL);
			buf_printf(&f->error, "%s: %s%s", f->path,
			    strerror(errno), errno == ENOENT ?
			    " (no log for this try here; is log_folder the "
			    "scheduler's, or are logs remote?)" : "");
			notify(f);
			return;
		}
		if (fstat(f->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
			fail(f, 0, "", NULL);
			/* The reason first: a pane shows a path's start only. */
			buf_printf(&f->error, "refused: the log is %s, not a "
			    "regular file: %s", fstat(f->fd, &st) != 0 ?
			    strerror(errno) : file_kind(st.st_mode), f->path);
			close(f->fd);
			f->fd = -1;
			notify(f);
			return;
		}
		/* A finished task's log ends where the file ended now. */
		f->file_end = (uint64_t)st.st_size;
	}
	if (fstat(f->fd, &st) == 0 && (uint64_t)st.st_size < f->file_off) {
		/* Truncated or replaced: read it again from the start. */
		logspool_reset(&f->spool);
		f->file_off = 0;
	}
	want = SLICE;
	if (!f->following || f->last_poll) {
		/* A file that keeps growing is read up to a bound. */
		want = f->file_off < f->file_end ?
		    (size_t)(f->file_end - f->file_off < SLICE ?
		    f->file_end - f->file_off : SLICE) : 0;
	}
	slice = xmalloc(SLICE);
	n = want > 0 ? pread(f->fd, slice, want, (off_t)f->file_off) : 0;
	if (n > 0) {
		f->file_off += (uint64_t)n;
		feed(f, slice, (size_t)n);
		free(slice);
		if (cut_off(f)) {
			notify(f);
			return;
		}
		if (f->state != LOGF_FAILED)
			loop_timer_set(t, 0);	/* more, after the keys */
		if (logspool_lines(&f->spool) != lines ||
		    f->state == LOGF_FAILED)
			notify(f);
		return;
	}
	free(slice);
	if (n < 0) {
		fail(f, 0, "cannot read the log file: ", strerror(errno));
		notify(f);
		return;
	}
	/* At the end. */
	if (f->following && !f->last_poll) {
		f->state = LOGF_FOLLOWING;
		loop_timer_set(t, FILE_POLL_MS);
	} else {
		if (f->conv == CONV_NDJSON) {
			logtext_ndjson_finish(&f->nd, &f->out);
			flush_out(f);
		}
		if (f->state != LOGF_FAILED)
			f->state = LOGF_DONE;
		f->following = false;
	}
	notify(f);
}

static int
file_start(struct logfetch *f, const char *folder, struct buf *err)
{
	struct logpath_ti	 ti;
	struct buf		 rel = BUF_INIT, path = BUF_INIT;
	const char		*tmpl = f->t.log_template;

	if (tmpl == NULL || *tmpl == '\0')
		tmpl = f->t.major >= 3 ? logpath_default_v3 :
		    logpath_default_v2;
	memset(&ti, 0, sizeof ti);
	ti.dag_id = f->t.dag_id;
	ti.run_id = f->t.run_id;
	ti.task_id = f->t.task_id;
	ti.map_index = f->t.map_index;
	ti.try_number = f->t.try_number;
	ti.ts = f->t.ts;
	if (logpath_render(tmpl, &ti, &rel, err) != 0) {
		buf_free(&rel);
		return -1;
	}
	buf_puts(&path, folder);
	while (path.len > 1 && path.data[path.len - 1] == '/')
		path.data[--path.len] = '\0';
	buf_printf(&path, "/%s", buf_str(&rel));
	buf_free(&rel);
	f->path = buf_detach(&path);
	f->source = xstrdup(f->path);
	f->fd = -1;
	f->following = f->t.running;
	/* Airflow 3 writes JSON lines; Airflow 2 plain text. */
	f->conv = f->t.major >= 3 ? CONV_NDJSON : CONV_RAW;
	f->timer = loop_timer_new(f->loop, file_tick, f);
	loop_timer_set(f->timer, 0);
	return 0;
}

/* --- life ------------------------------------------------------------------ */

struct logfetch *
logfetch_start(struct loop *loop, struct airflow_api *api,
    const char *log_folder, const struct log_target *t, logfetch_cb cb,
    void *arg, struct buf *err)
{
	struct logfetch *f;

	if (api == NULL && (log_folder == NULL || *log_folder == '\0')) {
		buf_puts(err, "no log source: set airflow_api or log_folder in "
		    "the context");
		return NULL;
	}
	f = xcalloc(1, sizeof *f);
	f->loop = loop;
	f->api = api;
	f->fd = -1;
	f->cb = cb;
	f->arg = arg;
	f->t = *t;
	f->t.dag_id = xstrdup(t->dag_id);
	f->t.run_id = xstrdup(t->run_id);
	f->t.task_id = xstrdup(t->task_id);
	f->t.log_template = dup_or_null(t->log_template);
	f->t.ts = dup_or_null(t->ts);
	if (f->t.try_number < 1)
		f->t.try_number = 1;
	logtext_ndjson_init(&f->nd);
	if (logspool_open(&f->spool, err) != 0) {
		logfetch_free(f);
		return NULL;
	}
	logspool_set_max(&f->spool, (uint64_t)(t->spool_max_mib > 0 ?
	    t->spool_max_mib : LOG_SPOOL_MAX_DEFAULT) << 20);
	f->state = LOGF_LOADING;
	f->start_ms = loop_now_ms();
	if (api != NULL) {
		/* From the loop: no callback before this returns. */
		f->timer = loop_timer_new(loop, poll_due, f);
		loop_timer_set(f->timer, 0);
	} else if (file_start(f, log_folder, err) != 0) {
		logfetch_free(f);
		return NULL;
	}
	return f;
}

void
logfetch_free(struct logfetch *f)
{
	if (f == NULL)
		return;
	airflow_api_cancel(f->call);
	if (f->timer != NULL)
		loop_timer_free(f->timer);
	if (f->fd >= 0)
		close(f->fd);
	logspool_close(&f->spool);
	logtext_ndjson_free(&f->nd);
	buf_free(&f->doc);
	buf_free(&f->out);
	buf_free(&f->error);
	free((char *)f->t.dag_id);
	free((char *)f->t.run_id);
	free((char *)f->t.task_id);
	free((char *)f->t.log_template);
	free((char *)f->t.ts);
	free(f->token);
	free(f->source);
	free(f->path);
	free(f);
}

struct logspool *
logfetch_spool(struct logfetch *f)
{
	return &f->spool;
}

enum logfetch_state
logfetch_state(const struct logfetch *f)
{
	return f->state;
}

const char *
logfetch_error(const struct logfetch *f)
{
	return buf_str(&f->error);
}

long
logfetch_status(const struct logfetch *f)
{
	return f->status;
}

const char *
logfetch_source(const struct logfetch *f)
{
	return f->source != NULL ? f->source : "";
}

void
logfetch_times(const struct logfetch *f, int64_t *start_ms,
    int64_t *first_data_ms)
{
	*start_ms = f->start_ms;
	*first_data_ms = f->first_data_ms;
}

void
logfetch_stop_following(struct logfetch *f)
{
	struct stat st;

	if (!f->following || f->last_poll)
		return;
	f->last_poll = true;
	/* Up to the size the file has now, not what is written after. */
	if (f->fd >= 0 && fstat(f->fd, &st) == 0)
		f->file_end = (uint64_t)st.st_size;
	/* Read what the end of the task wrote, once more, now. */
	if (f->call == NULL && f->state != LOGF_FAILED)
		loop_timer_set(f->timer, 0);
}
