/* conninfo.c: connection strings as text (conninfo.h). */
#include <string.h>

#include "conninfo.h"

void
db_conninfo_normalise(const char *in, struct buf *out)
{
	const char *plus, *scheme_end;

	buf_reset(out);
	scheme_end = strstr(in, "://");
	plus = strchr(in, '+');
	if (scheme_end != NULL && plus != NULL && plus < scheme_end &&
	    (strncmp(in, "postgresql+", 11) == 0 ||
	    strncmp(in, "postgres+", 9) == 0)) {
		buf_append(out, in, (size_t)(plus - in));
		buf_puts(out, scheme_end);
		return;
	}
	buf_puts(out, in);
}
