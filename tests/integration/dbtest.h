/*
 * dbtest.h: what the test_db_* programs share: the server and schema
 * run.sh gives them, the event loop, waiting for a source's callback, and
 * the superuser connections and scratch databases of their set-up.
 * Blocking, and failing the current cmocka test on any error: test code
 * only.
 */
#ifndef DAGTOP_DBTEST_H
#define DAGTOP_DBTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <libpq-fe.h>

struct loop;
struct sched;
struct settings;

/*
 * schema: the Airflow schema under test, as run.sh names its databases
 * (af2, af3, af32): 2 is 2.10, 3 is 3.1, 32 is 3.2.  host: the server's
 * socket folder; port: its port.  L: the loop the tests run.
 */
extern int		 schema;
extern const char	*host, *port;
extern struct loop	*L;

/* A callback's answer: done once called, err its error or NULL. */
struct waiter {
	bool	 done;
	char	*err;
};

void		 wake(void *, const char *);
void		 wait_for(struct waiter *);
void		 wait_ok(struct waiter *);
PGconn		*connect_to(const char *);
PGconn		*admin(const char *);
char		*dbname(const char *);
void		 settings_for(struct settings *, const char *, const char *);
struct sched	*open_as(const char *, const char *, char **);
void		 dbtest_create(char *, size_t, const char *);
void		 dbtest_drop(const char *);
/* The Airflow API emulator on database db (dbtest.c says more). */
pid_t		 dbtest_emu_start(const char *db, bool self_test, char *url,
		    size_t urlsz);
void		 dbtest_emu_stop(pid_t);
int		 dbtest_env(bool);
const char	*dbtest_release(void);
const char	*dbtest_group(const char *);
int		 dbtest_traced(const char *, const char *);

#endif
