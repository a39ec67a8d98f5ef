#!/usr/bin/env bash
# HTTP throughput of `hamyar serve` beside nginx, in the same run on the same machine:
#   bench/http.sh [BUILD_DIR] [SECONDS] [CONNECTIONS]
# Measures GET /api/v1/health (route table, JSON reply, metrics, request log) and
# GET /api/v1/me with a bearer token (adds authentication: a session read per request)
# against nginx answering a static JSON 200. Loopback only; bounded by SECONDS.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
build=${1:-build}
secs=${2:-10}
conns=${3:-64}
bin=$build/hamyar
command -v wrk >/dev/null || { echo "bench: wrk is missing: apt-get install wrk" >&2; exit 1; }
command -v nginx >/dev/null || { echo "bench: nginx is missing: apt-get install nginx-light" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'kill $hpid $npid 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT

# hamyar, on a free port; its request log goes to a file as it would in production.
start_hamyar "$bin" "$tmp" web

# nginx, answering a static JSON file of the same size as hamyar's health reply.
mkdir -p "$tmp/www"
curl -s "$hurl/api/v1/health" >"$tmp/www/health.json"
start_reference "$tmp" health.json

run() { # name url [header]
  local out
  if [[ -n ${3:-} ]]; then
    out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency -H "$3" "$2")
  else
    out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency "$2")
  fi
  local rps p50 p99 errs
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errs=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  printf '| %-40s | %10s | %8s | %8s | %s |\n' "$1" "$rps" "$p50" "$p99" "${errs:-0}"
}

echo "wrk -t2 -c$conns -d${secs}s on $(nproc) cores, $(date -u +%Y-%m-%d)"
echo
echo "| what | requests/s | p50 | p99 | non-2xx |"
echo "|---|---:|---:|---:|---:|"
run "nginx, static JSON (reference)" "http://127.0.0.1:$nport/health.json"
run "hamyar GET /api/v1/health" "$hurl/api/v1/health"
run "hamyar GET /api/v1/me (bearer session)" "$hurl/api/v1/me" "Authorization: Bearer $token"
