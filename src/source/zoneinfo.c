/*
 * zoneinfo.c: loads time zones from the system zoneinfo directory,
 * /etc/localtime or a POSIX TZ string.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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
    struct buf *err)
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
		buf_printf(err, "cannot open %s: %s", path,
		    strerror(errno));
		return READ_FAILED;
	}
	if (fstat(fd, &st) == -1) {
		buf_printf(err, "cannot stat %s: %s", path,
		    strerror(errno));
		close(fd);
		return READ_FAILED;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return READ_NOT_FOUND;
	}
	if (!S_ISREG(st.st_mode)) {
		buf_printf(err, "%s is not a regular file", path);
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
			buf_printf(err, "cannot read %s: %s", path,
			    strerror(errno));
			free(p);
			close(fd);
			return READ_FAILED;
		}
		if (n == 0)
			break;
		have += (size_t)n;
		if (have > ZONEINFO_MAX_FILE) {
			buf_printf(err, "%s is larger than %d bytes",
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
    struct buf *err)
{
	enum read_result r;
	unsigned char *data;
	size_t len;
	struct buf msg = BUF_INIT;

	r = read_zone_file(path, &data, &len, err);
	if (r != READ_OK)
		return r;
	*zp = tz_parse_tzif(data, len, name, &msg);
	free(data);
	if (*zp == NULL)
		buf_printf(err, "%s: %s", path, buf_str(&msg));
	buf_free(&msg);
	return *zp != NULL ? READ_OK : READ_FAILED;
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
load_local(struct buf *err)
{
	struct tz *z = NULL;
	char name[ZONEINFO_NAME_MAX + 1];

	local_zone_name(name, sizeof name);
	switch (load_zone_file(ZONEINFO_LOCALTIME, name, &z, err)) {
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
zoneinfo_load(const char *name, struct buf *err)
{
	const char *dir, *zname;
	struct buf path = BUF_INIT, why = BUF_INIT;
	struct tz *z = NULL;
	enum read_result r;
	char shown[80];
	int safe;

	if (name == NULL || name[0] == '\0' || strcmp(name, "local") == 0)
		return load_local(err);
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
		r = load_zone_file(buf_str(&path), zname, &z, err);
		buf_free(&path);
		if (r == READ_OK)
			return z;
		if (r == READ_FAILED)
			return NULL;
	}

	/* No file: perhaps a POSIX TZ string such as "JST-9". */
	z = tz_parse_posix(name, &why);
	buf_free(&why);
	if (z != NULL)
		return z;

	printable_name(name, shown, sizeof shown);
	if (safe)
		buf_printf(err, "unknown time zone '%s'", shown);
	else
		buf_printf(err, "invalid time zone name '%s'", shown);
	return NULL;
}
