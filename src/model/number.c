/* number.c: range-checked whole numbers. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

#include "number.h"

int
parse_long(const char *s, long min, long max, long *out)
{
	char	*end;
	long	 n;

	if (s == NULL)
		return -1;
	/* strtol skips leading blanks; a value with them is a typo. */
	if (!isdigit((unsigned char)s[0]) &&
	    !((s[0] == '-' || s[0] == '+') && isdigit((unsigned char)s[1])))
		return -1;
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

int
parse_int_range(const char *s, int min, int max, int *out)
{
	long	n;

	if (parse_long(s, min, max, &n) != 0)
		return -1;
	*out = (int)n;
	return 0;
}
