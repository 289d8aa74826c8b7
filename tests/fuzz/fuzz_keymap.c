/*
 * fuzz_keymap.c: libFuzzer harness for the keymap format.  Whatever the
 * bytes, parsing ends, every binding names a key that keymap_key_name() writes
 * and keymap_key_parse() reads back to the same code, and no action is out of
 * range.  An include resolves to the same bytes, so nesting is exercised.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keymap.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const uint8_t	*cur;
static size_t		 curlen;

static char *
resolve(const char *name, size_t *len, char **file, void *arg)
{
	(void)name;
	(void)arg;
	*len = curlen;
	*file = xstrdup("included.keys");
	return xstrndup((const char *)cur, curlen);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct keymap	km = { NULL, 0 };
	struct buf	err = BUF_INIT, name = BUF_INIT;
	size_t		i;
	int		code;

	cur = data;
	curlen = size;
	keymap_parse(&km, (const char *)data, size, "fuzz.keys", resolve,
	    NULL, &err);
	for (i = 0; i < km.n; i++) {
		if ((unsigned)km.v[i].action >= ACTION_COUNT)
			abort();
		buf_reset(&name);
		keymap_key_name(km.v[i].key, &name);
		if (keymap_key_parse(buf_str(&name), &code) != 0 ||
		    code != km.v[i].key)
			abort();
	}
	keymap_free(&km);
	buf_free(&err);
	buf_free(&name);
	return 0;
}
