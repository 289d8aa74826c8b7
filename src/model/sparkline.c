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

void
sparkline_ratio(struct buf *out, double r, bool ascii)
{
	int level;

	if (r < 0 || r != r) {
		buf_puts(out, ascii ? "." : "\u00b7");
		return;
	}
	if (r >= 1) {
		buf_puts(out, ascii ? "#" : blocks[7]);
		return;
	}
	/*
	 * Below 1 never reaches the full block, nor 10 in ASCII; the nudge
	 * keeps 3/7 (2.999... sevenths in binary) on its own step.
	 */
	if (ascii) {
		level = (int)(r * 10 + 1e-9);
		buf_putc(out, (char)('0' + (level > 9 ? 9 : level)));
		return;
	}
	level = (int)(r * 7 + 1e-9);
	if (level > 6)
		level = 6;
	buf_puts(out, blocks[level]);
}
