#!/usr/bin/python3
"""fourkeys_check.py EXPECTED.json REPORT.json: compares the keys of
`dagtop report fourkeys --format json` with the hand-computed ones of the
GitHub emulator's test dataset; prints every difference, exits 1 on any.

EXPECTED: {"window_days": 30, "services": {NAME: {"current": {...},
"previous": {...}}}} with deployments, changes, lead_median_s, lead_p90_s,
failed, cfr, incidents, restored, restore_median_s, freq (null where there
is no data)."""
import json
import sys


def got_of(svc, which):
    f, l, c, r = (svc["deployment_frequency"], svc["lead_time"],
                  svc["change_failure_rate"], svc["time_to_restore"])
    if which == "current":
        return {"deployments": f["deployments"], "changes": l["changes"],
                "lead_median_s": l["median_seconds"],
                "lead_p90_s": l["p90_seconds"],
                "failed": c["failed_deployments"], "cfr": c["rate"],
                "incidents": r["incidents"], "restored": r["restored"],
                "restore_median_s": r["median_seconds"], "freq": f["class"]}
    p = {"deployments": f["previous"]["deployments"],
         "changes": l["previous"]["changes"],
         "lead_median_s": l["previous"]["median_seconds"],
         "lead_p90_s": l["previous"]["p90_seconds"],
         "failed": c["previous"]["failed_deployments"],
         "cfr": c["previous"]["rate"],
         "incidents": r["previous"]["incidents"],
         "restored": r["previous"]["restored"],
         "restore_median_s": r["previous"]["median_seconds"],
         "freq": f["previous"]["class"]}
    return p


def same(a, b):
    if b == -1:		# the hand-computed file writes no data as -1
        b = None
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and abs(a - b) < 1e-3
    return a == b


def main():
    exp = json.load(open(sys.argv[1]))
    got = json.load(open(sys.argv[2]))
    bad = 0
    by = {s["name"]: s for s in got["services"]}
    for name, windows in exp["services"].items():
        svc = by.get(name)
        if svc is None or svc.get("error"):
            print("%s: missing or failed: %s" % (name, svc and svc["error"]))
            bad += 1
            continue
        for which, keys in windows.items():
            if which not in ("current", "previous"):
                continue
            g = got_of(svc, which)
            for k, v in keys.items():
                if k not in g:
                    continue
                if not same(g[k], v):
                    print("%s %s %s: got %r, expected %r" %
                          (name, which, k, g[k], v))
                    bad += 1
    return 1 if bad else 0


sys.exit(main())
