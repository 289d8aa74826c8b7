/*
 * filterspec.c: the / filter's text split into state: words and the
 * regular expression left (filterspec.h).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "filterspec.h"

#define STATE_WORD	"state:"

/*
 * Adds the states of one comma-separated list to s; -1, with the name in
 * err, when one is neither a task-instance nor a DAG-run state.
 */
static int
add_states(struct filter_spec *s, const char *list, size_t len,
    struct buf *err)
{
	char		*name;
	size_t		 n;
	enum ti_state	 t;
	enum run_state	 r;
	bool		 known;

	s->states = true;
	for (;;) {
		n = strcspn(list, ",");
		if (n > len)
			n = len;
		name = xstrndup(list, n);
		t = ti_state_parse(name);
		r = run_state_parse(name);
		known = false;
		if (*name != '\0' && t != TI_UNKNOWN &&
		    strcmp(ti_state_name(t), name) == 0) {
			s->ti_states |= 1u << t;
			known = true;
		}
		if (*name != '\0' && r != RUN_UNKNOWN &&
		    strcmp(run_state_name(r), name) == 0) {
			s->run_states |= 1u << r;
			known = true;
		}
		if (!known) {
			if (*name == '\0')
				buf_puts(err, "state: needs a state name "
				    "(state:failed, state:failed,running)");
			else
				buf_printf(err, "unknown state '%s' "
				    "(state:failed, state:running, "
				    "state:upstream_failed ...)", name);
			free(name);
			return -1;
		}
		free(name);
		if (n == len)
			return 0;
		list += n + 1;
		len -= n + 1;
	}
}

int
filter_spec_parse(const char *text, struct filter_spec *s, struct buf *err)
{
	struct buf	 rest = BUF_INIT;
	const char	*p = text != NULL ? text : "", *w;
	size_t		 len;

	memset(s, 0, sizeof *s);
	p += strspn(p, " \t");
	while (*p != '\0') {
		w = p;
		len = strcspn(w, " \t");
		if (len > strlen(STATE_WORD) &&
		    strncmp(w, STATE_WORD, strlen(STATE_WORD)) == 0) {
			if (add_states(s, w + strlen(STATE_WORD),
			    len - strlen(STATE_WORD), err) != 0) {
				buf_free(&rest);
				memset(s, 0, sizeof *s);
				return -1;
			}
			p = w + len;
			p += strspn(p, " \t");	/* the word and its blanks */
			continue;
		}
		if (len == strlen(STATE_WORD) &&
		    strncmp(w, STATE_WORD, len) == 0) {
			buf_puts(err, "state: needs a state (state:failed)");
			buf_free(&rest);
			memset(s, 0, sizeof *s);
			return -1;
		}
		/* Anything else stays as typed, blanks inside included. */
		len += strspn(w + len, " \t");
		buf_append(&rest, w, len);
		p = w + len;
	}
	while (rest.len > 0 && isspace((unsigned char)rest.data[rest.len - 1]))
		rest.len--;
	s->pattern = xstrndup(rest.len > 0 ? rest.data : "", rest.len);
	buf_free(&rest);
	return 0;
}

void
filter_spec_free(struct filter_spec *s)
{
	free(s->pattern);
	memset(s, 0, sizeof *s);
}

bool
filter_spec_ti(const struct filter_spec *s, enum ti_state t)
{
	return !s->states || ((unsigned)t < 32 && (s->ti_states & (1u << t)));
}

bool
filter_spec_run(const struct filter_spec *s, enum run_state r)
{
	return !s->states || ((unsigned)r < 32 && (s->run_states & (1u << r)));
}
