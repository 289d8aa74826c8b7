"""Request (and, in self-test mode, response) validation against Airflow's
OpenAPI documents (shared/reference/openapi), for the API emulator.

Spec(path, prefix) loads one document.  Spec.check(method, path, query,
body) finds the operation, checks its path and query parameters (names,
types, enums, minimum/maximum, date-times) and its JSON body (jsonschema,
$refs resolved inside the document), and answers (op, params, errors): the
parameters coerced to their types with the spec's defaults filled in, and a
list of error dicts {loc, msg, input} (empty when the request is valid).

Both documents mark optional values with OpenAPI 3.0's `nullable: true`;
it becomes a JSON Schema type union before validation.  Date-times must be
RFC 3339 (a time zone is required), as the servers' parsers demand.

Debian 12: python3-yaml, python3-jsonschema.
"""

import copy
import datetime
import re
import urllib.parse

import jsonschema
import yaml


def _nullable(node):
    """A copy of node with `nullable: true` turned into JSON Schema."""
    if isinstance(node, list):
        return [_nullable(x) for x in node]
    if not isinstance(node, dict):
        return node
    out = {k: _nullable(v) for k, v in node.items()}
    if out.pop("nullable", False):
        if "type" in out and isinstance(out["type"], str):
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = list(out["enum"]) + [None]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(v):
    """RFC 3339: a date, a time and a zone (Z or an offset)."""
    if not isinstance(v, str):
        return True
    if not re.match(r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|z|[+-]\d\d:?\d\d)$", v):
        raise ValueError("not an RFC 3339 date-time with a zone: %r" % v)
    parse_time(v)
    return True


def parse_time(v):
    """A timezone-aware datetime from an RFC 3339 string."""
    s = v.replace("z", "Z")
    if s.endswith("Z"):
        s = s[:-1] + "+00:00"
    return datetime.datetime.fromisoformat(s)


