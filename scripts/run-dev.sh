#!/usr/bin/env bash
# Start the background worker, the scheduler, the web server on SQLite and the demo CRM (a
# REST service the demo's HTTP source reaches; only once `personvern demo` has made its token).
# Ctrl-C, or SIGTERM to this script or to the make that runs it, stops all four.
#   PORT=8010 make run                  another port (default 8000; the CRM on PORT+1)
#   CRM_PORT=9001 make run              the demo CRM on another port
#   PERSONVERN_ADDR=0.0.0.0:8000 make run   another address and port
#
# Each process runs in its own process group (set -m), so that stopping reaches the web
# server's auto-reloader child too; a trapped signal interrupts `wait` at once, where a
# foreground command would hold the trap until it ended by itself.
set -euo pipefail
set -m
BIN=${BIN:-.venv/bin}
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-personvern.settings.development}
PORT=${PORT:-8000}
ADDR=${PERSONVERN_ADDR:-127.0.0.1:$PORT}
# How long the worker may take to finish the job in hand before it is stopped hard.
STOP_SECONDS=${STOP_SECONDS:-20}
CRM_ADDR=127.0.0.1:${CRM_PORT:-$((PORT + 1))}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECRETS=${PERSONVERN_SECRETS_DIR:-${PERSONVERN_VAR_DIR:-$ROOT/var}/secrets}
CRM_TOKEN_FILE=$SECRETS/demo-crm.token

pids=()
stop() {
  trap - INT TERM EXIT
  local pid
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for _ in $(seq $((STOP_SECONDS * 10))); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 -- "-$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && return 0
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap 'stop' EXIT

if [ -f "$CRM_TOKEN_FILE" ]; then
  # The demo's HTTP source reads the CRM's token from this variable, in the worker (requests)
  # and the web server (staff look-ups); the CRM reads the file itself.
  PERSONVERN_SOURCE_DEMO_CRM_TOKEN=$(cat "$CRM_TOKEN_FILE")
  export PERSONVERN_SOURCE_DEMO_CRM_TOKEN
fi
"$BIN/personvern" worker &
pids+=($!)
"$BIN/personvern" scheduler &
pids+=($!)
"$BIN/personvern" serve "$ADDR" &
pids+=($!)
crm="not started: no token in $CRM_TOKEN_FILE (personvern demo makes it)"
if [ -f "$CRM_TOKEN_FILE" ]; then
  "$BIN/personvern" democrm "$CRM_ADDR" --token-file "$CRM_TOKEN_FILE" &
  pids+=($!)
  crm="http://$CRM_ADDR/api/contacts (pid ${pids[3]}; bearer token in $CRM_TOKEN_FILE)"
fi

cat <<EOT

  Personvern is starting on http://$ADDR    (another port: PORT=8010 make run)
    Staff UI        http://$ADDR/admin/
    API docs        http://$ADDR/api/docs
    Portal          http://$ADDR/portal/          (data subjects; ?lang=en)
    Privacy notice  http://$ADDR/personvern       (the published version; staff: ?preview=1)
    Banner demo     http://$ADDR/website/demo/
    Health          http://$ADDR/healthz
  Demo CRM        $crm
    The demo's customer contacts: requests reach them there, in the accounting
    database and in the paper archive (a task for kundeservice) as in the register.
  Demo staff login: personvern / personvern-demo   (privacy officer)
    also kundeservice, salg, revisor, sikkerhet with the same password (one per role)
    The demo logins skip the second factor (PERSONVERN_2FA_DEMO_SKIP, development
    only); staff you add yourself as privacy officer or security set one up at sign-in.
    Passkeys need http://localhost:$PORT (WebAuthn refuses an IP address).
  Mail (portal letters, reminders) is printed here, on the console.
  Background worker (pid ${pids[0]}) and scheduler (pid ${pids[1]}) running; the
    retention sweep runs daily at 02:30. Ctrl-C stops everything.

EOT
# Until one of them ends by itself (the port taken, say) or a signal comes: then all stop,
# with the status of the one that ended.
status=0
wait -n "${pids[@]}" || status=$?
exit "$status"
