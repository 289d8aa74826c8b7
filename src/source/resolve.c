/* resolve.c: host names looked up in threads, the loop told through a pipe. */
#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "loop.h"
#include "resolve.h"

/* Splits a comma-separated list; an empty or NULL value is one "" item. */
static char **
split_list(const char *s, size_t *n)
{
	char	**v = NULL;
	size_t	  len;

	*n = 0;
	if (s == NULL)
		s = "";
	for (;;) {
		len = strcspn(s, ",");
		v = xreallocarray(v, *n + 1, sizeof *v);
		v[(*n)++] = xstrndup(s, len);
		if (s[len] == '\0')
			return v;
		s += len + 1;
	}
}

static void
list_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* A host libpq reaches without a lookup: a socket path or a number. */
static bool
needs_lookup(const char *host)
{
	struct addrinfo	 hints, *res;

	if (*host == '\0' || *host == '/' || *host == '@')
		return false;
	memset(&hints, 0, sizeof hints);
	hints.ai_flags = AI_NUMERICHOST;	/* never asks anyone */
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, NULL, &hints, &res) == 0) {
		freeaddrinfo(res);
		return false;
	}
	return true;
}

size_t
pghosts_parse(struct pghosts *hs, const char *host, const char *hostaddr,
    const char *port)
{
	char	**hv, **av = NULL, **pv = NULL;
	size_t	  nh, na = 0, np = 0, i, need = 0;

	memset(hs, 0, sizeof *hs);
	if (host == NULL || *host == '\0')
		return 0;	/* the default host, or hostaddr alone */
	hv = split_list(host, &nh);
	if (hostaddr != NULL && *hostaddr != '\0')
		av = split_list(hostaddr, &na);
	if (port != NULL && *port != '\0')
		pv = split_list(port, &np);
	if ((av != NULL && na != nh) || (np > 1 && np != nh))
		goto out;	/* libpq refuses it, and says why */
	hs->n = nh;
	hs->h = xcalloc(nh, sizeof *hs->h);
	hs->port_list = np > 1;
	if (np == 1)
		hs->port = xstrdup(pv[0]);
	for (i = 0; i < nh; i++) {
		hs->h[i].host = xstrdup(hv[i]);
		hs->h[i].addr = xstrdup(av != NULL ? av[i] : "");
		if (np > 1)
			hs->h[i].port = xstrdup(pv[i]);
		hs->h[i].lookup = *hs->h[i].addr == '\0' &&
		    needs_lookup(hs->h[i].host);
		if (hs->h[i].lookup)
			need++;
	}
out:
	list_free(hv, nh);
	list_free(av, na);
	list_free(pv, np);
	return need;
}

void
pghosts_free(struct pghosts *hs)
{
	size_t i;

	for (i = 0; i < hs->n; i++) {
		free(hs->h[i].host);
		free(hs->h[i].addr);
		free(hs->h[i].port);
		list_free(hs->h[i].addrs, hs->h[i].naddrs);
	}
	free(hs->h);
	free(hs->port);
	memset(hs, 0, sizeof *hs);
}

/* Appends one host (of one address) to the three lists. */
static void
put_host(struct buf *host, struct buf *addr, struct buf *port,
    const struct pghost *h, const char *a)
{
	if (host->len > 0 || addr->len > 0 || port->len > 0) {
		buf_putc(host, ',');
		buf_putc(addr, ',');
		buf_putc(port, ',');
	}
	buf_puts(host, h->host);
	buf_puts(addr, a);
	if (h->port != NULL)
		buf_puts(port, h->port);
}

static bool
is_host_keyword(const char *k)
{
	return strcmp(k, "host") == 0 || strcmp(k, "hostaddr") == 0 ||
	    strcmp(k, "port") == 0;
}

int
pghosts_params(const struct pghosts *hs, const char *const *kw,
    const char *const *val, char ***kw_out, char ***val_out, struct buf *err)
{
	struct buf	 host = BUF_INIT, addr = BUF_INIT, port = BUF_INIT;
	const char	*bad = NULL;
	int		 gai = 0;
	size_t		 i, j, n, nout = 0;
	char		**k, **v;

	for (i = 0; i < hs->n; i++) {
		const struct pghost *h = &hs->h[i];

		if (!h->lookup) {
			put_host(&host, &addr, &port, h, h->addr);
			nout++;
			continue;
		}
		if (h->naddrs == 0 && bad == NULL) {
			bad = h->host;
			gai = h->gai != 0 ? h->gai : EAI_NONAME;
		}
		for (j = 0; j < h->naddrs; j++, nout++)
			put_host(&host, &addr, &port, h, h->addrs[j]);
	}
	if (nout == 0) {
		buf_reset(err);
		buf_printf(err, "cannot resolve %s: %s", bad, gai_strerror(gai));
		buf_free(&host);
		buf_free(&addr);
		buf_free(&port);
		return -1;
	}
	for (n = 0; kw[n] != NULL; n++)
		;
	k = xcalloc(n + 4, sizeof *k);
	v = xcalloc(n + 4, sizeof *v);
	for (i = j = 0; i < n; i++) {
		if (is_host_keyword(kw[i]))
			continue;
		k[j] = xstrdup(kw[i]);
		v[j++] = val[i] != NULL ? xstrdup(val[i]) : NULL;
	}
	k[j] = xstrdup("host");
	v[j++] = buf_detach(&host);
	k[j] = xstrdup("hostaddr");
	v[j++] = buf_detach(&addr);
	if (hs->port_list || hs->port != NULL) {
		k[j] = xstrdup("port");
		v[j++] = hs->port_list ? buf_detach(&port) : xstrdup(hs->port);
	}
	buf_free(&port);
	*kw_out = k;
	*val_out = v;
	return 0;
}

