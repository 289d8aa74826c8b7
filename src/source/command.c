/*
 * command.c: a child process whose output the loop collects (command.h).
 * The child gets its own process group so that a timeout kills what the
 * shell started too.  The parent reaps it with waitpid(WNOHANG) once both
 * pipes are closed, polling briefly: the child closes its pipes when it
 * exits, so that wait is short.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "command.h"
#include "loop.h"

#define OUT_MAX	(256u << 10)

struct command {
	struct loop		*loop;
	pid_t			 pid;
	struct loop_fd		*out_fd, *err_fd;
	int			 out, err;
	struct buf		 stdout_text;
	struct buf		 stderr_text;
	struct loop_timer	*timer;
	int64_t			 deadline;
	bool			 timed_out;
	command_done_cb		 done;
	void			*arg;
};

void
command_close_fds(void)
{
	long	max;
	int	fd;

#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3u, ~0u, 0u) == 0)
		return;
#endif
	max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (fd = 3; fd < max; fd++)
		close(fd);
}

/* A pipe whose two ends are closed on exec. */
static int
cloexec_pipe(int p[2])
{
	if (pipe(p) != 0)
		return -1;
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	fcntl(p[1], F_SETFD, FD_CLOEXEC);
	return 0;
}

FILE *
command_popen(const char *cmdline, bool to_child, pid_t *pid)
{
	int	 p[2];
	FILE	*fp;

	fflush(NULL);
	if (cloexec_pipe(p) != 0)
		return NULL;
	*pid = fork();
	if (*pid < 0) {
		close(p[0]);
		close(p[1]);
		return NULL;
	}
	if (*pid == 0) {
		/* dup2 clears close-on-exec on the copy. */
		dup2(to_child ? p[0] : p[1], to_child ? STDIN_FILENO :
		    STDOUT_FILENO);
		command_close_fds();
		signal(SIGPIPE, SIG_DFL);
		execl("/bin/sh", "sh", "-c", cmdline, (char *)NULL);
		_exit(127);
	}
	close(to_child ? p[0] : p[1]);
	fp = fdopen(to_child ? p[1] : p[0], to_child ? "w" : "r");
	if (fp == NULL) {
		close(to_child ? p[1] : p[0]);
		command_pclose(NULL, *pid);
	}
	return fp;
}

int
command_pclose(FILE *fp, pid_t pid)
{
	int status;

	if (fp != NULL)
		fclose(fp);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}

static void
command_free(struct command *c)
{
	if (c->out_fd != NULL)
		loop_fd_del(c->out_fd);
	if (c->err_fd != NULL)
		loop_fd_del(c->err_fd);
	if (c->out >= 0)
		close(c->out);
	if (c->err >= 0)
		close(c->err);
	loop_timer_free(c->timer);
	buf_wipe(&c->stdout_text);
	buf_wipe(&c->stderr_text);
	free(c);
}

static void
finish(struct command *c, int status)
{
	struct buf why = BUF_INIT;
	const char *err = buf_str(&c->stderr_text);
	size_t errlen = strcspn(err, "\n");

	if (c->timed_out)
		buf_puts(&why, "timed out");
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		while (c->stdout_text.len > 0 &&
		    (c->stdout_text.data[c->stdout_text.len - 1] == '\n' ||
		    c->stdout_text.data[c->stdout_text.len - 1] == '\r'))
			c->stdout_text.data[--c->stdout_text.len] = '\0';
		if (c->stdout_text.len == 0)
			buf_puts(&why, "printed nothing");
	} else if (WIFEXITED(status))
		buf_printf(&why, "exited with status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		buf_printf(&why, "killed by signal %d", WTERMSIG(status));
	else
		buf_puts(&why, "ended abnormally");
	if (why.len > 0 && errlen > 0)
		buf_printf(&why, ": %.*s", (int)(errlen > 200 ? 200 : errlen),
		    err);
	if (why.len == 0)
		c->done(c->arg, buf_str(&c->stdout_text), NULL);
	else
		c->done(c->arg, NULL, buf_str(&why));
	buf_free(&why);
	command_free(c);
}

