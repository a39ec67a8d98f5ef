# bench/lib.sh — what the benchmark scripts share; sourced, not run.

# start_reference DIR FILE: nginx serving DIR/www/FILE (already written) on a free
# loopback port, the reference every HTTP benchmark is measured beside. Sets nport and
# npid; exits with nginx's error log when it does not come up.
start_reference() {
  local dir=$1 file=$2
  # nginx workers run as another user: the reference file must be readable to them.
  chmod 0755 "$dir" "$dir/www"
  chmod 0644 "$dir/www/$file"
  nport=$((20000 + RANDOM % 20000))
  cat >"$dir/nginx.conf" <<CONF
worker_processes $(nproc);
pid $dir/nginx.pid;
error_log $dir/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/json;
  server { listen 127.0.0.1:$nport; root $dir/www; }
}
CONF
  nginx -c "$dir/nginx.conf" -g 'daemon off;' &
  npid=$!
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$nport/$file" && break; sleep 0.1; done
  curl -sf -o /dev/null "http://127.0.0.1:$nport/$file" ||
    { echo "bench: nginx did not start on port $nport:" >&2; cat "$dir/nginx-error.log" >&2; exit 1; }
}

# start_hamyar BIN DIR WEB [USER ROLE]: a fresh database in DIR (made by `hamyar init`
# with the Gilan reference data), USER with ROLE added when given, `hamyar serve` on a
# free loopback port serving WEB (a missing folder: the API only), and a bearer token
# for USER (else the administrator). Sets hpid, hurl and token; the server's stdout and
# its JSON log are DIR/out and DIR/log. Exits with what failed. BENCH_BEFORE_SERVE, when
# set, is a program run with the database's path before the server starts (to fill it).
start_hamyar() {
  local bin=$1 dir=$2 web=$3 user=${4:-} role=${5:-}
  local root password=bench-password-123
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  HAMYAR_ADMIN_PASSWORD=$password HAMYAR_DATA="$root/data/gilan" "$bin" init --db "$dir/h.db" >"$dir/init" 2>&1 ||
    { echo "bench: hamyar init failed:" >&2; cat "$dir/init" >&2; exit 1; }
  if [[ -n $user ]]; then
    echo "$password" | "$bin" user add "$user" --role "$role" --password-stdin --db "$dir/h.db" >>"$dir/init" 2>&1 ||
      { echo "bench: user add failed:" >&2; cat "$dir/init" >&2; exit 1; }
  fi
  if [[ -n ${BENCH_BEFORE_SERVE:-} ]]; then # a script run on the database before it is served
    "$BENCH_BEFORE_SERVE" "$dir/h.db" >>"$dir/init" 2>&1 ||
      { echo "bench: $BENCH_BEFORE_SERVE failed:" >&2; cat "$dir/init" >&2; exit 1; }
  fi
  "$bin" serve --db "$dir/h.db" --listen 127.0.0.1:0 --web "$web" >"$dir/out" 2>"$dir/log" &
  hpid=$!
  for _ in $(seq 100); do grep -q listening "$dir/out" 2>/dev/null && break; sleep 0.1; done
  hurl=$(sed -n 's/.*listening on //p' "$dir/out")
  [[ -n $hurl ]] || { echo "bench: hamyar serve did not start:" >&2; cat "$dir/log" >&2; exit 1; }
  token=$(curl -s -X POST "$hurl/api/v1/session" -H 'Content-Type: application/json' \
    -d "{\"username\":\"${user:-admin}\",\"password\":\"$password\"}" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
  [[ -n $token ]] || { echo "bench: log-in failed" >&2; exit 1; }
}
