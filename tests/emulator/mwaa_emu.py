#!/usr/bin/python3
"""mwaa_emu.py: Amazon MWAA's InvokeRestApi for dagtop's tests.

Standard library only.  Serves POST /restapi/NAME on 127.0.0.1 and a port
of the system's choosing (written to --port-file): it checks the AWS
Signature Version 4 of the request (service "airflow", --region, the
--access-key and --secret-key pair, and --session-token in
X-Amz-Security-Token when given) by computing it again with hmac and
hashlib, then makes the Airflow call the body describes ({"Path",
"Method", "QueryParameters", "Body"}) on the Airflow API emulator at
--airflow (its --api-prefix, /api/v1 or /api/v2, put in front of Path)
and answers {"RestApiStatusCode", "RestApiResponse"}: 200 for an Airflow
2xx, else 400 (RestApiClientException) or 500 (RestApiServerException)
with the same fields, as MWAA does.  A bad signature is 403, an unknown
environment 404.  Each call is logged to --log as "METHOD PATH sig=ok".
"""
import argparse
import hashlib
import hmac
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARGS = None


def log(line):
    if ARGS.log:
        with open(ARGS.log, "a") as f:
            f.write(line + "\n")


def hm(key, msg):
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def signature_ok(method, path, query, headers, body):
    """Why the SigV4 signature is wrong, or None when it is right."""
    auth = headers.get("Authorization", "")
    if not auth.startswith("AWS4-HMAC-SHA256 "):
        return "no SigV4 Authorization"
    try:
        parts = dict(p.strip().split("=", 1) for p in auth[17:].split(","))
        access, date, region, service, term = parts["Credential"].split("/")
        signed = parts["SignedHeaders"].split(";")
    except (KeyError, ValueError):
        return "malformed Authorization"
    if access != ARGS.access_key:
        return "unknown access key"
    if (region, service, term) != (ARGS.region, "airflow", "aws4_request"):
        return "wrong scope %s/%s/%s" % (region, service, term)
    for need in ("host", "x-amz-date"):
        if need not in signed:
            return "%s not signed" % need
    if ARGS.session_token:
        if headers.get("X-Amz-Security-Token") != ARGS.session_token:
            return "wrong session token"
        if "x-amz-security-token" not in signed:
            return "session token not signed"
    canon_q = "&".join(sorted(
        "%s=%s" % (urllib.parse.quote(k, safe="-_.~"),
                   urllib.parse.quote(v, safe="-_.~"))
        for k, v in urllib.parse.parse_qsl(query, keep_blank_values=True)))
    canon_h = "".join("%s:%s\n" % (k, " ".join((headers.get(k) or "").split()))
                      for k in signed)
    creq = "\n".join([method, path, canon_q, canon_h, ";".join(signed),
                      hashlib.sha256(body).hexdigest()])
    sts = "\n".join(["AWS4-HMAC-SHA256", headers.get("X-Amz-Date", ""),
                     "/".join([date, region, service, term]),
                     hashlib.sha256(creq.encode()).hexdigest()])
    k = hm(("AWS4" + ARGS.secret_key).encode(), date)
    for part in (region, service, term):
        k = hm(k, part)
    want = hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()
    return None if hmac.compare_digest(want, parts.get("Signature", "")) \
        else "signature mismatch"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *a):
        pass

    def reply(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        u = urllib.parse.urlsplit(self.path)
        why = signature_ok("POST", u.path, u.query, self.headers, raw)
        if why:
            log("POST %s sig=%s" % (u.path, why))
            return self.reply(403, {"Message": "The request signature we "
                                    "calculated does not match (%s)" % why})
        if u.path != "/restapi/" + ARGS.name:
            log("POST %s unknown" % u.path)
            return self.reply(404, {"Message": "Environment not found"})
        doc = json.loads(raw or b"{}")
        q = doc.get("QueryParameters") or {}
        qs = urllib.parse.urlencode(q, doseq=True)
        log("POST %s sig=ok %s %s%s" % (u.path, doc.get("Method"),
                                       doc.get("Path"), "?" + qs if qs else ""))
        url = ARGS.airflow + ARGS.api_prefix + doc.get("Path", "") + \
            ("?" + qs if qs else "")
        data = None if doc.get("Body") is None else \
            json.dumps(doc["Body"]).encode()
        req = urllib.request.Request(url, data=data, method=doc.get("Method"))
        req.add_header("Accept", "application/json")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                code, text = r.status, r.read()
        except urllib.error.HTTPError as e:
            code, text = e.code, e.read()
        try:
            inner = json.loads(text)
        except ValueError:
            inner = text.decode("utf-8", "replace")
        out = {"RestApiStatusCode": code, "RestApiResponse": inner}
        self.reply(200 if code < 400 else 400 if code < 500 else 500, out)


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--airflow", required=True, help="the Airflow emulator's root")
    ap.add_argument("--api-prefix", default="/api/v1")
    ap.add_argument("--name", default="MyEnvironment")
    ap.add_argument("--region", default="eu-west-1")
    ap.add_argument("--access-key", required=True)
    ap.add_argument("--secret-key", required=True)
    ap.add_argument("--session-token")
    ap.add_argument("--log")
    ARGS = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    tmp = ARGS.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_port)
    os.rename(tmp, ARGS.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
