#!/bin/sh
# test_github_emu.sh: checks tests/emulator/github_emu.py with curl:
# pagination, ETags, auth, User-Agent, rate limits, error injection and
# issue filters.  Exits non-zero on a failure; stops the emulator on exit.
set -eu
cd "$(dirname "$0")/../.."
. tests/lib/github_emu.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/gh-emu-test.XXXXXX")
cleanup() { set +e; gh_emu_stop; rm -rf "$T"; }
trap cleanup EXIT
fails=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1" >&2; fails=$((fails + 1)); }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }
UA="-A dagtop-test -H X-GitHub-Api-Version:2022-11-28"
get() { rm -f "$T/b"; : >"$T/b"; curl -s $UA -D "$T/h" -o "$T/b" -w '%{http_code}' "$@"; }
hdr() { tr -d '\r' <"$T/h" | sed -n "s/^$1: //Ip" | head -1; }
js() { /usr/bin/python3 -c "import json,sys; d=json.load(open('$T/b')); print($1)"; }

gh_emu_start "$T/a" --token sekrit --max-per-page 5 --rate-limit 50
U=$GH_EMU_URL
AUTH="-H Authorization:Bearer\ sekrit"

c=$(get "$U/repos/acme/api/deployments")
check "401 without token" '[ "$c" = 401 ] && grep -q "Requires authentication" "$T/b"'
c=$(get -H "Authorization: Bearer nope" "$U/repos/acme/api/deployments")
check "401 bad token" '[ "$c" = 401 ] && grep -q "Bad credentials" "$T/b"'
c=$(curl -s -A "" -H "Authorization: token sekrit" -o /dev/null -w '%{http_code}' "$U/repos/acme/api/deployments")
check "403 without User-Agent" '[ "$c" = 403 ]'
A="Authorization: token sekrit"

c=$(get -H "$A" "$U/repos/acme/api/deployments?environment=production&per_page=100")
check "deployments page 1" '[ "$c" = 200 ] && [ "$(js "len(d)")" = 5 ]'
check "per_page capped, Link next+last" 'hdr link | grep -q "rel=\"next\"" && hdr link | grep -q "rel=\"last\"" && ! hdr link | grep -q "rel=\"prev\""'
check "production only, newest first" '[ "$(js "all(x[\"environment\"]==\"production\" for x in d) and d==sorted(d,key=lambda x:x[\"created_at\"],reverse=True)")" = True ]'
next=$(hdr link | sed 's/.*<\([^>]*\)>; rel="next".*/\1/')
c=$(get -H "$A" "$next")
check "page 2 via Link" '[ "$c" = 200 ] && hdr link | grep -q "rel=\"prev\"" && hdr link | grep -q "rel=\"first\""'
last=$(hdr link | sed 's/.*<\([^>]*\)>; rel="last".*/\1/')
c=$(get -H "$A" "$last")
check "last page: no next" '[ "$c" = 200 ] && ! hdr link | grep -q "rel=\"next\""'

c=$(get -H "$A" "$U/repos/acme/web/releases")
etag=$(hdr etag)
check "ETag on 200" 'echo "$etag" | grep -q "^W/\"[0-9a-f]\{64\}\"$"'
used=$(hdr x-ratelimit-used)
c=$(get -H "$A" -H "If-None-Match: $etag" "$U/repos/acme/web/releases")
check "304 on If-None-Match, not counted" '[ "$c" = 304 ] && [ "$(hdr x-ratelimit-used)" = "$used" ] && [ ! -s "$T/b" ]'
check "304 logged" 'grep -q "^GET /repos/acme/web/releases 304" "$GH_EMU_LOG"'
check "log has api version and ua" 'grep -q "api=2022-11-28 ua=yes" "$GH_EMU_LOG"'

c=$(get -H "$A" "$U/repos/acme/api/issues?labels=incident&state=all&per_page=5")
check "issues: labelled PR present" '[ "$(js "sum(1 for x in d if \"pull_request\" in x)")" = 1 ] || { n=$(hdr link); [ -n "$n" ]; }'
c=$(get -H "$A" "$U/repos/acme/api/issues?labels=Incident&state=all&per_page=100")
check "labelled PR among incidents" '[ "$(js "sum(1 for x in d if \"pull_request\" in x)")" = 1 ]'
c=$(get -H "$A" "$U/repos/acme/api/issues?labels=Incident&per_page=100")
check "default state open" '[ "$(js "set(x[\"state\"] for x in d)")" = "{'"'"'open'"'"'}" ]'

