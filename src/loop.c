/* loop.c: poll() event loop with timers. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "loop.h"

struct loop_fd {
	struct loop	*loop;
	int		 fd;
	int		 events;
	loop_fd_cb	 cb;
	void		*arg;
	bool		 dead;
	struct loop_fd	*next;
};

struct loop_timer {
	struct loop		*loop;
	int64_t			 due;	/* ms; < 0 when not armed */
	loop_timer_cb		 cb;
	void			*arg;
	bool			 dead;
	struct loop_timer	*next;
};

struct loop {
	struct loop_fd		*fds;
	struct loop_timer	*timers;
	bool			 stop;
	int			 depth;	/* > 0 while dispatching */
	struct pollfd		*pfd;	/* poll()'s array, reused */
	struct loop_fd		**who;
	size_t			 cap;
	bool			 catching;	/* owns the signal pipe */
};

#define LOOP_SIGNALS_MAX 8

/* The process's one self-pipe and the handlers it replaced. */
static int		 sig_pipe[2] = { -1, -1 };
static int		 sig_nums[LOOP_SIGNALS_MAX];
static struct sigaction	 sig_old[LOOP_SIGNALS_MAX];
static int		 sig_n;
static loop_signal_cb	 sig_cb;
static void		*sig_arg;

static void	signals_release(void);

int64_t
loop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct loop *
loop_new(void)
{
	return xcalloc(1, sizeof(struct loop));
}

/* Frees the entries marked dead; only outside dispatch. */
static void
loop_reap(struct loop *l)
{
	struct loop_fd		**fp = &l->fds, *f;
	struct loop_timer	**tp = &l->timers, *t;

	while ((f = *fp) != NULL) {
		if (f->dead) {
			*fp = f->next;
			free(f);
		} else
			fp = &f->next;
	}
	while ((t = *tp) != NULL) {
		if (t->dead) {
			*tp = t->next;
			free(t);
		} else
			tp = &t->next;
	}
}

void
loop_free(struct loop *l)
{
	struct loop_fd		*f;
	struct loop_timer	*t;

	if (l == NULL)
		return;
	if (l->catching)
		signals_release();
	while ((f = l->fds) != NULL) {
		l->fds = f->next;
		free(f);
	}
	while ((t = l->timers) != NULL) {
		l->timers = t->next;
		free(t);
	}
	free(l->pfd);
	free(l->who);
	free(l);
}

void
loop_break(struct loop *l)
{
	l->stop = true;
}

struct loop_fd *
loop_fd_add(struct loop *l, int fd, int events, loop_fd_cb cb, void *arg)
{
	struct loop_fd *f = xcalloc(1, sizeof *f);

	/* Whatever the loop watches is dagtop's alone: closed on exec. */
	fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC);
	f->loop = l;
	f->fd = fd;
	f->events = events;
	f->cb = cb;
	f->arg = arg;
	f->next = l->fds;
	l->fds = f;
	return f;
}

void
loop_fd_set_events(struct loop_fd *f, int events)
{
	f->events = events;
}

void
loop_fd_del(struct loop_fd *f)
{
	if (f == NULL)
		return;
	f->dead = true;
	f->cb = NULL;
	if (f->loop->depth == 0)
		loop_reap(f->loop);
}

struct loop_timer *
loop_timer_new(struct loop *l, loop_timer_cb cb, void *arg)
{
	struct loop_timer *t = xcalloc(1, sizeof *t);

	t->loop = l;
	t->due = -1;
	t->cb = cb;
	t->arg = arg;
	t->next = l->timers;
	l->timers = t;
	return t;
}

void
loop_timer_set(struct loop_timer *t, int64_t delay_ms)
{
	t->due = loop_now_ms() + (delay_ms > 0 ? delay_ms : 0);
}

void
loop_timer_stop(struct loop_timer *t)
{
	t->due = -1;
}

bool
loop_timer_pending(const struct loop_timer *t)
{
	return t->due >= 0;
}

void
loop_timer_free(struct loop_timer *t)
{
	if (t == NULL)
		return;
	t->dead = true;
	t->due = -1;
	if (t->loop->depth == 0)
		loop_reap(t->loop);
}

