/* sparkline.c: counts as a row of eighth blocks (sparkline.h). */
#include "sparkline.h"

static const char *const blocks[8] = {
	"\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587",
	"\u2588"
};

void
sparkline(struct buf *out, const int *v, int n, int width, bool ascii)
{
	int i, start, max = 0, level;

	start = width > 0 && width < n ? n - width : 0;
	for (i = start; i < n; i++)
		if (v[i] > max)
			max = v[i];
	for (i = start; i < n; i++) {
		if (v[i] <= 0) {
			buf_puts(out, ascii ? "." : "\u00b7");
			continue;
		}
		/* ceil(v * levels / max): 1 .. levels */
		level = (int)(((long long)v[i] * (ascii ? 9 : 8) + max - 1) / max);
		if (ascii)
			buf_putc(out, (char)('0' + level));
		else
			buf_puts(out, blocks[level - 1]);
	}
}
