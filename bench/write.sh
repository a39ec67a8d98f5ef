#!/usr/bin/env bash
# Durable HTTP writes of `hamyar serve`: wrk sends PATCH /api/v1/me (bench/lua/patch_me.lua)
# with a bearer token over CONNECTIONS connections for SECONDS; each answered 2xx is a
# commit on disk (its WAL frames synced). The store's own ceiling is printed beside it
# (bench_store_commit: 1 to 64 writer threads calling store_write()), as the reference.
#   bench/write.sh [BUILD_DIR] [SECONDS] [CONNECTIONS] [WRK_THREADS]
# Afterwards the database is checked request by request: every 200 the server logged
# has its audit row (same request id), no request has two, and wrk's 2xx count is at
# most the server's and short of it by no more than one request per connection (those
# in flight when wrk stopped).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
build=${1:-build}
secs=${2:-10}
conns=${3:-64}
wthreads=${4:-2}
bin=$build/hamyar
here=$(cd "$(dirname "$0")" && pwd)
command -v wrk >/dev/null || { echo "bench: wrk is missing: apt-get install wrk" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "bench: sqlite3 is missing: apt-get install sqlite3" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/var/tmp}/hamyar-write.XXXXXX") # a disk, not tmpfs: fsync must cost
hpid=
trap '[[ -n $hpid ]] && kill $hpid 2>/dev/null; wait 2>/dev/null; [[ -n ${KEEP:-} ]] || rm -rf "$tmp"' EXIT

start_hamyar "$bin" "$tmp" "$tmp/none"

out=$(wrk -t"$wthreads" -c"$conns" -d"${secs}s" --latency -s "$here/lua/patch_me.lua" "$hurl" -- "$token")
kill -TERM $hpid
wait $hpid || true
hpid=

total=$(awk '/requests in/ {print $1}' <<<"$out")
non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
non2xx=${non2xx:-0}
ok=$((total - non2xx))
rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
p50=$(awk '$1=="50%" {print $2}' <<<"$out")
p99=$(awk '$1=="99%" {print $2}' <<<"$out")
sockerr=$(awk '/Socket errors/ {print $0}' <<<"$out")
# Per request: the request id of every 200 the server logged against the request ids
# of the audit rows (http_audit stores each row's request id).
reqids() { sed -n 's/.*"req":"\([0-9a-f]*\)".*/\1/p' | sort; }
{ grep '"msg":"method=PATCH path=/api/v1/me status=200 ' "$tmp/log" || true; } | reqids >"$tmp/answered"
{ grep '"msg":"method=PATCH path=/api/v1/me status=0 ' "$tmp/log" || true; } | reqids >"$tmp/unanswered"
sqlite3 "$tmp/h.db" "SELECT request_id FROM audit WHERE action = 'user.update'" | sort >"$tmp/rows"
answered=$(wc -l <"$tmp/answered")
rows=$(wc -l <"$tmp/rows")
events=$(sqlite3 "$tmp/h.db" "SELECT count(*) FROM events WHERE type = 'user.updated'")
twice=$(uniq -d "$tmp/rows" | wc -l)
lost=$(comm -23 "$tmp/answered" "$tmp/rows" | wc -l)
# Written, never answered: the client closed its connection before the commit (wrk
# does at its deadline); the server logs those with status 0.
unanswered=$(comm -13 "$tmp/answered" "$tmp/rows" | comm -23 - "$tmp/unanswered" | wc -l)
unanswered_ok=$(comm -13 "$tmp/answered" "$tmp/rows" | wc -l)

echo "wrk -t$wthreads -c$conns -d${secs}s PATCH /api/v1/me on $(nproc) cores, $(date -u +%Y-%m-%d)"
echo
echo "| what | writes/s | p50 | p99 | 2xx (wrk) | non-2xx |"
echo "|---|---:|---:|---:|---:|---:|"
printf '| %-40s | %10s | %8s | %8s | %9s | %s |\n' "hamyar PATCH /api/v1/me (durable)" "$rps" "$p50" "$p99" "$ok" "$non2xx"
[[ -n $sockerr ]] && echo "wrk: $sockerr"
echo
echo "server: $answered answered 200; database: $rows audit rows, $events events;" \
     "$unanswered_ok written for clients that had gone"
status=0
if (( lost > 0 || twice > 0 || unanswered > 0 || events != rows )); then
  echo "MISMATCH: $lost answered but not on disk, $twice written twice," \
       "$unanswered written but neither answered nor abandoned" >&2
  status=1
elif (( ok > answered || answered - ok > conns )); then
  echo "MISMATCH: wrk counted $ok answers, the server sent $answered" >&2
  status=1
else
  echo "check: each of the $answered answers is one audit row on disk (by request id)," \
       "none twice; wrk received $ok of them ($((answered - ok)) were on their way when it stopped)"
fi
if [[ ${REFERENCE:-1} != 0 ]]; then # REFERENCE=0 skips it (repeated runs)
  echo
  echo "reference: the store alone (bench_store_commit, 4 s per row)"
  mkdir -p "$tmp/store"
  "$build/bench_store_commit" "$tmp/store" 4 2>/dev/null || true
fi
exit $status
