#!/usr/bin/env bash
# `make run`: creates var/hamyar.db with demo data the first time (printing the admin
# and demo passwords once), then serves hamyar on http://127.0.0.1:8110.
# HAMYAR_ADMIN_PASSWORD and HAMYAR_DEMO_PASSWORD choose the passwords instead.
set -euo pipefail
bin=${1:-build/hamyar}
db=${HAMYAR_DB:-var/hamyar.db}
listen=${HAMYAR_LISTEN:-127.0.0.1:8110}

mkdir -p "$(dirname "$db")"
if [[ ! -f $db ]]; then
  echo "run: creating $db with demo data"
  "$bin" init --db "$db" --demo
fi
echo "run: serving; open http://$listen/ and log in as calltaker1, dispatcher1 or oversight1 (Ctrl-C stops)"
exec "$bin" serve --db "$db" --listen "$listen" --web web
