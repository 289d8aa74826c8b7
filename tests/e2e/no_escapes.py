#!/usr/bin/python3
"""Checks bytes written to a terminal (a pty capture) or a pipe for control
sequences that came from a hostile log (tests/emulator/fixtures/hostile.log).

  no_escapes.py FILE   a pty capture: the console's own cursor and colour
                       sequences are allowed; OSC, DCS, APC, PM, SOS, BEL,
                       C1 controls, invalid UTF-8 and the log's own CSI
                       payloads are not.
  no_escapes.py -      standard input, text for a pipe: no ESC at all.
Exit 0 when clean; 1 with what was found."""
import re
import sys

path = sys.argv[1]
data = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
found = []
try:
    text = data.decode("utf-8")
except UnicodeDecodeError as e:
    found.append("invalid UTF-8 at byte %d" % e.start)
    text = data.decode("utf-8", "replace")
for cp in range(0x80, 0xA0):
    if chr(cp) in text:
        found.append("C1 control U+%04X" % cp)
if "\x07" in text:
    found.append("BEL")
for name, seq in (("OSC", "\x1b]"), ("DCS", "\x1bP"), ("APC", "\x1b_"),
                  ("PM", "\x1b^"), ("SOS", "\x1bX")):
    if seq in text:
        found.append(name)
for payload in ("\x1b[31mRED", "PWNED-TITLE", "\x1b[10;10H moves",
                "https://evil.example/\x1b"):
    if payload in text and (payload != "PWNED-TITLE" or "\x1b]" in text):
        found.append("the log's own sequence %r" % payload)
if "\u202e" in text or "\u2066" in text or "\u2069" in text or "\u202c" in text:
    found.append("a bidi control")
if path == "-" and "\x1b" in text:
    found.append("ESC in piped text")
if path != "-" and "HOSTILE-END" not in text and "plain start" not in text:
    found.append("the hostile log was never drawn (nothing was checked)")
if found:
    print("no_escapes: " + "; ".join(sorted(set(found))), file=sys.stderr)
    sys.exit(1)
