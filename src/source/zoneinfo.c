/*
 * zoneinfo.c: loads time zones from the system zoneinfo directory,
 * /etc/localtime or a POSIX TZ string.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "tz.h"
#include "zoneinfo.h"

#define ZONEINFO_DEFAULT_DIR	"/usr/share/zoneinfo"
#define ZONEINFO_LOCALTIME	"/etc/localtime"
#define ZONEINFO_NAME_MAX	255

enum read_result {
	READ_OK,
	READ_NOT_FOUND,
	READ_FAILED
};

static void
set_error(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
set_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/*
 * A copy of a user-supplied name fit for an error message: at most 64
 * bytes, with anything unprintable shown as '?'.
 */
static void
printable_name(const char *name, char *out, size_t outlen)
{
	size_t i;

	for (i = 0; name[i] != '\0' && i + 1 < outlen && i < 64; i++) {
		if (name[i] >= 0x20 && name[i] < 0x7f)
			out[i] = name[i];
		else
			out[i] = '?';
	}
	out[i] = '\0';
}

/*
 * True if name may be looked up under the zoneinfo directory: relative,
 * no "..", only [A-Za-z0-9_+-/], at most ZONEINFO_NAME_MAX bytes.
 */
static int
safe_zone_name(const char *name)
{
	const char *s;

	if (name[0] == '\0' || name[0] == '/' || strstr(name, "..") != NULL)
		return 0;
	if (strlen(name) > ZONEINFO_NAME_MAX)
		return 0;
	for (s = name; *s != '\0'; s++) {
		if ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9') || *s == '_' || *s == '+' ||
		    *s == '-' || *s == '/')
			continue;
		return 0;
	}
	return 1;
}

/*
 * Reads a whole regular file of at most ZONEINFO_MAX_FILE bytes into *data
 * (to be freed).  A missing file, or a directory, is READ_NOT_FOUND so that
 * "Asia" reports an unknown zone; other failures are READ_FAILED with a
 * message in err.
 */
static enum read_result
read_zone_file(const char *path, unsigned char **data, size_t *len,
    char *err, size_t errlen)
{
	struct stat st;
	unsigned char *p;
	size_t have = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1) {
		if (errno == ENOENT || errno == ENOTDIR)
			return READ_NOT_FOUND;
		set_error(err, errlen, "cannot open %s: %s", path,
		    strerror(errno));
		return READ_FAILED;
	}
	if (fstat(fd, &st) == -1) {
		set_error(err, errlen, "cannot stat %s: %s", path,
		    strerror(errno));
		close(fd);
		return READ_FAILED;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return READ_NOT_FOUND;
	}
	if (!S_ISREG(st.st_mode)) {
		set_error(err, errlen, "%s is not a regular file", path);
		close(fd);
		return READ_FAILED;
	}
	/* One byte more than allowed, to notice a file that is too big. */
	p = xmalloc(ZONEINFO_MAX_FILE + 1);
	for (;;) {
		n = read(fd, p + have, ZONEINFO_MAX_FILE + 1 - have);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			set_error(err, errlen, "cannot read %s: %s", path,
			    strerror(errno));
			free(p);
			close(fd);
			return READ_FAILED;
		}
		if (n == 0)
			break;
		have += (size_t)n;
		if (have > ZONEINFO_MAX_FILE) {
			set_error(err, errlen, "%s is larger than %d bytes",
			    path, ZONEINFO_MAX_FILE);
			free(p);
			close(fd);
			return READ_FAILED;
		}
	}
	close(fd);
	*data = p;
	*len = have;
	return READ_OK;
}

/*
 * Reads and parses the zone file at path; name labels the zone.  READ_OK
 * sets *zp; READ_NOT_FOUND means there is no such file; READ_FAILED leaves
 * a message in err.
 */
static enum read_result
load_zone_file(const char *path, const char *name, struct tz **zp,
    char *err, size_t errlen)
{
	enum read_result r;
	unsigned char *data;
	size_t len;
	char msg[256];

	r = read_zone_file(path, &data, &len, err, errlen);
	if (r != READ_OK)
		return r;
	*zp = tz_parse_tzif(data, len, name, msg, sizeof msg);
	free(data);
	if (*zp == NULL) {
		set_error(err, errlen, "%s: %s", path, msg);
		return READ_FAILED;
	}
	return READ_OK;
}

/*
 * The IANA name /etc/localtime points at ("Europe/Berlin" for a link to
 * .../zoneinfo/Europe/Berlin), or "localtime".  The answer only labels the
 * zone; the file contents decide its rules.
 */
static void
local_zone_name(char *out, size_t outlen)
{
	char target[PATH_MAX];
	const char *p;
	ssize_t n;

	snprintf(out, outlen, "localtime");
	n = readlink(ZONEINFO_LOCALTIME, target, sizeof target - 1);
	if (n <= 0)
		return;
	target[n] = '\0';
	p = strstr(target, "zoneinfo/");
	if (p == NULL)
		return;
	p += strlen("zoneinfo/");
	/* Distributions sometimes keep posix/ and right/ variants. */
	if (strncmp(p, "posix/", 6) == 0)
		p += 6;
	if (safe_zone_name(p))
		snprintf(out, outlen, "%s", p);
}

static struct tz *
load_local(char *err, size_t errlen)
{
	struct tz *z = NULL;
	char name[ZONEINFO_NAME_MAX + 1];

	local_zone_name(name, sizeof name);
	switch (load_zone_file(ZONEINFO_LOCALTIME, name, &z, err, errlen)) {
	case READ_OK:
		return z;
	case READ_NOT_FOUND:
		return tz_utc();
	case READ_FAILED:
		break;
	}
	return NULL;
}

struct tz *
zoneinfo_load(const char *name, char *err, size_t errlen)
{
	const char *dir, *zname;
	struct buf path = BUF_INIT;
	struct tz *z = NULL;
	enum read_result r;
	char shown[80];
	int safe;

	if (name == NULL || name[0] == '\0' || strcmp(name, "local") == 0)
		return load_local(err, errlen);
	if (strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0 ||
	    strcmp(name, "Z") == 0)
		return tz_utc();

	zname = name[0] == ':' ? name + 1 : name;
	safe = safe_zone_name(zname);
	if (safe) {
		dir = getenv("TZDIR");
		if (dir == NULL || dir[0] != '/')
			dir = ZONEINFO_DEFAULT_DIR;
		buf_printf(&path, "%s/%s", dir, zname);
		r = load_zone_file(buf_str(&path), zname, &z, err, errlen);
		buf_free(&path);
		if (r == READ_OK)
			return z;
		if (r == READ_FAILED)
			return NULL;
	}

	/* No file: perhaps a POSIX TZ string such as "JST-9". */
	z = tz_parse_posix(name, NULL, 0);
	if (z != NULL)
		return z;

	printable_name(name, shown, sizeof shown);
	if (safe)
		set_error(err, errlen, "unknown time zone '%s'", shown);
	else
		set_error(err, errlen, "invalid time zone name '%s'", shown);
	return NULL;
}
