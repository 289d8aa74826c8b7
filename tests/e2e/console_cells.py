#!/usr/bin/env python3
"""Checks a console screen (tmux capture-pane -p on stdin) against the ids
of its lists (one per line in the file argv[1]): every cut id ends in the
mark ('~' with --ascii, else an ellipsis), or shows head, mark and tail;
no two rows of a list read alike; each list frame has its counter; the
selected row's id is there in full.  argv[2] is "ascii" or "utf8"; argv[3..]
are the titles of the list frames that must be on screen.  Prints one line
per failure and exits 1 when there is one."""
import re
import sys

ids = [l.rstrip("\n") for l in open(sys.argv[1]) if l.strip()]
ascii_mode = sys.argv[2] == "ascii"
titles = sys.argv[3:]
mark = "~" if ascii_mode else "\u2026"
screen = sys.stdin.read().split("\n")
errors = []
tl, tr, bl, br, vl, hl = ("+", "+", "+", "+", "|", "-") if ascii_mode else \
    ("\u250c", "\u2510", "\u2514", "\u2518", "\u2502", "\u2500")


def frames():
    """(top row, bottom row, left col, right col, title line) per frame."""
    out = []
    for y, line in enumerate(screen):
        x = 0
        while True:
            x = line.find(tl + hl, x)
            if x < 0:
                break
            # Its right corner: the next tr after a line or a blank.
            r = x + 1
            while r < len(line) and not (
                    line[r] == tr and line[r - 1] in (hl, " ") and
                    (r + 1 == len(line) or line[r + 1] in (tl, " "))):
                r += 1
            if r >= len(line):
                break
            # Its bottom: the next row with bl at column x.
            for b in range(y + 1, len(screen)):
                if len(screen[b]) > x and screen[b][x] == bl:
                    out.append((y, b, x, r, line[x:r + 1]))
                    break
            x = r + 1
    return out


def norm(s):
    """Without blanks and frame lines (the same taken out of ids)."""
    return re.sub("[\\s" + re.escape(vl) + "\u2500\\-+" + bl + br +
                  "\u25bcv]", "", s)


def check_token(tok, where):
    tok = tok.lstrip("\u00b7.")    # a task's depth marks
    if not tok or tok in ids:
        return
    if mark in tok:
        head, _, tail = tok.partition(mark)
        if not any(i.startswith(head) and i.endswith(tail) and
                   len(i) > len(head) + len(tail) for i in ids):
            errors.append("%s: %r is no id cut with its mark" % (where, tok))
        return
    # A piece of an id, cut with no mark.
    if len(tok) >= 6 and any(i.startswith(tok) for i in ids):
        errors.append("%s: %r is cut without a mark" % (where, tok))


seen_titles = set()
for (top, bot, left, right, title) in frames():
    rows = [screen[y][left + 1:right] for y in range(top + 1, bot)]
    where = "frame %r" % title.strip(tl + tr + "─- ")
    body = rows[1:]   # the first row is the list's header
    # The selected row's foot on the bottom line; one wider than that
    # begins on the row above it (a wrap, not a cut).
    foot = screen[bot][left + 1:right].strip(hl + " ")
    for y, row in enumerate(rows):
        toks = row.split()
        for tok in toks:
            rest = "".join((rows[y + 1:] if y + 1 < len(rows) else []) +
                           [foot]).replace(" ", "")
            if y >= len(rows) - 2 and tok == toks[-1] and any(
                    i.startswith(tok) and len(i) > len(tok) and
                    rest.startswith(i[len(tok):]) for i in ids):
                continue
            check_token(tok, where)
    # Rows alike: only rows that show an id (or its cut).
    shown = [r for r in body if r.strip() and any(
        t in ids or mark in t for t in r.split())]
    for r in set(shown):
        if shown.count(r) > 1:
            errors.append("%s: %d rows read %r" % (where, shown.count(r), r))
    for t in titles:
        if t in title:
            seen_titles.add(t)
            if not re.search(r" \d+/\d+ ", title):
                errors.append("%s: no counter in %r" % (where, title))
            # The selected row in full: the pane's text without frame and
            # blanks, its bottom line included, holds some id whole.
            text = "".join(norm(screen[y][left:right + 1])
                           for y in range(top + 2, bot + 1))
            if not any(norm(i) in text for i in ids if len(i) > 3):
                errors.append("%s: no id in full" % where)
for t in titles:
    if t not in seen_titles:
        errors.append("no frame titled %r" % t)
for e in errors:
    print(e)
sys.exit(1 if errors else 0)
