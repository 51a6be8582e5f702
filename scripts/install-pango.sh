#!/usr/bin/env bash
# Debian's pango, which WeasyPrint needs for the PDF exports (breach report, DPIA). Idempotent.
set -euo pipefail
if ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so.0' \
   && ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0'; then
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "WeasyPrint needs pango (libpango-1.0-0, libpangoft2-1.0-0): install it with your package manager." >&2
  exit 0
fi
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
echo "Installing Debian's pango for the PDF exports..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null
