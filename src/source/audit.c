/*
 * audit.c: see audit.h.  One write(2) per line on a file opened with
 * O_APPEND, so lines from two dagtop processes never interleave.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "audit.h"
#include "sanitize.h"

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
	const char	*x = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	struct buf	 b = BUF_INIT;

	if (env != NULL && *env != '\0')
		return xstrdup(env);
	if (x != NULL && x[0] == '/')
		buf_printf(&b, "%s/dagtop/audit.log", x);
	else if (home != NULL && *home != '\0')
		buf_printf(&b, "%s/.local/state/dagtop/audit.log", home);
	else
		return NULL;
	return buf_detach(&b);
}

/* Makes the folders of path with mode 0700 (those that are missing). */
static void
make_parents(char *path)
{
	char *p = path + 1;

	while ((p = strchr(p, '/')) != NULL) {
		*p = '\0';
		mkdir(path, 0700);
		*p++ = '/';
	}
}

static const char *
local_user(void)
{
	struct passwd *pw = getpwuid(getuid());

	if (pw != NULL && pw->pw_name != NULL)
		return pw->pw_name;
	return getenv("USER") != NULL ? getenv("USER") : "?";
}

int
audit_clear(const struct audit_clear *e, struct buf *err)
{
	json_t		*doc = json_object(), *asked = json_array();
	json_t		*cleared = json_array();
	char		*path = audit_path(), *line;
	char		 when[32];
	time_t		 now = time(NULL);
	struct tm	 tm;
	int		 fd, rc = 0;
	size_t		 i, len;

	if (path == NULL) {
		buf_puts(err, "no place for the audit log (HOME is not set)");
		json_decref(doc);
		json_decref(asked);
		json_decref(cleared);
		return -1;
	}
	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	for (i = 0; i < e->asked->ntasks; i++) {
		int mi = e->asked->map_indexes != NULL ?
		    e->asked->map_indexes[i] : -1;

		json_array_append_new(asked, mi >= 0 ?
		    json_pack("{s:o, s:i}", "task_id", jstr(e->asked->task_ids[i]),
		    "map_index", mi) : json_pack("{s:o}", "task_id",
		    jstr(e->asked->task_ids[i])));
	}
	if (e->cleared != NULL)
		for (i = 0; i < e->cleared->n; i++) {
			const struct clear_ti *t = &e->cleared->v[i];

			json_array_append_new(cleared, t->map_index >= 0 ?
			    json_pack("{s:o, s:i}", "task_id", jstr(t->task_id),
			    "map_index", t->map_index) :
			    json_pack("{s:o}", "task_id", jstr(t->task_id)));
		}
	json_object_set_new(doc, "time", json_string(when));
	json_object_set_new(doc, "user", json_string(local_user()));
	json_object_set_new(doc, "context", jstr(e->context));
	json_object_set_new(doc, "api", jstr(e->api_url));
	json_object_set_new(doc, "action", json_string("clear"));
	json_object_set_new(doc, "dag_id", jstr(e->dag_id));
	json_object_set_new(doc, "run_id", jstr(e->run_id));
	json_object_set_new(doc, "tasks", asked);
	json_object_set_new(doc, "include_downstream",
	    json_boolean(e->asked->include_downstream));
	json_object_set_new(doc, "only_failed",
	    json_boolean(e->asked->only_failed));
	json_object_set_new(doc, "cleared", cleared);
	json_object_set_new(doc, "count", json_integer(e->cleared != NULL ?
	    (json_int_t)e->cleared->n : 0));
	json_object_set_new(doc, "result", jstr(e->result));
	/* Ids from outside may not be valid UTF-8: jansson then refuses. */
	line = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER |
	    JSON_ENSURE_ASCII);
	json_decref(doc);
	if (line == NULL) {
		buf_puts(err, "cannot encode the audit line");
		free(path);
		return -1;
	}
	make_parents(path);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY,
	    0600);
	if (fd < 0) {
		buf_printf(err, "cannot open the audit log %s: %s", path,
		    strerror(errno));
		rc = -1;
	} else {
		struct stat st;

		/* An old file with looser permissions is tightened. */
		if (fstat(fd, &st) == 0 && (st.st_mode & 077) != 0)
			fchmod(fd, 0600);
		len = strlen(line);
		line[len] = '\n';
		if (write(fd, line, len + 1) != (ssize_t)(len + 1)) {
			buf_printf(err, "cannot write the audit log %s: %s",
			    path, strerror(errno));
			rc = -1;
		}
		line[len] = '\0';
		close(fd);
	}
	free(line);
	free(path);
	return rc;
}
