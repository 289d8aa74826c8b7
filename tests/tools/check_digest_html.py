#!/usr/bin/env python3
"""check_digest_html.py FILE...: is each file an HTML mail page dagtop may send?

Exit 0 when every file passes, 1 when one does not (each reason on stderr),
2 on bad usage.  A file passes when:

 - it parses as strict XML (expat through xml.etree: well-formed, one root,
   no undefined entity; a DOCTYPE without an external subset is allowed)
   and its root is XHTML's <html>;
 - it has no <script>, no element that embeds or fetches another document
   or runs code (iframe, frame, frameset, object, embed, applet, base,
   link, form, portal, meta refresh), and no <img>, <source>, <video>,
   <audio>, <input> or <svg:image> with a remote or script source;
 - no attribute is an event handler (on*);
 - no URL attribute (href, src, action, background, poster, ...) nor any
   url(...) in a style attribute or <style> element points elsewhere (a
   relative reference in url() or in a sourced tag's src is fetched too,
   so refused like a remote one): no
   scheme but mailto: and cid: (data: for images only, never SVG), no
   scheme-relative //host; javascript:, vbscript: and data:text/html are
   refused however they are spelled (case, whitespace, control characters,
   entities are already decoded by the parser); no expression(), no
   @import, no behavior: in CSS.

Only the standard library: the lead runs it on any machine.
"""
import re
import sys
import xml.etree.ElementTree as ET

XHTML = "http://www.w3.org/1999/xhtml"

FORBIDDEN = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet",
    "base", "link", "form", "portal", "noscript", "template",
}
SOURCED = {"img", "source", "video", "audio", "input", "track", "image",
           "use", "feimage"}
URL_ATTRS = {"href", "src", "action", "formaction", "background", "poster",
             "cite", "longdesc", "usemap", "data", "codebase", "srcset",
             "lowsrc", "dynsrc", "xlink:href", "manifest", "ping",
             "profile", "icon"}
SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.I)
CSS_URL = re.compile(r"url\s*\(\s*(['\"]?)(.*?)\1\s*\)", re.I | re.S)
CSS_BAD = re.compile(r"expression\s*\(|@import|behavior\s*:|-moz-binding",
                     re.I)


def local(name):
    """'{ns}tag' -> 'tag', lower-cased."""
    return name.rsplit("}", 1)[-1].lower()


def squeeze(value):
    """A URL as a browser reads it: spaces and controls dropped."""
    return "".join(ch for ch in value if ord(ch) > 0x20 and ch != "\x7f")


def url_problem(value, image=False):
    """Why a URL is refused, or None."""
    v = squeeze(value)
    if v.startswith("//") or v.startswith("\\\\") or v.startswith("/\\"):
        return "a scheme-relative (remote) reference"
    m = SCHEME.match(v)
    if not m:
        return None
    scheme = m.group(1).lower()
    if scheme in ("mailto", "cid"):
        return None
    if scheme == "data" and image and re.match(
            r"data:image/(png|gif|jpeg|webp);", v, re.I):
        return None
    return "a %s: reference" % scheme


def css_problems(css):
    out = []
    for m in CSS_URL.finditer(css):
        why = url_problem(m.group(2), image=True)
        if why is not None:
            out.append("url() with " + why)
        elif squeeze(m.group(2)) and not SCHEME.match(squeeze(m.group(2))):
            out.append("url() with a relative reference (fetched)")
    if CSS_BAD.search(css):
        out.append("CSS that runs or imports (expression, @import, "
                   "behavior, -moz-binding)")
    return out


def check(path):
    problems = []
    try:
        tree = ET.parse(path)
    except ET.ParseError as e:
        return ["not well-formed XML: %s" % e]
    except OSError as e:
        return ["cannot read: %s" % e]
    root = tree.getroot()
    if root.tag != "{%s}html" % XHTML:
        problems.append("the root is %s, not XHTML's html" % root.tag)
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        tag = local(el.tag)
        if tag in FORBIDDEN:
            problems.append("<%s> is not allowed" % tag)
        if tag == "meta" and el.get("http-equiv", "").lower() == "refresh":
            problems.append("<meta http-equiv=refresh> is not allowed")
        if tag == "style" and el.text:
            problems.extend("<style>: " + p for p in css_problems(el.text))
        for name, value in el.attrib.items():
            attr = local(name)
            if name == "{http://www.w3.org/1999/xlink}href":
                attr = "xlink:href"
            if attr.startswith("on"):
                problems.append("<%s %s=...>: an event handler" % (tag, attr))
            elif attr in URL_ATTRS:
                image = tag in SOURCED and attr in ("src", "srcset")
                for part in (value.split(",") if attr == "srcset"
                             else [value]):
                    url = part.strip().split(" ")[0] \
                        if attr == "srcset" else part
                    why = url_problem(url, image)
                    if why is None and image and squeeze(url) and \
                            not SCHEME.match(squeeze(url)):
                        why = "a relative reference (fetched)"
                    if why is not None:
                        problems.append("<%s %s=%r>: %s" %
                                        (tag, attr, value[:60], why))
            elif attr == "style":
                problems.extend("<%s style>: %s" % (tag, p)
                                for p in css_problems(value))
    return problems


def main(argv):
    if len(argv) < 2:
        print("usage: check_digest_html.py FILE...", file=sys.stderr)
        return 2
    bad = False
    for path in argv[1:]:
        for p in check(path):
            print("%s: %s" % (path, p), file=sys.stderr)
            bad = True
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