class Spec:
    def __init__(self, path, prefix):
        with open(path) as f:
            # libyaml's loader when there: ten times faster at start-up.
            doc = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        self.prefix = prefix            # v1: /api/v1 (its paths are relative)
        self.components = _nullable(doc.get("components") or {})
        self.ops = []
        for p, item in (doc.get("paths") or {}).items():
            full = p if p.startswith("/api/") else prefix + p
            names = re.findall(r"\{([^}]+)\}", full)
            rx = "^" + re.sub(r"\\\{[^}]+\\\}", "([^/]+)", re.escape(full)) + "$"
            common = item.get("parameters") or []
            for method, op in item.items():
                if method not in ("get", "post", "put", "patch", "delete"):
                    continue
                params = [self.deref(x) for x in common + (op.get("parameters") or [])]
                self.ops.append((len(names), method.upper(), re.compile(rx), names, op, params))
        # Literal paths before templated ones (/dags/~/dagRuns/list).
        self.ops.sort(key=lambda o: o[0])

    def deref(self, node):
        while isinstance(node, dict) and "$ref" in node:
            parts = node["$ref"].lstrip("#/").split("/")
            n = {"components": self.components}
            for part in parts:
                n = n[part]
            node = n
        return node

    def validator(self, schema):
        root = dict(_nullable(schema))
        root["components"] = self.components
        return jsonschema.Draft202012Validator(root, format_checker=FORMATS)

    def find(self, method, path):
        for _, m, rx, names, op, params in self.ops:
            if m != method:
                continue
            mt = rx.match(path)
            if mt:
                return op, params, dict(zip(names, (urllib.parse.unquote(x) for x in mt.groups())))
        return None, None, None

    def check(self, method, path, query, body, content_type="application/json"):
        """(op, params, errors) for one request; op None if none matches."""
        op, params, pathvals = self.find(method, path)
        if op is None:
            return None, {}, []
        errors = []
        got = urllib.parse.parse_qs(query, keep_blank_values=True)
        out = {}
        known = set()
        for prm in params:
            name, where = prm.get("name"), prm.get("in")
            schema = _nullable(prm.get("schema") or {})
            if where == "path":
                raw = [pathvals.get(name)]
            elif where == "query":
                known.add(name)
                raw = got.get(name)
            else:
                continue                # headers and cookies: not checked
            if raw is None:
                if prm.get("required"):
                    errors.append({"type": "missing", "loc": [where, name], "msg": "Field required", "input": None})
                elif "default" in schema:
                    out[name] = copy.deepcopy(schema["default"])
                continue
            value = self.coerce(schema, raw)
            for e in self.validator(schema).iter_errors(value):
                errors.append({"type": "value_error", "loc": [where, name], "msg": e.message, "input": value})
            out[name] = value
        for name in got:
            if name not in known:
                errors.append({"type": "extra_forbidden", "loc": ["query", name],
                               "msg": "Extra query parameter %s not in spec" % name, "input": got[name]})
        rb = op.get("requestBody")
        if rb:
            rb = self.deref(rb)
            schema = ((rb.get("content") or {}).get("application/json") or {}).get("schema")
            if body is None or body == b"":
                if rb.get("required"):
                    errors.append({"type": "missing", "loc": ["body"], "msg": "Field required", "input": None})
            elif schema is not None:
                import json
                try:
                    doc = json.loads(body)
                except ValueError as e:
                    errors.append({"type": "json_invalid", "loc": ["body"], "msg": "JSON decode error: %s" % e, "input": None})
                else:
                    for e in self.validator(schema).iter_errors(doc):
                        errors.append({"type": "value_error", "loc": ["body"] + list(e.absolute_path),
                                       "msg": e.message, "input": e.instance})
                    errors += self.unknown_fields(schema, doc)
                    out["__body__"] = doc
        return op, out, errors

    # Fields Airflow 2.10's marshmallow forms take beyond the document's
    # (TaskInstanceBatchFormSchema: it loads page_offset and page_limit but
    # does not apply them, and applies order_by).
    V1_EXTRA = {"ListTaskInstanceForm": {"page_offset", "page_limit", "order_by"}}

    def unknown_fields(self, schema, doc):
        """Airflow 2 loads bodies with marshmallow, which refuses a field
        its schema does not name ("Unknown field."), though the OpenAPI
        document allows more; FastAPI's (v2) say so in the document."""
        name = schema.get("$ref", "").split("/")[-1] if isinstance(schema, dict) else ""
        schema = self.deref(schema)
        if self.prefix != "/api/v1" or not isinstance(doc, dict) or "properties" not in schema:
            return []
        known = set(schema["properties"]) | self.V1_EXTRA.get(name, set())
        return [{"type": "extra_forbidden", "loc": ["body", k], "msg": "Unknown field.", "input": doc[k]}
                for k in doc if k not in known]

    def coerce(self, schema, raw):
        """Query strings to the schema's types (arrays repeat the name)."""
        types = self.types(schema)
        if "array" in types:
            items = schema.get("items") or {}
            for alt in schema.get("anyOf") or []:
                if isinstance(alt, dict) and alt.get("type") == "array":
                    items = alt.get("items") or {}
            return [self.scalar(self.types(_nullable(self.deref(items))), v) for v in raw]
        return self.scalar(types, raw[-1])

    def types(self, schema):
        schema = self.deref(schema)
        t = schema.get("type")
        out = [t] if isinstance(t, str) else list(t or [])
        for alt in (schema.get("anyOf") or []) + (schema.get("oneOf") or []):
            out += self.types(alt)
        return out

    @staticmethod
    def scalar(types, v):
        if v is None:
            return None
        for t in types:
            if t == "integer" and re.match(r"^[+-]?\d+$", v):
                return int(v)
            if t == "number":
                try:
                    return float(v)
                except ValueError:
                    pass
            if t == "boolean" and v.lower() in ("true", "false"):
                return v.lower() == "true"
        return v

    def check_response(self, op, status, doc):
        """Errors of a JSON answer against the operation's response schema."""
        r = (op.get("responses") or {}).get(str(status))
        if r is None:
            return []
        r = self.deref(r)
        schema = ((r.get("content") or {}).get("application/json") or {}).get("schema")
        if schema is None:
            return []
        return [{"loc": ["response"] + list(e.absolute_path), "msg": e.message}
                for e in self.validator(schema).iter_errors(doc)]
