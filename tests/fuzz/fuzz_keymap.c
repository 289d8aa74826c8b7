/*
 * fuzz_keymap.c: libFuzzer harness for the keymap format.  Whatever the
 * bytes, parsing ends, a failure always says why, every binding names a
 * key that keymap_key_name() writes and keymap_key_parse() reads back to
 * the same code, the first key of an action is its first binding, and no
 * action is out of range.  Includes resolve to fixed
 * small texts (a chain deeper than the limit, a cycle, a broken file) or
 * to nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keymap.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char *
resolve(const char *name, size_t *len, char **file, void *arg)
{
	static const struct {
		const char *name, *text;
	} known[] = {
		{ "a", "bind a down\ninclude b # on\n" },
		{ "b", "unbind a\ninclude c\n" },
		{ "c", "bind \"#\" help\ninclude d\n" },
		{ "d", "include e\n" },
		{ "e", "bind C-e quit\ninclude f\n" },
		{ "loop", "include loop\n" },
		{ "x", "include y\n" },
		{ "y", "include x\n" },
		{ "bad", "bnd q\nbind Ctrl-q quit\nbind q qt\n" },
		{ "default", "bind j down\nbind k up\nbind Down down\n" },
	};
	size_t i;

	(void)arg;
	for (i = 0; i < sizeof known / sizeof *known; i++) {
		if (strcmp(known[i].name, name) == 0) {
			*len = strlen(known[i].text);
			*file = xstrdup(name);
			return xstrdup(known[i].text);
		}
	}
	return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct keymap	km = { NULL, 0 };
	struct buf	err = BUF_INIT, name = BUF_INIT;
	size_t		i, j;
	int		code, rc;

	rc = keymap_parse(&km, (const char *)data, size, "fuzz.keys", resolve,
	    NULL, &err);
	if ((rc == 0) != (err.len == 0))
		abort();
	for (i = 0; i < km.n; i++) {
		if ((unsigned)km.v[i].action >= ACTION_COUNT)
			abort();
		buf_reset(&name);
		keymap_key_name(km.v[i].key, &name);
		if (keymap_key_parse(buf_str(&name), &code) != 0 ||
		    code != km.v[i].key ||
		    keymap_lookup(&km, km.v[i].key) != km.v[i].action)
			abort();
		/* The first key of its action: the first entry bound to it. */
		for (j = 0; km.v[j].action != km.v[i].action; j++)
			;
		buf_reset(&name);
		if (keymap_first_key(&km, km.v[i].action, &name) != 0 ||
		    keymap_key_parse(buf_str(&name), &code) != 0 ||
		    code != km.v[j].key)
			abort();
	}
	keymap_free(&km);
	buf_free(&err);
	buf_free(&name);
	return 0;
}