/* Reaps the child once both pipes are closed. */
static void
reap(struct loop_timer *t, void *arg)
{
	struct command *c = arg;
	int status = 0;
	pid_t r;

	if (c->out >= 0 || c->err >= 0) {
		if (loop_now_ms() >= c->deadline) {
			c->timed_out = true;
			kill(-c->pid, SIGKILL);
			/* Pipes close when the group dies. */
		}
		loop_timer_set(t, 100);
		return;
	}
	r = waitpid(c->pid, &status, WNOHANG);
	if (r == 0) {
		if (loop_now_ms() >= c->deadline) {
			c->timed_out = true;
			kill(-c->pid, SIGKILL);
		}
		loop_timer_set(t, 10);
		return;
	}
	if (r < 0 && errno == EINTR) {
		loop_timer_set(t, 0);
		return;
	}
	finish(c, r < 0 ? 0x7f00 : status);
}

static void
readable(struct loop_fd *f, int revents, void *arg)
{
	struct command *c = arg;
	bool is_out = f == c->out_fd;
	int *fd = is_out ? &c->out : &c->err;
	struct buf *b = is_out ? &c->stdout_text : &c->stderr_text;
	char tmp[4096];
	ssize_t n;

	(void)revents;
	n = read(*fd, tmp, sizeof tmp);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n > 0) {
		if (b->len + (size_t)n <= OUT_MAX)
			buf_append(b, tmp, (size_t)n);
		memset(tmp, 0, sizeof tmp);
		return;
	}
	loop_fd_del(f);
	close(*fd);
	*fd = -1;
	if (is_out)
		c->out_fd = NULL;
	else
		c->err_fd = NULL;
	if (c->out < 0 && c->err < 0)
		loop_timer_set(c->timer, 0);
}

struct command *
command_run(struct loop *loop, const char *cmdline, int timeout_ms,
    command_done_cb done, void *arg)
{
	struct command *c;
	int po[2], pe[2];

	if (cloexec_pipe(po) != 0)
		return NULL;
	if (cloexec_pipe(pe) != 0) {
		close(po[0]);
		close(po[1]);
		return NULL;
	}
	c = xcalloc(1, sizeof *c);
	c->loop = loop;
	c->done = done;
	c->arg = arg;
	c->deadline = loop_now_ms() + (timeout_ms > 0 ? timeout_ms : 30000);
	c->pid = fork();
	if (c->pid < 0) {
		close(po[0]); close(po[1]); close(pe[0]); close(pe[1]);
		free(c);
		return NULL;
	}
	if (c->pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		setpgid(0, 0);
		if (null >= 0)
			dup2(null, STDIN_FILENO);
		dup2(po[1], STDOUT_FILENO);
		dup2(pe[1], STDERR_FILENO);
		/* Nothing of dagtop's (sockets, files, pipes) reaches it. */
		command_close_fds();
		signal(SIGPIPE, SIG_DFL);
		execl("/bin/sh", "sh", "-c", cmdline, (char *)NULL);
		_exit(127);
	}
	setpgid(c->pid, c->pid);
	close(po[1]);
	close(pe[1]);
	c->out = po[0];
	c->err = pe[0];
	fcntl(c->out, F_SETFL, fcntl(c->out, F_GETFL) | O_NONBLOCK);
	fcntl(c->err, F_SETFL, fcntl(c->err, F_GETFL) | O_NONBLOCK);
	fcntl(c->out, F_SETFD, FD_CLOEXEC);
	fcntl(c->err, F_SETFD, FD_CLOEXEC);
	c->out_fd = loop_fd_add(loop, c->out, POLLIN, readable, c);
	c->err_fd = loop_fd_add(loop, c->err, POLLIN, readable, c);
	c->timer = loop_timer_new(loop, reap, c);
	loop_timer_set(c->timer, timeout_ms > 0 ? timeout_ms : 30000);
	return c;
}

void
command_cancel(struct command *c)
{
	int status;

	if (c == NULL)
		return;
	kill(-c->pid, SIGKILL);
	waitpid(c->pid, &status, 0);
	command_free(c);
}
