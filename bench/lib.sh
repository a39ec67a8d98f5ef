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
