/*
 * composer.h: the Airflow web server of a Cloud Composer environment, read
 * from the Composer API (environments.get: config.airflowUri, and the
 * Airflow version from config.softwareConfig.imageVersion) with the same
 * Google token the Airflow calls carry, and cached for a day in
 * $XDG_CACHE_HOME/dagtop/composer/ so that a start costs no lookup.
 */
#ifndef DAGTOP_COMPOSER_H
#define DAGTOP_COMPOSER_H

#include <stdbool.h>

#include "buf.h"

struct loop;
struct http;
struct api_auth;
struct composer;

/* The cache's lifetime: the URL of an environment rarely changes. */
#define COMPOSER_CACHE_SECONDS	(24 * 3600)

/* True for projects/P/locations/L/environments/E, each part non-empty. */
bool		 composer_valid_environment(const char *);

/*
 * The Airflow major version an image names ("composer-2.9.7-airflow-2.9.3"
 * gives 2), or 0 when it names none.
 */
int		 composer_image_major(const char *image);

/*
 * Called once a lookup ends: uri is the web server's root and major the
 * Airflow version (0: unknown), or uri is NULL and err says why.
 */
typedef void	(*composer_cb)(void *arg, const char *uri, int major,
		    const char *err);

/*
 * A lookup for environment at the Composer API root url, authenticated by
 * auth (not owned: a Google token source).
 */
struct composer	*composer_new(struct loop *, struct http *, struct api_auth *,
		    const char *url, const char *environment, long timeout_ms);
/* Stops a lookup without calling back. */
void		 composer_free(struct composer *);
/*
 * Resolves the URL: from the cache when it is younger than a day (cb runs
 * before this returns), else from environments.get (cb runs later).
 */
void		 composer_lookup(struct composer *, composer_cb, void *arg);
/*
 * The URL failed (connection refused, 404): when it came from the cache,
 * removes the cache file so that the next lookup asks the API, and
 * returns true.  Only once per composer: a fresh answer is not doubted.
 */
bool		 composer_invalidate(struct composer *);
/* Where the cache file is (for config check), or NULL. */
const char	*composer_cache_path(const struct composer *);

#endif
