#!/usr/bin/env bash
# Start the background worker and the web server on SQLite; stop both on Ctrl-C.
set -euo pipefail
BIN=${BIN:-.venv/bin}
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-personvern.settings.development}
ADDR=${PERSONVERN_ADDR:-127.0.0.1:8000}

"$BIN/personvern" worker &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM

cat <<EOT

  Personvern is starting on http://$ADDR
    Staff UI   http://$ADDR/admin/
    API docs   http://$ADDR/api/docs
    Health     http://$ADDR/healthz
  Demo staff login: personvern / personvern-demo   (privacy officer)
    also kundeservice, salg, revisor with the same password (one per role)
  Background worker running (pid $worker). Ctrl-C stops both.

EOT
"$BIN/personvern" serve "$ADDR"
