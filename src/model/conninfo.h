/*
 * conninfo.h: connection strings as the user writes them, without libpq:
 * pure text, shared by the configuration (checking what the file says)
 * and the source (dbconn.c, connecting).
 */
#ifndef DAGTOP_CONNINFO_H
#define DAGTOP_CONNINFO_H

#include "buf.h"

/*
 * Rewrites an SQLAlchemy URL (postgresql+psycopg2://...) as a libpq URL by
 * dropping the +driver part; anything else is copied as it is.
 */
void	db_conninfo_normalise(const char *, struct buf *out);

#endif
