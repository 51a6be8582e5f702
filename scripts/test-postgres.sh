#!/usr/bin/env bash
# Run the suite on PostgreSQL (with --fuzz: schemathesis over the API instead). Without a
# reachable server: a loud warning, or a failure in CI.
set -euo pipefail
BIN=${BIN:-.venv/bin}
PG_URL=${DATABASE_URL:-${PG_URL:-postgres://postgres@127.0.0.1:5432/test}}
if ! "$BIN/python" - "$PG_URL" <<'PY'
import sys
import psycopg
try:
    psycopg.connect(sys.argv[1], connect_timeout=5).close()
except Exception as exc:
    print(f"PostgreSQL unreachable: {type(exc).__name__}", file=sys.stderr)
    sys.exit(1)
PY
then
  if [ "${CI:-}" = "true" ]; then
    echo "ERROR: PostgreSQL is not reachable at the configured DATABASE_URL; CI requires it." >&2
    exit 1
  fi
  echo "################################################################" >&2
  echo "WARNING: PostgreSQL is not reachable; the PostgreSQL run is SKIPPED." >&2
  echo "Start it (see README) and run 'make test-postgres'." >&2
  echo "################################################################" >&2
  exit 0
fi
if [ "${1:-}" = "--fuzz" ]; then
  BIN="$BIN" exec bash scripts/api-fuzz.sh postgres "$PG_URL"
fi
# The deploy tests (an installation onto a PostgreSQL database of their own, make run on
# SQLite) do not depend on DATABASE_URL: they ran in the SQLite pass.
DATABASE_URL="$PG_URL" "$BIN/pytest" -q -p no:cacheprovider -m "not deploy"