c=$(get -H "$A" "$U/repos/acme/data/pulls?state=closed&base=main&sort=updated&direction=desc&per_page=100")
check "pulls closed into main" '[ "$(js "all(x[\"base\"][\"ref\"]==\"main\" and x[\"state\"]==\"closed\" for x in d) and d==sorted(d,key=lambda x:x[\"updated_at\"],reverse=True)")" = True ]'

gh_emu_stop
gh_emu_start "$T/b2"
U=$GH_EMU_URL
c=$(get "$U/repos/acme/api/issues?labels=Incident&state=all&since=2000-01-01T00:00:00Z&per_page=100")
n_all=$(js "len(d)")
now=$(curl -s "$U/_emu/now" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["now"])')
c=$(get "$U/repos/acme/api/issues?labels=Incident&state=all&per_page=100&since=$(date -u -d "@$((now - 60 * 86400))" +%Y-%m-%dT%H:%M:%SZ)")
check "since drops the old incident" '[ "$(js "len(d)")" = $((n_all - 1)) ]'
# compare: a range of 120 commits
b=$(curl -s -A t "$U/repos/acme/api/deployments?environment=production&per_page=100" | /usr/bin/python3 -c '
import json,sys; d=json.load(sys.stdin)
sh=[x["sha"] for x in d]
print(sh[-2][:7], sh[-3])')
set -- $b
c=$(get "$U/repos/acme/api/compare/$1...$2?per_page=100")
check "compare 120 commits, page 1" '[ "$c" = 200 ] && [ "$(js "(d[\"total_commits\"], len(d[\"commits\"]), \"files\" in d)")" = "(120, 100, True)" ]'
c=$(get "$U/repos/acme/api/compare/$1...$2?per_page=100&page=2")
check "compare page 2, no files" '[ "$(js "(len(d[\"commits\"]), \"files\" in d)")" = "(20, False)" ]'
c=$(get "$U/repos/acme/api/compare/deadbeef...$2")
check "compare unknown ref 404" '[ "$c" = 404 ] && grep -q "Not Found" "$T/b"'
c=$(get "$U/repos/acme/web/compare/v1.4.0...v1.5.0")
check "compare tags" '[ "$c" = 200 ] && [ "$(js "d[\"ahead_by\"]")" = 2 ]'

curl -s -X POST "$U/_emu/exhaust?reset=2" >/dev/null
c=$(get "$U/repos/acme/api")
check "exhausted: 403, remaining 0" '[ "$c" = 403 ] && [ "$(hdr x-ratelimit-remaining)" = 0 ] && grep -q "API rate limit exceeded" "$T/b"'
c=$(get "$U/rate_limit")
check "rate_limit answers, core remaining 0" '[ "$c" = 200 ] && [ "$(js "(d[\"resources\"][\"core\"][\"remaining\"], d[\"rate\"][\"remaining\"])")" = "(0, 0)" ]'
sleep 3
c=$(get "$U/repos/acme/api")
check "recovered after reset" '[ "$c" = 200 ] && [ "$(hdr x-ratelimit-remaining)" = 4999 ]'
curl -s -X POST "$U/_emu/secondary?retry_after=7" >/dev/null
c=$(get "$U/repos/acme/api")
check "secondary limit with retry-after" '[ "$c" = 403 ] && [ "$(hdr retry-after)" = 7 ] && grep -q "secondary rate limit" "$T/b"'
c=$(get "$U/repos/acme/api")
check "secondary limit once" '[ "$c" = 200 ]'

c=$(get "$U/repos/broken/api/deployments")
check "broken: 500" '[ "$c" = 500 ]'
c=$(get "$U/repos/acme/flaky/deployments")
c2=$(get "$U/repos/acme/flaky/deployments")
check "flaky: 502 then 200" '[ "$c" = 502 ] && [ "$c2" = 200 ]'
c=$(get "$U/repos/acme/garbage/releases")
check "garbage: 200, not JSON" '[ "$c" = 200 ] && ! /usr/bin/python3 -c "import json; json.load(open(\"$T/b\"))" 2>/dev/null'
c=$(get "$U/repos/acme/gone/releases")
check "gone: 404" '[ "$c" = 404 ]'
c=$(curl -s -A t -m 1 -o /dev/null -w '%{http_code}' "$U/repos/acme/slow/releases" || true)
c2=$(get -m 2 "$U/repos/acme/api")
check "slow hangs, others still served" '[ "$c" = 000 ] && [ "$c2" = 200 ]'
c=$(get "$U/_emu/stats")
check "stats" '[ "$(js "d[\"rate_limited\"] >= 2 and d[\"requests\"] > 5")" = True ]'

if [ "$fails" -ne 0 ]; then
	echo "$fails check(s) failed" >&2
	exit 1
fi
echo "all github emulator checks passed"
