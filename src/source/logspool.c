/*
 * logspool.c: see logspool.h.  Reads go through one window of WIN bytes
 * starting at the block that holds the line asked for, so drawing a
 * screenful costs one pread, and paging moves the window.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "logspool.h"

#define WIN	(256u << 10)

int
logspool_open(struct logspool *s, struct buf *err)
{
	const char	*dir = getenv("TMPDIR");
	struct buf	 path = BUF_INIT;
	mode_t		 old;

	memset(s, 0, sizeof *s);
	s->fd = -1;
	logindex_init(&s->idx);
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	buf_printf(&path, "%s/dagtop-log.XXXXXX", dir);
	old = umask(077);
	s->fd = mkstemp(path.data);
	umask(old);
	if (s->fd < 0) {
		buf_printf(err, "cannot make a temporary file in %s: %s", dir,
		    strerror(errno));
		buf_free(&path);
		return -1;
	}
	/* Nobody else can open it, and it goes away with us. */
	unlink(path.data);
	fcntl(s->fd, F_SETFD, FD_CLOEXEC);
	buf_free(&path);
	return 0;
}

void
logspool_close(struct logspool *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	logindex_free(&s->idx);
	free(s->win);
	s->win = NULL;
	buf_free(&s->line);
}

void
logspool_reset(struct logspool *s)
{
	if (s->fd >= 0 && ftruncate(s->fd, 0) != 0) {
		/* Keep the old bytes; the index no longer points at them. */
	}
	s->size = 0;
	logindex_reset(&s->idx);
	s->win_len = 0;
	s->win_off = 0;
	s->found_ok = false;
	s->cut = false;
	s->cut_at = 0;
}

void
logspool_set_max(struct logspool *s, uint64_t max)
{
	struct statvfs	vs;
	uint64_t	half;

	s->max = max;
	s->max_by_space = false;
	/* Never more than half of what the temporary folder has free. */
	if (s->fd >= 0 && fstatvfs(s->fd, &vs) == 0) {
		half = (uint64_t)vs.f_bavail * (uint64_t)vs.f_frsize / 2;
		if (half < s->max) {
			s->max = half;
			s->max_by_space = true;
		}
	}
	if (s->max < (1u << 20))
		s->max = 1u << 20;
}

static int
write_at_end(struct logspool *s, const char *data, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pwrite(s->fd, data + done, len - done,
		    (off_t)(s->size + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	/* Bytes now in the file may belong to the window's last line. */
	if (s->win_len > 0 && s->win_off + s->win_len >= s->size)
		s->win_len = 0;
	s->size += len;
	return logindex_feed(&s->idx, data, len);
}

int
logspool_append(struct logspool *s, const char *data, size_t len)
{
	struct buf	mark = BUF_INIT;
	size_t		room;
	int		rc;

	if (s->cut)
		return 1;
	if (s->max == 0 || s->size + len <= s->max)
		return write_at_end(s, data, len);
	/* The cap: what fits, then a line that says the rest is not here. */
	room = s->size < s->max ? (size_t)(s->max - s->size) : 0;
	if (room > 0 && write_at_end(s, data, room) != 0)
		return -1;
	s->cut = true;
	s->cut_at = s->size;
	/* Cut inside a line: the mark on a line of its own. */
	if (s->size > 0 && s->idx.last != s->idx.total)
		buf_putc(&mark, '\n');
	buf_printf(&mark, "\xe2\x80\xa6 the log was cut here, after %llu MB: "
	    "%s\n", (unsigned long long)(s->cut_at >> 20), s->max_by_space ?
	    "half the free space of the temporary folder" :
	    "log_spool_max (dagtop.conf(5))");
	rc = write_at_end(s, mark.data, mark.len);
	buf_free(&mark);
	return rc != 0 ? -1 : 1;
}

bool
logspool_cut(const struct logspool *s)
{
	return s->cut;
}

size_t
logspool_lines(const struct logspool *s)
{
	return logindex_count(&s->idx);
}

uint64_t
logspool_bytes(const struct logspool *s)
{
	return s->size;
}

static int
read_at(int fd, char *dst, size_t len, uint64_t off, size_t *got)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, dst + done, len - done,
		    (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	*got = done;
	return 0;
}

/*
 * Makes the window hold bytes [off, off + len) of the file (len <= WIN / 2),
 * starting a little before so that paging up reuses it.  NULL when the file
 * cannot be read or is shorter.
 */
static const char *
window(struct logspool *s, uint64_t off, size_t len)
{
	if (s->win_len == 0 || off < s->win_off ||
	    off + len > s->win_off + s->win_len) {
		if (s->win == NULL) {
			s->win = xmalloc(WIN);
			s->win_cap = WIN;
		}
		s->win_off = off > WIN / 4 ? off - WIN / 4 : 0;
		if (read_at(s->fd, s->win, s->win_cap, s->win_off,
		    &s->win_len) != 0) {
			s->win_len = 0;
			return NULL;
		}
		if (off + len > s->win_off + s->win_len) {
			s->win_len = 0;
			return NULL;
		}
	}
	return s->win + (off - s->win_off);
}

/* Line i's offset and length, from its mark or the line found last. */
static int
find_line(struct logspool *s, size_t i, uint64_t *off, uint64_t *len)
{
	struct logindex_span	 sp;
	uint64_t		 from_line, from_off, want;
	const char		*buf;

	logindex_span(&s->idx, i, &sp);
	from_line = sp.line;
	from_off = sp.off;
	if (s->found_ok && s->found_line >= sp.line && s->found_line <= i &&
	    s->found_line < sp.next_line) {
		/* Reading on, as a scan or a screenful does. */
		from_line = s->found_line;
		from_off = s->found_off;
	}
	/* Every start in the stretch is within LOGINDEX_SPAN of its mark. */
	want = sp.off + LOGINDEX_SPAN;
	if (want > sp.end + 1)
		want = sp.end + 1;
	if (want > s->size)
		want = s->size;
	if (want < from_off)
		want = from_off;
	buf = window(s, from_off, (size_t)(want - from_off));
	if (buf == NULL || logindex_locate(&sp, i, from_line, from_off, buf,
	    (size_t)(want - from_off), from_off, off, len) != 0)
		return -1;
	s->found_ok = true;
	s->found_line = i;
	s->found_off = *off;
	return 0;
}

const char *
logspool_line(struct logspool *s, size_t i, size_t max, size_t *len,
    uint64_t *full_len)
{
	uint64_t	off, l;
	size_t		want, got;

	if (i >= logspool_lines(s) || s->fd < 0)
		return NULL;
	if (find_line(s, i, &off, &l) != 0)
		return NULL;
	*full_len = l;
	want = l < max ? (size_t)l : max;
	*len = want;
	if (want == 0)
		return "";
	if (want > WIN / 2) {
		/* A long line: read it on its own. */
		if (s->line.cap < want + 1) {
			s->line.data = xrealloc(s->line.data, want + 1);
			s->line.cap = want + 1;
		}
		if (read_at(s->fd, s->line.data, want, off, &got) != 0)
			return NULL;
		s->line.len = got;
		s->line.data[got] = '\0';
		*len = got;
		return s->line.data;
	}
	return window(s, off, want);
}
