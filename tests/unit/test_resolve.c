/*
 * test_resolve.c: a connection's hosts split as libpq pairs them, which of
 * them need a lookup, libpq's arrays built with the addresses as hostaddr,
 * and a lookup through the loop (localhost, from /etc/hosts) and its
 * cancelling.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <netdb.h>

#include <cmocka.h>

#include "buf.h"
#include "loop.h"
#include "resolve.h"

static void
test_parse_lookups(void **state)
{
	struct pghosts hs;

	(void)state;
	/* Nothing to look up: the default, sockets, numbers, hostaddr. */
	assert_int_equal(pghosts_parse(&hs, NULL, NULL, NULL), 0);
	pghosts_free(&hs);
	assert_int_equal(pghosts_parse(&hs, "", "10.0.0.1", "5432"), 0);
	pghosts_free(&hs);
	assert_int_equal(pghosts_parse(&hs, "/run/postgresql,@abstract,"
	    "127.0.0.1,::1,fe80::1%lo", NULL, NULL), 0);
	assert_int_equal(hs.n, 5);
	pghosts_free(&hs);
	assert_int_equal(pghosts_parse(&hs, "db.example", "10.0.0.1", NULL),
	    0);
	pghosts_free(&hs);

	/* Names need one, unless their item of hostaddr is given. */
	assert_int_equal(pghosts_parse(&hs, "a.example,/tmp,b.example",
	    "10.0.0.1,,", "5432,5433,5434"), 1);
	assert_int_equal(hs.n, 3);
	assert_false(hs.h[0].lookup);
	assert_false(hs.h[1].lookup);
	assert_true(hs.h[2].lookup);
	assert_string_equal(hs.h[2].host, "b.example");
	assert_string_equal(hs.h[2].port, "5434");
	assert_string_equal(hs.h[0].addr, "10.0.0.1");
	assert_true(hs.port_list);
	pghosts_free(&hs);

	assert_int_equal(pghosts_parse(&hs, "db.example", NULL, "6432"), 1);
	assert_false(hs.port_list);
	assert_string_equal(hs.port, "6432");
	assert_null(hs.h[0].port);
	pghosts_free(&hs);

	/* Lists libpq refuses are left to libpq, which says why. */
	assert_int_equal(pghosts_parse(&hs, "a.example,b.example",
	    "10.0.0.1", NULL), 0);
	pghosts_free(&hs);
	assert_int_equal(pghosts_parse(&hs, "a.example,b.example,c.example",
	    NULL, "1,2"), 0);
	pghosts_free(&hs);
}

static const char *
value_of(char **kw, char **val, const char *name)
{
	const char	*v = NULL;
	size_t		 i;

	for (i = 0; kw[i] != NULL; i++)
		if (strcmp(kw[i], name) == 0) {
			assert_null(v);		/* each keyword once */
			v = val[i];
		}
	return v;
}

static void
params_free(char **kw, char **val)
{
	size_t i;

	for (i = 0; kw[i] != NULL; i++) {
		free(kw[i]);
		free(val[i]);
	}
	free(kw);
	free(val);
}

static void
found(struct pghost *h, int gai, const char *a, const char *b)
{
	h->gai = gai;
	h->naddrs = 0;
	h->addrs = calloc(2, sizeof *h->addrs);
	if (a != NULL)
		h->addrs[h->naddrs++] = strdup(a);
	if (b != NULL)
		h->addrs[h->naddrs++] = strdup(b);
}