/* Fires due timers; returns the ms until the next one, or -1 for none. */
static int
loop_fire_timers(struct loop *l)
{
	struct loop_timer	*t;
	int64_t			 now = loop_now_ms(), next = -1;

	for (t = l->timers; t != NULL; t = t->next) {
		if (t->dead || t->due < 0 || t->due > now)
			continue;
		t->due = -1;
		t->cb(t, t->arg);
	}
	now = loop_now_ms();
	for (t = l->timers; t != NULL; t = t->next) {
		if (t->dead || t->due < 0)
			continue;
		if (next < 0 || t->due - now < next)
			next = t->due > now ? t->due - now : 0;
	}
	return next > 60000 ? 60000 : (int)next;
}

/*
 * One pass: fires due timers, waits in poll() for the next event or timer,
 * and dispatches what is ready.  Returns 1 if there is more to wait for, 0
 * when nothing could ever wake it, -1 if poll() failed.
 */
int
loop_run_once(struct loop *l)
{
	struct loop_fd	*f;
	size_t		 n, i;
	int		 timeout, rc;

	l->depth++;
	timeout = loop_fire_timers(l);
	l->depth--;
	loop_reap(l);
	if (l->stop)
		return 1;
	n = 0;
	for (f = l->fds; f != NULL; f = f->next)
		n++;
	if (n == 0 && timeout < 0)
		return 0;
	if (n > l->cap) {
		l->cap = n;
		l->pfd = xreallocarray(l->pfd, l->cap, sizeof *l->pfd);
		l->who = xreallocarray(l->who, l->cap, sizeof *l->who);
	}
	n = 0;
	for (f = l->fds; f != NULL; f = f->next) {
		l->pfd[n].fd = f->fd;
		l->pfd[n].events = (short)f->events;
		l->pfd[n].revents = 0;
		l->who[n++] = f;
	}
	rc = poll(l->pfd, n, timeout);
	if (rc < 0)
		return errno == EINTR ? 1 : -1;
	l->depth++;
	for (i = 0; i < n && !l->stop; i++) {
		if (l->pfd[i].revents == 0 || l->who[i]->dead)
			continue;
		l->who[i]->cb(l->who[i], l->pfd[i].revents, l->who[i]->arg);
	}
	l->depth--;
	loop_reap(l);
	return 1;
}

int
loop_run(struct loop *l)
{
	int rc;

	l->stop = false;
	while (!l->stop) {
		rc = loop_run_once(l);
		if (rc <= 0)
			return rc;
	}
	return 0;
}

/* --- signals: a self-pipe, so that handlers only write a byte ------------ */

static void
signal_caught(int signo)
{
	unsigned char	b = (unsigned char)signo;
	int		saved = errno;

	(void)!write(sig_pipe[1], &b, 1);
	errno = saved;
}

static void
signal_pipe_ready(struct loop_fd *f, int revents, void *arg)
{
	unsigned char	b[16];
	ssize_t		n, i;

	(void)f;
	(void)revents;
	(void)arg;
	while ((n = read(sig_pipe[0], b, sizeof b)) > 0)
		for (i = 0; i < n; i++)
			sig_cb(b[i], sig_arg);
}

int
loop_signals(struct loop *l, const int *sigs, int n, loop_signal_cb cb,
    void *arg)
{
	struct sigaction	sa;
	int			i;

	if (sig_pipe[0] >= 0 || n > LOOP_SIGNALS_MAX) {
		errno = EBUSY;
		return -1;
	}
	if (pipe(sig_pipe) != 0) {
		sig_pipe[0] = sig_pipe[1] = -1;
		return -1;
	}
	for (i = 0; i < 2; i++) {
		fcntl(sig_pipe[i], F_SETFL, O_NONBLOCK | fcntl(sig_pipe[i],
		    F_GETFL));
		fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC);
	}
	sig_cb = cb;
	sig_arg = arg;
	l->catching = true;
	loop_fd_add(l, sig_pipe[0], POLLIN, signal_pipe_ready, NULL);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = signal_caught;
	sigemptyset(&sa.sa_mask);
	for (sig_n = 0; sig_n < n; sig_n++) {
		sig_nums[sig_n] = sigs[sig_n];
		sigaction(sigs[sig_n], &sa, &sig_old[sig_n]);
	}
	return 0;
}

/* The old handlers back, then the pipe closed (in that order). */
static void
signals_release(void)
{
	int i;

	for (i = 0; i < sig_n; i++)
		sigaction(sig_nums[i], &sig_old[i], NULL);
	sig_n = 0;
	close(sig_pipe[0]);
	close(sig_pipe[1]);
	sig_pipe[0] = sig_pipe[1] = -1;
	sig_cb = NULL;
	sig_arg = NULL;
}
