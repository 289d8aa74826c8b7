/*
 * audit.c: see audit.h.  One write(2) per line on a file opened with
 * O_APPEND, so lines from two dagtop processes never interleave; each
 * line is fsync'd before audit_write returns.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "audit.h"
#include "sanitize.h"
#include "secret.h"
#include "xdg.h"

/* A JSON string; text that is not UTF-8 is sanitised rather than lost. */
static json_t *
jstr(const char *s)
{
	json_t	*j;
	char	*clean;

	if (s == NULL)
		return json_null();
	if ((j = json_string(s)) != NULL)
		return j;
	clean = sanitize_dup(s, SAN_SHOW_ESCAPES);
	j = json_string(clean);
	free(clean);
	return j != NULL ? j : json_string("?");
}

char *
audit_path(void)
{
	const char	*env = getenv("DAGTOP_AUDIT_LOG");

	if (env != NULL && *env != '\0')
		return xstrdup(env);
	return xdg_path(XDG_STATE, "audit.log");
}

/* fsyncs a folder, so that an entry made in it survives a crash. */
static void
sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

/*
 * Makes the folders of path with mode 0700 (those that are missing), each
 * made one synced in its parent.
 */
static void
make_parents(char *path)
{
	char *p = path + 1, *slash;

	while ((p = strchr(p, '/')) != NULL) {
		*p = '\0';
		if (mkdir(path, 0700) == 0 &&
		    (slash = strrchr(path, '/')) != NULL) {
			if (slash == path)
				sync_dir("/");
			else {
				*slash = '\0';
				sync_dir(path);
				*slash = '/';
			}
		}
		*p++ = '/';
	}
}

/* Opens the log for appending; created says whether it is new. */
static int
open_log(char *path, bool *created, struct buf *err)
{
	struct stat	st;
	int		fd;

	make_parents(path);
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOCTTY);
	*created = false;
	if (fd < 0 && errno == ENOENT) {
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND |
		    O_CLOEXEC | O_NOCTTY, 0600);
		if (fd < 0 && errno == EEXIST)	/* another dagtop made it */
			fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC |
			    O_NOCTTY);
		else if (fd >= 0)
			*created = true;
	}
	if (fd < 0) {
		buf_printf(err, "cannot write the audit log %s: %s", path,
		    strerror(errno));
		return -1;
	}
	/* An old file with looser permissions is tightened. */
	if (fstat(fd, &st) == 0 && (st.st_mode & 077) != 0)
		fchmod(fd, 0600);
	return fd;
}

/* The folder of path gets the new entry synced. */
static void
sync_parent(const char *path)
{
	char	*dir = xstrdup(path), *slash = strrchr(dir, '/');

	if (slash == dir)
		sync_dir("/");
	else if (slash != NULL) {
		*slash = '\0';
		sync_dir(dir);
	} else
		sync_dir(".");
	free(dir);
}

int
audit_check(struct buf *err)
{
	char	*path = audit_path();
	bool	 created;
	int	 fd;

	if (path == NULL) {
		buf_puts(err, AUDIT_NO_PATH);
		return -1;
	}
	fd = open_log(path, &created, err);
	if (fd >= 0) {
		close(fd);
		if (created)
			sync_parent(path);
	}
	free(path);
	return fd >= 0 ? 0 : -1;
}

void
audit_new_id(char *out, size_t size)
{
	struct timespec	ts;
	struct tm	tm;
	char		when[24];
	unsigned int	rnd = 0;
	int		fd;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof when, "%Y%m%dT%H%M%SZ", &tm);
	fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read(fd, &rnd, sizeof rnd) != (ssize_t)sizeof rnd)
		rnd = (unsigned int)ts.tv_nsec ^ (unsigned int)getpid() << 16;
	if (fd >= 0)
		close(fd);
	snprintf(out, size, "%s-%ld-%08x", when, (long)getpid(), rnd);
}

static const char *
local_user(void)
{
	struct passwd *pw = getpwuid(getuid());

	if (pw != NULL && pw->pw_name != NULL)
		return pw->pw_name;
	return getenv("USER") != NULL ? getenv("USER") : "?";
}

static json_t *
ti_list(const struct clear_result *r)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; r != NULL && i < r->n; i++) {
		const struct clear_ti *t = &r->v[i];

		json_array_append_new(a, t->map_index >= 0 ?
		    json_pack("{s:o, s:i}", "task_id", jstr(t->task_id),
		    "map_index", t->map_index) :
		    json_pack("{s:o}", "task_id", jstr(t->task_id)));
	}
	return a;
}

