/*
 * resolve.h: a connection's host names looked up off the loop.  libpq
 * resolves a host name synchronously inside PQconnectStartParams and
 * PQconnectPoll (only hostaddr avoids it), so a name server that does not
 * answer would freeze the loop for the resolver's whole timeout.  Here each
 * name is looked up by getaddrinfo in a thread of its own, the loop hears
 * of it through a pipe, and libpq gets the addresses as hostaddr with the
 * name kept as host (TLS verification, .pgpass and messages still use the
 * name).
 */
#ifndef DAGTOP_RESOLVE_H
#define DAGTOP_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>

struct buf;
struct loop;
struct resolve;

/* At most this many addresses of one name are tried, in getaddrinfo's order. */
#define RESOLVE_ADDRS_MAX	16

/* One host of a connection's host list, and what its lookup found. */
struct pghost {
	char		 *host;		/* the item of host; "" for the default */
	char		 *addr;		/* the item of hostaddr, or "" */
	char		 *port;		/* the item of a port list, or NULL */
	bool		  lookup;	/* host is a name that needs a lookup */
	int		  gai;		/* getaddrinfo's error, or 0 */
	char		**addrs;	/* the numeric addresses found */
	size_t		  naddrs;
};

struct pghosts {
	struct pghost	*h;
	size_t		 n;
	char		*port;		/* the port, a single value, or NULL */
	bool		 port_list;	/* port is a list, one item per host */
};

/*
 * Splits libpq's host, hostaddr and port values (each NULL, one item, or a
 * comma-separated list) into hosts, as libpq pairs them.  Returns how many
 * hosts need a lookup: 0 for lists libpq would reject (it says why itself),
 * Unix-socket paths (/ or @), numeric addresses, the default host and hosts
 * whose hostaddr is given.
 */
size_t		 pghosts_parse(struct pghosts *, const char *host,
		    const char *hostaddr, const char *port);
void		 pghosts_free(struct pghosts *);
/*
 * Builds libpq's NULL-terminated keyword and value arrays (freshly
 * allocated; they may hold a password: wipe them): kw/val without host,
 * hostaddr and port, then those three from the hosts, a host of n
 * addresses repeated n times with each as its hostaddr (libpq tries them in
 * turn, as it would have tried the addresses of the name).  A host whose
 * lookup failed is left out, as libpq skips a host it cannot resolve; if
 * none is left, returns -1 with "cannot resolve HOST: REASON" in err.
 */
int		 pghosts_params(const struct pghosts *, const char *const *kw,
		    const char *const *val, char ***kw_out, char ***val_out,
		    struct buf *err);

/*
 * Called once from the loop when every lookup has ended: kw/val for
 * PQconnectStartParams (the callee owns them and must wipe and free
 * them), or NULL and err, one line.
 */
typedef void (*resolve_cb)(void *arg, char **kw, char **val,
		    const char *err);

/*
 * Starts looking up the host names of libpq's keyword/value arrays (host,
 * hostaddr and port, else $PGHOST, $PGHOSTADDR and $PGPORT as libpq reads
 * them; a service's hosts are left to libpq).  Returns NULL when there is
 * nothing to look up: connect with kw/val as they are.  No time limit of
 * its own: the caller's connect timeout covers it, and resolve_cancel ends
 * it.
 */
struct resolve	*resolve_start(struct loop *, const char *const *kw,
		    const char *const *val, resolve_cb, void *arg);
/* A name still being looked up (for a time-out message), or NULL. */
const char	*resolve_waiting_for(struct resolve *);
/*
 * The callback will not run.  A thread still blocked in getaddrinfo cannot
 * be stopped: it owns a reference to its request and frees it itself when
 * getaddrinfo returns; nothing of the caller's is touched after this.
 */
void		 resolve_cancel(struct resolve *);

#endif