static void
test_params(void **state)
{
	const char *const	 kw[] = { "host", "port", "dbname", "password",
	    "connect_timeout", NULL };
	const char *const	 val[] = { "a.example,/tmp,b.example",
	    "5432,5433,5434", "af", "s3cret", "3", NULL };
	struct pghosts		 hs;
	struct buf		 err = BUF_INIT;
	char			**k, **v;

	(void)state;
	assert_int_equal(pghosts_parse(&hs, val[0], NULL, val[1]), 2);
	found(&hs.h[0], 0, "10.0.0.1", "fd00::1");
	found(&hs.h[2], EAI_NONAME, NULL, NULL);
	assert_int_equal(pghosts_params(&hs, kw, val, &k, &v, &err), 0);
	/* The name stays host; each address its own entry, its port kept. */
	assert_string_equal(value_of(k, v, "host"),
	    "a.example,a.example,/tmp");
	assert_string_equal(value_of(k, v, "hostaddr"), "10.0.0.1,fd00::1,");
	assert_string_equal(value_of(k, v, "port"), "5432,5432,5433");
	assert_string_equal(value_of(k, v, "dbname"), "af");
	assert_string_equal(value_of(k, v, "password"), "s3cret");
	assert_string_equal(value_of(k, v, "connect_timeout"), "3");
	params_free(k, v);
	pghosts_free(&hs);

	/* One port for all: kept as it is; no port: none. */
	assert_int_equal(pghosts_parse(&hs, "db.example", NULL, "6432"), 1);
	found(&hs.h[0], 0, "192.0.2.7", NULL);
	assert_int_equal(pghosts_params(&hs, kw, val, &k, &v, &err), 0);
	assert_string_equal(value_of(k, v, "hostaddr"), "192.0.2.7");
	assert_string_equal(value_of(k, v, "host"), "db.example");
	assert_string_equal(value_of(k, v, "port"), "6432");
	params_free(k, v);
	pghosts_free(&hs);
	assert_int_equal(pghosts_parse(&hs, "db.example", NULL, NULL), 1);
	found(&hs.h[0], 0, "192.0.2.7", NULL);
	assert_int_equal(pghosts_params(&hs, kw, val, &k, &v, &err), 0);
	assert_null(value_of(k, v, "port"));
	params_free(k, v);
	pghosts_free(&hs);

	/* Nothing left to try: the first name that failed, and why. */
	assert_int_equal(pghosts_parse(&hs, "a.example,b.example", NULL,
	    NULL), 2);
	found(&hs.h[0], EAI_AGAIN, NULL, NULL);
	found(&hs.h[1], EAI_NONAME, NULL, NULL);
	k = v = NULL;
	assert_int_equal(pghosts_params(&hs, kw, val, &k, &v, &err), -1);
	assert_null(k);
	assert_string_equal(buf_str(&err), "cannot resolve a.example: "
	    "Temporary failure in name resolution");
	pghosts_free(&hs);
	buf_free(&err);
}

struct answer {
	bool	 called;
	char	*host, *hostaddr, *err;
};

static void
answered(void *arg, char **kw, char **val, const char *err)
{
	struct answer *a = arg;

	a->called = true;
	if (kw != NULL) {
		a->host = strdup(value_of(kw, val, "host"));
		a->hostaddr = strdup(value_of(kw, val, "hostaddr"));
		params_free(kw, val);
	} else
		a->err = strdup(err);
}

/* host is "localhost" once per address of hostaddr, each a loopback one. */
static void
assert_local_entries(const char *host, const char *hostaddr)
{
	char	*h = strdup(host), *ad = strdup(hostaddr), *sh, *sa, *x, *y;
	int	 n = 0;

	for (x = strtok_r(h, ",", &sh), y = strtok_r(ad, ",", &sa);
	    x != NULL || y != NULL;
	    x = strtok_r(NULL, ",", &sh), y = strtok_r(NULL, ",", &sa)) {
		assert_non_null(x);
		assert_non_null(y);
		assert_string_equal(x, "localhost");
		assert_true(strcmp(y, "127.0.0.1") == 0 ||
		    strcmp(y, "::1") == 0);
		n++;
	}
	assert_true(n >= 1);
	free(h);
	free(ad);
}

static void
test_lookup_in_loop(void **state)
{
	const char *const	 kw[] = { "host", "dbname", NULL };
	const char *const	 val[] = { "localhost", "af", NULL };
	const char *const	 nkw[] = { "host", NULL };
	const char *const	 nval[] = { "127.0.0.1", NULL };
	struct loop		*loop = loop_new();
	struct answer		 a = { 0 };
	struct resolve		*r;
	int64_t			 until = loop_now_ms() + 10000;

	(void)state;
	assert_null(resolve_start(loop, nkw, nval, answered, &a));
	r = resolve_start(loop, kw, val, answered, &a);
	assert_non_null(r);
	while (!a.called && loop_now_ms() < until)
		assert_true(loop_run_once(loop) >= 0);
	assert_true(a.called);
	assert_null(a.err);
	/*
	 * An entry per address, each with the name: "localhost" alone, or
	 * "localhost,localhost" where /etc/hosts gives ::1 too (Debian's).
	 */
	assert_local_entries(a.host, a.hostaddr);
	free(a.host);
	free(a.hostaddr);

	/* Cancelled at once: no call, and the thread frees what it holds. */
	memset(&a, 0, sizeof a);
	r = resolve_start(loop, kw, val, answered, &a);
	assert_non_null(r);
	resolve_cancel(r);
	assert_int_equal(loop_run_once(loop), 0);
	assert_false(a.called);
	loop_free(loop);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_lookups),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_lookup_in_loop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
