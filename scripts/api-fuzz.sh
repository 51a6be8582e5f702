#!/usr/bin/env bash
# Schemathesis over the whole OpenAPI document, through real HTTP, against a real server
# process with the demo organisation loaded and a privacy officer's API token: no 5xx, every
# status documented, every body matching its schema (all checks but positive_data_acceptance:
# business rules such as "this cookie name is legal" or "this person exists" are not all
# expressible in JSON Schema, and they answer a documented, coded 422 or 404).
#
#   bash scripts/api-fuzz.sh sqlite            # a fresh SQLite database in a temporary folder
#   bash scripts/api-fuzz.sh postgres URL      # a fresh database next to URL's (dropped after)
#
# Bounded for CI by FUZZ_EXAMPLES (per operation) and a fixed FUZZ_SEED; set FUZZ_SEED=random
# and a larger FUZZ_EXAMPLES for a longer hunt.
set -euo pipefail
BIN=${BIN:-.venv/bin}
KIND=${1:?sqlite or postgres}
EXAMPLES=${FUZZ_EXAMPLES:-20}
SEED=${FUZZ_SEED:-20261130}

work=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  if [ "$KIND" = postgres ]; then "$BIN/python" scripts/pg_database.py drop "$DATABASE_URL" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

export DJANGO_SETTINGS_MODULE=personvern.settings.production
export PERSONVERN_SECRET_KEY="fuzz-only-$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
export PERSONVERN_SSL_REDIRECT=0 PERSONVERN_IP_LOG=0 PERSONVERN_PUBLIC_RATE=1000000
export PERSONVERN_VAR_DIR="$work" PERSONVERN_MEDIA_ROOT="$work/media"
export EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend
export ALLOWED_HOSTS=127.0.0.1 PERSONVERN_SEED_DIR=${PERSONVERN_SEED_DIR:-../shared/seed}
if [ "$KIND" = postgres ]; then
  DATABASE_URL=$("$BIN/python" scripts/pg_database.py create "${2:?the PostgreSQL URL}" personvern_fuzz)
  export DATABASE_URL
else
  unset DATABASE_URL
fi

manage() { "$BIN/python" manage.py "$@"; }
manage migrate --noinput -v0
manage demo >/dev/null
token=$(manage token create personvern fuzz 2>/dev/null | tail -n1)
port=$("$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
manage runserver "127.0.0.1:$port" --noreload >"$work/server.log" 2>&1 &
server=$!
# Up once it answers at all: /healthz says 503 here, with no worker or scheduler running.
for _ in $(seq 100); do
  "$BIN/python" -c 'import sys, urllib.error, urllib.request
try: urllib.request.urlopen(sys.argv[1], timeout=2)
except urllib.error.HTTPError: pass' "http://127.0.0.1:$port/healthz" 2>/dev/null && break
  sleep 0.2
done

seed=()
[ "$SEED" = random ] || seed=(--seed "$SEED" --generation-deterministic)
status=0
"$BIN/schemathesis" run "http://127.0.0.1:$port/api/openapi.json" \
  -H "Authorization: Bearer $token" \
  --checks all --exclude-checks positive_data_acceptance \
  --max-examples "$EXAMPLES" "${seed[@]}" --workers 2 \
  --suppress-health-check all --no-color || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- server errors logged (class and place only) ---"
  grep -E "^[A-Za-z_.]+(Error|Exception):|Internal Server Error" "$work/server.log" | sort | uniq -c | head -40 || true
fi
exit "$status"