/*
 * The request the loop and the lookup threads share.  Each thread holds a
 * reference, and so does the loop side until it has read the answers or
 * cancelled: whoever drops the last frees the request and closes the
 * pipe.  A thread may outlive its connection by the resolver's whole
 * timeout (it cannot be interrupted); it then frees the request itself,
 * and touches nothing else.  If the process exits first, the request is
 * still reachable from the thread's stack, so LeakSanitizer does not count
 * it.
 */
struct rs_job;

struct rs_slot {
	struct rs_job	 *job;
	char		 *name;
	bool		  done;
	int		  gai;
	char		**addrs;
	size_t		  naddrs;
};

struct rs_job {
	pthread_mutex_t	 mu;
	int		 refs;
	int		 rfd, wfd;
	size_t		 n, done;
	struct rs_slot	*slot;
};

struct resolve {
	struct loop	*loop;
	struct loop_fd	*watch;
	struct rs_job	*job;
	struct pghosts	 hosts;
	char		**kw, **val;
	resolve_cb	 cb;
	void		*arg;
};

static void
job_unref(struct rs_job *job)
{
	size_t	i;
	bool	last;

	pthread_mutex_lock(&job->mu);
	last = --job->refs == 0;
	pthread_mutex_unlock(&job->mu);
	if (!last)
		return;
	for (i = 0; i < job->n; i++) {
		free(job->slot[i].name);
		list_free(job->slot[i].addrs, job->slot[i].naddrs);
	}
	free(job->slot);
	close(job->rfd);
	close(job->wfd);
	pthread_mutex_destroy(&job->mu);
	free(job);
}

/* The numeric addresses of res, each once, in getaddrinfo's order. */
static char **
numeric_addrs(const struct addrinfo *res, size_t *n)
{
	char			**v = NULL;
	char			  num[NI_MAXHOST];
	const struct addrinfo	 *ai;
	size_t			  i;

	*n = 0;
	for (ai = res; ai != NULL && *n < RESOLVE_ADDRS_MAX; ai = ai->ai_next) {
		if (getnameinfo(ai->ai_addr, ai->ai_addrlen, num, sizeof num,
		    NULL, 0, NI_NUMERICHOST) != 0)
			continue;
		for (i = 0; i < *n; i++)
			if (strcmp(v[i], num) == 0)
				break;
		if (i < *n)
			continue;
		v = xreallocarray(v, *n + 1, sizeof *v);
		v[(*n)++] = xstrdup(num);
	}
	return v;
}

/* Wakes the loop: never full (a byte a thread), its read end still open. */
static void
wake(int fd)
{
	ssize_t rc;

	do
		rc = write(fd, "", 1);
	while (rc < 0 && errno == EINTR);
}

/* One lookup, as libpq would do it; then a byte down the pipe. */
static void *
lookup_thread(void *arg)
{
	struct rs_slot	*s = arg;
	struct rs_job	*job = s->job;
	struct addrinfo	 hints, *res = NULL;
	char		**addrs = NULL;
	size_t		  n = 0;
	int		  gai;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	gai = getaddrinfo(s->name, NULL, &hints, &res);
	if (gai == 0) {
		addrs = numeric_addrs(res, &n);
		freeaddrinfo(res);
		if (n == 0)
			gai = EAI_NONAME;
	}
	pthread_mutex_lock(&job->mu);
	s->gai = gai;
	s->addrs = addrs;
	s->naddrs = n;
	s->done = true;
	job->done++;
	pthread_mutex_unlock(&job->mu);
	wake(job->wfd);
	job_unref(job);
	return NULL;
}

/* Starts a detached thread, with every signal blocked: the loop takes them. */
static int
start_thread(struct rs_slot *s)
{
	pthread_attr_t	attr;
	pthread_t	tid;
	sigset_t	all, old;
	int		rc;

	sigfillset(&all);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&tid, &attr, lookup_thread, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	return rc;
}

static void
resolve_free(struct resolve *r)
{
	size_t i;

	if (r->watch != NULL)
		loop_fd_del(r->watch);
	if (r->job != NULL)
		job_unref(r->job);
	pghosts_free(&r->hosts);
	for (i = 0; r->kw[i] != NULL; i++) {
		free(r->kw[i]);
		wipe_free(r->val[i]);
	}
	free(r->kw);
	free(r->val);
	free(r);
}

