# bigquery_emu.sh: start and stop tests/emulator/bigquery_emu.py for a test.
# Sourced.  bq_emu_start DIR [DAGS] makes, in DIR, an RSA test key pair
# (openssl genpkey), a service-account key file (sa.json) and a gcloud ADC
# file with a refresh token (adc/application_default_credentials.json), then
# starts the emulator on 127.0.0.1 and a free port and sets BQ_EMU_PORT,
# BQ_EMU_URL (its root), BQ_EMU_LOG and BQ_EMU_PID.  The caller stops it
# with bq_emu_stop, from a trap.  BQ_EMU_ARGS adds arguments (words split:
# --composer ENV=URL[,IMAGE], --fixed-token TOKEN).
BQ_EMU_PY=${BQ_EMU_PY:-/usr/bin/python3}

bq_emu_start() {
	_d=$1
	_dags=${2:-etl_daily}
	mkdir -p "$_d/adc"
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
	    -out "$_d/key.pem" 2>/dev/null || return 1
	openssl pkey -in "$_d/key.pem" -pubout -out "$_d/pub.pem" 2>/dev/null ||
	    return 1
	BQ_EMU_LOG=$_d/emu.log
	: >"$BQ_EMU_LOG"
	rm -f "$_d/port"
	"$BQ_EMU_PY" tests/emulator/bigquery_emu.py --port-file "$_d/port" \
	    --public-key "$_d/pub.pem" --log "$BQ_EMU_LOG" --dags "$_dags" \
	    ${BQ_EMU_ARGS:-} 2>"$_d/emu.err" &
	BQ_EMU_PID=$!
	_i=0
	while [ ! -s "$_d/port" ]; do
		_i=$((_i + 1))
		if [ $_i -gt 100 ] || ! kill -0 "$BQ_EMU_PID" 2>/dev/null; then
			echo "bigquery emulator did not start:" >&2
			cat "$_d/emu.err" >&2
			return 1
		fi
		sleep 0.1
	done
	BQ_EMU_PORT=$(cat "$_d/port")
	BQ_EMU_URL=http://127.0.0.1:$BQ_EMU_PORT
	"$BQ_EMU_PY" - "$_d" "$BQ_EMU_URL" <<'PY'
import json, os, sys
d, url = sys.argv[1], sys.argv[2]
pem = open(os.path.join(d, "key.pem")).read()
sa = {"type": "service_account", "project_id": "emu-project",
      "private_key_id": "emu-key-1", "private_key": pem,
      "client_email": "dagtop-test@emu-project.iam.gserviceaccount.com",
      "client_id": "1234567890", "token_uri": url + "/token"}
with open(os.path.join(d, "sa.json"), "w") as f:
    json.dump(sa, f)
adc = {"type": "authorized_user", "client_id": "emu-client.apps",
       "client_secret": "emu-secret", "refresh_token": "emu-refresh-token"}
with open(os.path.join(d, "adc", "application_default_credentials.json"),
          "w") as f:
    json.dump(adc, f)
PY
	chmod 600 "$_d/sa.json" "$_d/key.pem" \
	    "$_d/adc/application_default_credentials.json"
}

# Safe under set -e and from traps: never fails.
bq_emu_stop() {
	if [ -n "${BQ_EMU_PID:-}" ]; then
		kill "$BQ_EMU_PID" 2>/dev/null || true
		wait "$BQ_EMU_PID" 2>/dev/null || true
		BQ_EMU_PID=
	fi
}