/* The record of a clear, an intent or its outcome, as one JSON object. */
static json_t *
audit_record_json(const struct audit_clear *e, enum audit_record kind,
    const char *id)
{
	json_t		*doc, *asked;
	char		 when[32];
	struct buf	 url = BUF_INIT;
	time_t		 now = time(NULL);
	struct tm	 tm;
	size_t		 i;

	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	doc = json_object();
	asked = json_array();
	for (i = 0; i < e->asked->ntasks; i++) {
		int mi = e->asked->map_indexes != NULL ?
		    e->asked->map_indexes[i] : -1;

		json_array_append_new(asked, mi >= 0 ?
		    json_pack("{s:o, s:i}", "task_id", jstr(e->asked->task_ids[i]),
		    "map_index", mi) : json_pack("{s:o}", "task_id",
		    jstr(e->asked->task_ids[i])));
	}
	url_for_log(e->api_url, &url);
	json_object_set_new(doc, "time", json_string(when));
	json_object_set_new(doc, "id", json_string(id));
	json_object_set_new(doc, "record", json_string(kind == AUDIT_INTENT ?
	    "intent" : "outcome"));
	json_object_set_new(doc, "user", json_string(local_user()));
	json_object_set_new(doc, "pid", json_integer((json_int_t)getpid()));
	json_object_set_new(doc, "context", jstr(e->context));
	json_object_set_new(doc, "api", e->api_url != NULL ?
	    jstr(buf_str(&url)) : json_null());
	json_object_set_new(doc, "action", json_string("clear"));
	json_object_set_new(doc, "dag_id", jstr(e->dag_id));
	json_object_set_new(doc, "run_id", jstr(e->run_id));
	json_object_set_new(doc, "tasks", asked);
	json_object_set_new(doc, "include_downstream",
	    json_boolean(e->asked->include_downstream));
	json_object_set_new(doc, "only_failed",
	    json_boolean(e->asked->only_failed));
	if (kind == AUDIT_INTENT) {
		json_object_set_new(doc, "will_clear", ti_list(e->planned));
		json_object_set_new(doc, "result", json_string("intent"));
	} else if (e->result != NULL && strncmp(e->result,
	    "outcome unknown", 15) == 0) {
		/* Not 0: a reader must not take it for "nothing cleared". */
		json_object_set_new(doc, "cleared", json_null());
		json_object_set_new(doc, "count", json_null());
	} else {
		json_object_set_new(doc, "cleared", ti_list(e->cleared));
		json_object_set_new(doc, "count", json_integer(e->cleared !=
		    NULL ? (json_int_t)e->cleared->n : 0));
	}
	if (kind == AUDIT_OUTCOME)
		json_object_set_new(doc, "result", jstr(e->result));
	buf_free(&url);
	return doc;
}

/*
 * Appends line and a newline to the log at path, synced to the disk (and
 * the directory's entry when the file is new): a record must survive a
 * crash right after the clear.  line is given back as it was.
 */
static int
append_line(char *path, char *line, struct buf *err)
{
	int	fd, rc = 0;
	bool	created;
	size_t	len;

	if ((fd = open_log(path, &created, err)) < 0)
		return -1;
	len = strlen(line);
	line[len] = '\n';
	if (write(fd, line, len + 1) != (ssize_t)(len + 1) || fsync(fd) != 0) {
		buf_printf(err, "cannot write the audit log %s: %s", path,
		    strerror(errno));
		rc = -1;
	}
	line[len] = '\0';
	if (close(fd) != 0 && rc == 0) {
		buf_printf(err, "cannot write the audit log %s: %s", path,
		    strerror(errno));
		rc = -1;
	}
	if (created)
		sync_parent(path);
	return rc;
}

int
audit_write(const struct audit_clear *e, enum audit_record kind,
    struct buf *err)
{
	json_t	*doc;
	char	*path = audit_path(), *line;
	char	 id[64];
	int	 rc;

	if (path == NULL) {
		buf_puts(err, AUDIT_NO_PATH);
		return -1;
	}
	if (e->id == NULL)
		audit_new_id(id, sizeof id);
	else
		snprintf(id, sizeof id, "%s", e->id);
	doc = audit_record_json(e, kind, id);
	/* Ids from outside may not be valid UTF-8: jansson then refuses. */
	line = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER |
	    JSON_ENSURE_ASCII);
	json_decref(doc);
	if (line == NULL) {
		buf_puts(err, "cannot encode the audit line");
		free(path);
		return -1;
	}
	rc = append_line(path, line, err);
	free(line);
	free(path);
	return rc;
}

int
audit_clear(const struct audit_clear *e, struct buf *err)
{
	return audit_write(e, AUDIT_OUTCOME, err);
}
