#!/bin/sh
# End-to-end test of the Four Keys pane: the real binary in a private tmux
# server at 80x24, the Airflow database of tests/integration/run.sh and the
# GitHub emulator (dataset "test").  Nothing is read from GitHub before the
# pane is shown; the rows, bands and sparklines; Enter to the deployments
# and incidents behind the numbers and back; a failing service that does
# not hold up the others; a rate-limit pause shown with its reset time and
# recovered from; ASCII drawing.
# Usage: fourkeys.sh DAGTOP_BINARY
set -u
cd "$(dirname "$0")/../.."
. tests/lib/pg.sh
. tests/lib/github_emu.sh
bin=$1
sock=dagtop-fk-$$
T="tmux -L $sock -f /dev/null"
. tests/lib/tmux.sh
dir=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-e2e-fk.XXXXXX")
cleanup() { gh_emu_stop; $T kill-server 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

TOKEN=ghp_e2eToken
gh_emu_start "$dir" --dataset test --token "$TOKEN" || exit 1
mkdir -p "$dir/home"
cat >"$dir/config" <<CONF
[dagtop]
github_url = $GH_EMU_URL
github_token_env = GH_TEST_TOKEN
github_max_wait = 60

[context e2e]
database = postgresql://reader@127.0.0.1:$PGPORT/af2
database_password_env = E2E_PW

[service "api"]
repos = acme/api
environment = production

[service "web"]
repos = acme/web
deployments = releases

[service "data"]
repos = acme/data
deployments = merges
lead_time = pull_requests

[service "broken"]
repos = broken/api
CONF
chmod 600 "$dir/config"

# The numbers the pane must show, from the hand-computed file.
eval "$(/usr/bin/python3 - tests/emulator/fixtures/github_expected.json <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))["services"]
def cur(s): return e[s]["current"]
a = cur("api")
print("API_CFR='%d%%'" % round(a["cfr"] * 100) if a["cfr"] is not None else "API_CFR='no data'")
print("API_DEPLOYS='%d deploys'" % a["deployments"])
print("WEB_DEPLOYS='%d deploys'" % cur("web")["deployments"])
# Each figure with the cue that must sit right after it: the arrow is the
# way the value moved since the 30 days before, +/- (or the word at 200
# columns) whether that is better; none when either side has no data.
def dur(s):
    if s is None or s < 0: return "no data"
    if s < 60: return "%ds" % s
    if s < 3600: return "%dm%02ds" % (s // 60, s % 60)
    if s < 86400: return "%dh%02dm" % (s // 3600, s % 3600 // 60)
    return "%dd%02dh" % (s // 86400, s % 86400 // 3600)
def cue(c, p, more_better, words):
    if c is None or p is None or c < 0 or p < 0 or c == p: return ""
    better = (c > p) == more_better
    arrow = "\u2191" if c > p else "\u2193"
    if words: return arrow + (" better" if better else " worse")
    return arrow + ("+" if better else "-")
for s in ("api", "web", "data"):
    for words, var in ((False, "CELLS"), (True, "WORDS")):
        c, p = e[s]["current"], e[s]["previous"]
        pd = c["deployments"] / 30
        fig = "%.1f/d" % pd if pd >= 1 else "%.1f/wk" % (pd * 7)
        cells = [fig + cue(pd, p["deployments"] / 30, True, words)]
        cells.append(dur(c["lead_median_s"]) + cue(c["lead_median_s"], p["lead_median_s"], False, words))
        cells.append(("no data" if c["cfr"] is None else "%.0f%%" % (c["cfr"] * 100)) + cue(c["cfr"], p["cfr"], False, words))
        cells.append(dur(c["restore_median_s"]) + cue(c["restore_median_s"], p["restore_median_s"], False, words))
        print("%s_%s='%s'" % (s.upper(), var, "|".join(cells)))
PY
)"

# check_cells SERVICE CELLS: the service's row holds each figure with its
# own cue right after it, in the order of the headings.
check_cells() {
	row=$($T capture-pane -p -t e2e | grep "^│ $1 ")
	pat=$(printf '%s' "$2" | sed 's/[.+^$*?()]/\\&/g; s/|/ +.* +/g')
	printf '%s\n' "$row" | grep -Eq -- "$pat" ||
	    fail "the row of $1 does not read: $2"
}

n=0
start() {
	n=$((n + 1))
	T="tmux -L $sock-$n -f /dev/null"
	session "env E2E_PW=reader-secret GH_TEST_TOKEN=$TOKEN TERM=tmux-256color LANG=${1:-C.UTF-8} HOME=$dir/home XDG_CACHE_HOME=$dir/cache TZ=UTC $bin --config $dir/config --view fourkeys ${2:-}; echo EXITED \$?; sleep 30"
}

start
expect "DAGs (" 15
sleep 1
grep -q "/repos/" "$GH_EMU_LOG" && fail "GitHub was read before the Four Keys pane was shown"
keys D
expect "Four Keys: 30 days, DORA 2023 bands" 10
expect "$API_DEPLOYS" 20
expect "$WEB_DEPLOYS" 20
expect "$API_CFR"
expect "GitHub answered 500" 20
# every row of the good services has its band words, nothing wraps
for s in api web data; do
	$T capture-pane -p -t e2e | grep -Eq "^│ $s +[0-9.]+/(d|wk)([^a-z]|$)" ||
	    fail "no numbers on the row of $s"
done
$T capture-pane -p -t e2e | grep -q "[▁▂▃▄▅▆▇█]" || fail "no sparkline blocks"
$T capture-pane -p -t e2e | grep -Eq "elite|high|medium|low" || fail "no bands"
$T capture-pane -p -t e2e | /usr/bin/python3 -c 'import sys; sys.exit(any(len(l.rstrip("\n")) > 80 for l in sys.stdin))' ||
    fail "lines wider than 80 columns"
$T capture-pane -p -t e2e | grep -Eq "^│ SERVICE +DEPLOYS +LEAD TIME +CHANGE FAIL +RESTORE +│" ||
    fail "a metric without its heading"
check_cells api "$API_CELLS"
check_cells web "$WEB_CELLS"
check_cells data "$DATA_CELLS"
expect "the way a figure moved since the 30 days before: + better, - worse"
# Nothing cut without a mark: the names whole, every band whole.
$T capture-pane -p -t e2e | grep -Eq "^│ broken " || fail "the service broken is cut"
# 200 columns: the same cues in words.
$T resize-window -t e2e -x 200 -y 60
sleep 0.5
check_cells api "$API_WORDS"
check_cells web "$WEB_WORDS"
check_cells data "$DATA_WORDS"
expect "the way a figure moved since the 30 days before"
$T resize-window -t e2e -x 80 -y 24
sleep 0.5

# Enter: the deployments and incidents behind api's numbers; q back.
keys g
keys Enter
expect "Four Keys: api, GitHub acme/api, deployments to production"
expect "DEPLOYMENTS  "
expect "WHEN         CHANGES  LEAD     INCIDENTS  DEPLOYMENT"
expect "acme/api@"
keys G
expect "INCIDENTS  "
expect "acme/api#"
keys q
expect "SERVICE  "
# Down to the broken service, whose error is its own.
keys j
keys j
keys j
keys Enter
expect "GitHub answered 500"
keys q

# The rate limit runs out: the pane says until when, then recovers.
curl -s -X POST "$GH_EMU_URL/_emu/exhaust?reset=6" >/dev/null
rm -rf "$dir/cache"
keys r
expect "GitHub rate limit: waiting until" 10
expect_not "waiting until" 15
expect "$API_DEPLOYS" 15
# The other panes were never held up: Tab to the runs pane and back.
keys q
expect "DAGs ("
keys Q
expect "EXITED 0" 10

# ASCII: the sparkline in digits and dots, the arrows as ^ and v.
start C.UTF-8 --ascii
expect "DAGs (" 15
keys D
expect "$API_DEPLOYS" 20
$T capture-pane -p -t e2e | grep -q "[▁▂▃▄▅▆▇█↑↓]" && fail "Unicode drawing with --ascii"
$T capture-pane -p -t e2e | grep -Eq "deploys [.1-9]+" || fail "no ASCII sparkline"
keys Q
expect "EXITED 0" 10

if [ "$fails" -gt 0 ]; then
	echo "Four Keys pane: $fails failure(s) ($bin)" >&2
	exit 1
fi
echo "Four Keys pane: all good ($bin)"
