/*
 * zoneinfo.h: finds and reads time zone files (the I/O side of
 * src/model/tz.h).
 */
#ifndef DAGTOP_ZONEINFO_H
#define DAGTOP_ZONEINFO_H

#include <stddef.h>

#include "tz.h"

/* Largest zone file zoneinfo_load reads. */
#define ZONEINFO_MAX_FILE	(1024 * 1024)

/*
 * Loads a time zone by name:
 *  - "UTC", "Etc/UTC" and "Z" give tz_utc();
 *  - NULL, "" and "local" read /etc/localtime (UTC when it does not exist);
 *    tz_name is then the IANA name /etc/localtime links to, if it can tell,
 *    else "localtime";
 *  - an IANA name such as "Asia/Tokyo" (a leading ':' is allowed and
 *    dropped) is read from $TZDIR/name, where TZDIR is the environment
 *    variable when it is set to an absolute path and /usr/share/zoneinfo
 *    otherwise.  Names that are absolute, contain "..", or have characters
 *    outside [A-Za-z0-9_+-/] never reach the file system;
 *  - a name with no such file that is a valid POSIX TZ string
 *    ("EST5EDT,M3.2.0,M11.1.0", "JST-9") is parsed as one.
 * Returns NULL with a message added to err ("unknown time zone
 * 'Asia/Tokio'") when the zone cannot be found or its file is malformed.
 * Release with tz_free.
 */
struct tz	*zoneinfo_load(const char *name, struct buf *err);

#endif