/* A lookup has ended; when all have, the callback gets libpq's arrays. */
static void
resolve_io(struct loop_fd *f, int revents, void *arg)
{
	struct resolve	*r = arg;
	struct rs_job	*job = r->job;
	struct buf	 err = BUF_INIT;
	char		 drain[64], **kw = NULL, **val = NULL;
	size_t		 i, k;
	bool		 all;
	resolve_cb	 cb = r->cb;
	void		*cbarg = r->arg;

	(void)f;
	(void)revents;
	while (read(job->rfd, drain, sizeof drain) > 0)
		;
	pthread_mutex_lock(&job->mu);
	all = job->done == job->n;
	pthread_mutex_unlock(&job->mu);
	if (!all)
		return;
	/* Every thread has written its slot: no lock needed from here. */
	for (i = k = 0; i < r->hosts.n; i++) {
		struct pghost *h = &r->hosts.h[i];

		if (!h->lookup)
			continue;
		h->gai = job->slot[k].gai;
		h->addrs = job->slot[k].addrs;
		h->naddrs = job->slot[k].naddrs;
		job->slot[k].addrs = NULL;
		job->slot[k].naddrs = 0;
		k++;
	}
	pghosts_params(&r->hosts, (const char *const *)r->kw,
	    (const char *const *)r->val, &kw, &val, &err);
	resolve_free(r);
	cb(cbarg, kw, val, kw == NULL ? buf_str(&err) : NULL);
	buf_free(&err);
}

/* A keyword's value, else the environment's as libpq reads it. */
static const char *
param_or_env(const char *const *kw, const char *const *val, const char *name,
    const char *env)
{
	size_t i;

	for (i = 0; kw[i] != NULL; i++)
		if (strcmp(kw[i], name) == 0 && val[i] != NULL)
			return val[i];
	return env != NULL ? getenv(env) : NULL;
}

static struct rs_job *
job_new(const struct pghosts *hs, size_t need)
{
	struct rs_job	*job = xcalloc(1, sizeof *job);
	int		 fds[2];
	size_t		 i, k;

	if (pipe(fds) != 0) {
		free(job);
		return NULL;
	}
	for (i = 0; i < 2; i++) {
		fcntl(fds[i], F_SETFD, FD_CLOEXEC);
		fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
	}
	pthread_mutex_init(&job->mu, NULL);
	job->rfd = fds[0];
	job->wfd = fds[1];
	job->refs = 1;
	job->n = need;
	job->slot = xcalloc(need, sizeof *job->slot);
	for (i = k = 0; i < hs->n; i++)
		if (hs->h[i].lookup) {
			job->slot[k].job = job;
			job->slot[k++].name = xstrdup(hs->h[i].host);
		}
	return job;
}

struct resolve *
resolve_start(struct loop *loop, const char *const *kw,
    const char *const *val, resolve_cb cb, void *arg)
{
	struct resolve	*r;
	struct pghosts	 hs;
	struct rs_job	*job;
	size_t		 i, n, need;
	const char	*svc = param_or_env(kw, val, "service", "PGSERVICE");

	if (param_or_env(kw, val, "host", NULL) == NULL && svc != NULL &&
	    *svc != '\0')
		return NULL;	/* the service file may name the hosts */
	need = pghosts_parse(&hs, param_or_env(kw, val, "host", "PGHOST"),
	    param_or_env(kw, val, "hostaddr", "PGHOSTADDR"),
	    param_or_env(kw, val, "port", "PGPORT"));
	if (need == 0 || (job = job_new(&hs, need)) == NULL) {
		pghosts_free(&hs);
		return NULL;
	}
	r = xcalloc(1, sizeof *r);
	r->loop = loop;
	r->job = job;
	r->hosts = hs;
	r->cb = cb;
	r->arg = arg;
	for (n = 0; kw[n] != NULL; n++)
		;
	r->kw = xcalloc(n + 1, sizeof *r->kw);
	r->val = xcalloc(n + 1, sizeof *r->val);
	for (i = 0; i < n; i++) {
		r->kw[i] = xstrdup(kw[i]);
		r->val[i] = val[i] != NULL ? xstrdup(val[i]) : NULL;
	}
	r->watch = loop_fd_add(loop, job->rfd, POLLIN, resolve_io, r);
	for (i = 0; i < need; i++) {
		pthread_mutex_lock(&job->mu);
		job->refs++;
		pthread_mutex_unlock(&job->mu);
		if (start_thread(&job->slot[i]) == 0)
			continue;
		/* No thread: this name fails now, as a lookup would. */
		pthread_mutex_lock(&job->mu);
		job->refs--;
		job->slot[i].gai = EAI_SYSTEM;
		job->slot[i].done = true;
		job->done++;
		pthread_mutex_unlock(&job->mu);
		wake(job->wfd);
	}
	return r;
}

const char *
resolve_waiting_for(struct resolve *r)
{
	const char	*name = NULL;
	size_t		 i;

	pthread_mutex_lock(&r->job->mu);
	for (i = 0; i < r->job->n && name == NULL; i++)
		if (!r->job->slot[i].done)
			name = r->job->slot[i].name;
	pthread_mutex_unlock(&r->job->mu);
	return name;
}

void
resolve_cancel(struct resolve *r)
{
	if (r != NULL)
		resolve_free(r);
}
