#!/usr/bin/env python3
"""check_blockkit.py: checks a Slack Block Kit message against Slack's
documented limits and required fields, as dagtop --format slack writes it.

Usage: check_blockkit.py [--forbid TEXT]... [FILE]   (default: stdin)

Exit 0 when the message is valid, 1 with one line per problem on stderr.

The limits, from Slack's reference (api.slack.com/reference/block-kit/blocks,
now docs.slack.dev/reference/block-kit/blocks): up to 50 blocks in a
message; header: plain_text of at most 150 characters; section: text at
most 3000, or fields (at most 10, each at most 2000), one of the two
required; context: 1 to 10 elements; block_id at most 255 characters and
unique in the message.  Lengths are counted in UTF-16 code units, which is
never less than a count of code points: stricter than Slack, whichever it
counts.  Slack needs &, < and > escaped in text (api.slack.com/reference/
surfaces/formatting#escaping): dagtop forms no link or mention, so a mrkdwn
text must hold no '<' or '>' at all, and each '&' must start &amp; &lt; or
&gt;.  --forbid TEXT: TEXT (hostile outside text, as given) must not appear
in any text of the message.  Stdlib only.
"""
import json
import re
import sys

MAX_BLOCKS = 50
HEADER_MAX = 150
TEXT_MAX = 3000
FIELDS_MAX = 10
FIELD_MAX = 2000
CONTEXT_MAX = 10
BLOCK_ID_MAX = 255
TOP_TEXT_MAX = 40000
ENTITY = re.compile(r"&(amp|lt|gt);")
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def units(s):
    """Slack's characters, counted strictly: UTF-16 code units."""
    return len(s.encode("utf-16-le")) // 2


class Checker:
    def __init__(self, forbid):
        self.problems = []
        self.forbid = forbid
        self.ids = set()

    def bad(self, where, what):
        self.problems.append("%s: %s" % (where, what))

    def text(self, where, s, limit, mrkdwn):
        if not isinstance(s, str) or s == "":
            self.bad(where, "text must be a non-empty string")
            return
        if units(s) > limit:
            self.bad(where, "text is %d characters, more than %d"
                     % (units(s), limit))
        if CONTROL.search(s):
            self.bad(where, "text holds a control character")
        if mrkdwn:
            if "<" in s or ">" in s:
                self.bad(where, "unescaped < or > in mrkdwn (a link or "
                         "mention could form): %r" % s[:80])
            rest = ENTITY.sub("", s)
            if "&" in rest:
                self.bad(where, "unescaped & in mrkdwn: %r" % s[:80])
        for f in self.forbid:
            if f in s:
                self.bad(where, "outside text %r appears as is" % f)

    def text_object(self, where, o, limit, types=("plain_text", "mrkdwn")):
        if not isinstance(o, dict):
            self.bad(where, "a text object must be an object")
            return
        t = o.get("type")
        if t not in types:
            self.bad(where, "text object type %r, not one of %s"
                     % (t, "/".join(types)))
        for k in o:
            if k not in ("type", "text", "emoji", "verbatim"):
                self.bad(where, "unknown field %r in a text object" % k)
        self.text(where, o.get("text"), limit, t == "mrkdwn")

    def block(self, i, b):
        where = "block %d" % i
        if not isinstance(b, dict):
            self.bad(where, "a block must be an object")
            return
        t = b.get("type")
        where += " (%s)" % t
        allowed = {"type", "block_id"}
        if "block_id" in b:
            bid = b["block_id"]
            if not isinstance(bid, str) or bid == "" or \
                    units(bid) > BLOCK_ID_MAX:
                self.bad(where, "block_id must be 1 to %d characters"
                         % BLOCK_ID_MAX)
            elif bid in self.ids:
                self.bad(where, "block_id %r is not unique" % bid)
            else:
                self.ids.add(bid)
        if t == "header":
            allowed |= {"text"}
            if "text" not in b:
                self.bad(where, "a header needs text")
            else:
                self.text_object(where, b["text"], HEADER_MAX,
                                 ("plain_text",))
        elif t == "section":
            allowed |= {"text", "fields", "accessory"}
            if "text" not in b and "fields" not in b:
                self.bad(where, "a section needs text or fields")
            if "text" in b:
                self.text_object(where, b["text"], TEXT_MAX)
            if "fields" in b:
                f = b["fields"]
                if not isinstance(f, list) or not f:
                    self.bad(where, "fields must be a non-empty array")
                elif len(f) > FIELDS_MAX:
                    self.bad(where, "%d fields, more than %d"
                             % (len(f), FIELDS_MAX))
                for k, o in enumerate(f if isinstance(f, list) else []):
                    self.text_object("%s field %d" % (where, k), o,
                                     FIELD_MAX)
        elif t == "context":
            allowed |= {"elements"}
            e = b.get("elements")
            if not isinstance(e, list) or not e:
                self.bad(where, "a context needs 1 or more elements")
            elif len(e) > CONTEXT_MAX:
                self.bad(where, "%d elements, more than %d"
                         % (len(e), CONTEXT_MAX))
            for k, o in enumerate(e if isinstance(e, list) else []):
                self.text_object("%s element %d" % (where, k), o, TEXT_MAX)
        elif t == "divider":
            pass
        else:
            self.bad(where, "a block type this checker does not know")
        for k in b:
            if k not in allowed:
                self.bad(where, "unknown field %r" % k)

    def message(self, m):
        if not isinstance(m, dict):
            self.bad("message", "must be a JSON object")
            return
        for k in m:
            if k not in ("text", "blocks"):
                self.bad("message", "unknown field %r" % k)
        if "text" not in m:
            self.bad("message", "no top-level text (the notification's)")
        else:
            self.text("message text", m["text"], TOP_TEXT_MAX, True)
        b = m.get("blocks")
        if not isinstance(b, list) or not b:
            self.bad("message", "blocks must be a non-empty array")
            return
        if len(b) > MAX_BLOCKS:
            self.bad("message", "%d blocks, more than %d"
                     % (len(b), MAX_BLOCKS))
        for i, block in enumerate(b):
            self.block(i, block)


def main(argv):
    forbid, files = [], []
    i = 1
    while i < len(argv):
        if argv[i] == "--forbid" and i + 1 < len(argv):
            forbid.append(argv[i + 1])
            i += 2
        else:
            files.append(argv[i])
            i += 1
    try:
        if files:
            with open(files[0], encoding="utf-8") as f:
                raw = f.read()
        else:
            raw = sys.stdin.read()
        m = json.loads(raw)
    except (OSError, ValueError) as e:
        print("check_blockkit: not a JSON message: %s" % e, file=sys.stderr)
        return 1
    c = Checker(forbid)
    c.message(m)
    for p in c.problems:
        print("check_blockkit: %s" % p, file=sys.stderr)
    return 1 if c.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
