/*
 * number.h: whole numbers from the command line and the configuration file,
 * with range checks (no wrap-around: "4294967297" is not 1).
 */
#ifndef DAGTOP_NUMBER_H
#define DAGTOP_NUMBER_H

/*
 * Parses a decimal integer: optional sign, digits, nothing else (no blanks,
 * no trailing text).  Returns 0 and the value when it lies in [min, max],
 * or -1 (empty, not a number, trailing text, out of range or too large for
 * a long) leaving *out alone.
 */
int	 parse_long(const char *, long min, long max, long *out);

/* The same into an int; min and max must lie within int's range. */
int	 parse_int_range(const char *, int min, int max, int *out);

#endif
