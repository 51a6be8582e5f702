#!/usr/bin/env bash
# Start the background worker, the scheduler and the web server on SQLite; Ctrl-C stops all.
set -euo pipefail
BIN=${BIN:-.venv/bin}
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-personvern.settings.development}
ADDR=${PERSONVERN_ADDR:-127.0.0.1:8000}

"$BIN/personvern" worker &
worker=$!
"$BIN/personvern" scheduler &
scheduler=$!
trap 'kill $worker $scheduler 2>/dev/null || true' EXIT INT TERM

cat <<EOT

  Personvern is starting on http://$ADDR
    Staff UI        http://$ADDR/admin/
    API docs        http://$ADDR/api/docs
    Portal          http://$ADDR/portal/          (data subjects; ?lang=en)
    Privacy notice  http://$ADDR/personvern       (the published version; staff: ?preview=1)
    Banner demo     http://$ADDR/website/demo/
    Health          http://$ADDR/healthz
  Demo staff login: personvern / personvern-demo   (privacy officer)
    also kundeservice, salg, revisor, sikkerhet with the same password (one per role)
    The demo logins skip the second factor (PERSONVERN_2FA_DEMO_SKIP, development
    only); staff you add yourself as privacy officer or security set one up at sign-in.
    Passkeys need http://localhost:8000 (WebAuthn refuses an IP address).
  Mail (portal letters, reminders) is printed here, on the console.
  Background worker (pid $worker) and scheduler (pid $scheduler) running; the
    retention sweep runs daily at 02:30. Ctrl-C stops everything.

EOT
"$BIN/personvern" serve "$ADDR"
