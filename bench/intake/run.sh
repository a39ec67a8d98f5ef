#!/usr/bin/env bash
# Call intake: how many 110 calls a second `hamyar serve` acknowledges durably, beside
# nginx answering a static JSON 200 on the same machine in the same run.
#   bench/intake/run.sh [BUILD_DIR] [SECONDS] [CONNECTIONS] [WRK_THREADS] [idempotent|console|plain]
# Defaults: build, 30 s, 64 connections, 2 wrk threads, idempotent (each request has its
# own Idempotency-Key, a random UUID, so each answer is stored for replay too). console:
# keys as the console makes them, growing with time (intake.lua). plain: no keys.
#
# hamyar gets its own database on disk (not tmpfs: fsync must cost) made by `hamyar
# init` with the Gilan reference data, and a call-taker. wrk posts calls with
# bench/intake/intake.lua (varied bodies made before the run, a bearer token) and counts
# the answers below and above 400. Afterwards the server is stopped and the database is checked request by
# request: every 201 the server logged is one call on disk with its audit row (by
# request id), none twice; calls written for clients that had gone (wrk closes its
# connections at its deadline) are the only others; wrk received every 201 but those
# in flight when it stopped (at most one per connection). Exit 1 on any mismatch.
# The aim of issue 3 is at least 10,000 durable calls/s with p99 under 25 ms on 2 cores.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
build=${1:-build}
secs=${2:-30}
conns=${3:-64}
wthreads=${4:-2}
mode=${5:-idempotent}
case $mode in idempotent | console | plain) ;; *) echo "bench: mode must be idempotent, console or plain, not $mode" >&2; exit 1 ;; esac
bin=$build/hamyar
here=$(cd "$(dirname "$0")" && pwd)
for tool in wrk nginx sqlite3 curl; do
  command -v $tool >/dev/null || { echo "bench: $tool is missing: apt-get install $tool" >&2; exit 1; }
done
[[ -x $bin ]] || { echo "bench: $bin is not built (make build)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/var/tmp}/hamyar-intake.XXXXXX")
hpid= npid=
cleanup() {
  [[ -n $hpid ]] && kill "$hpid" 2>/dev/null
  [[ -n $npid ]] && kill "$npid" 2>/dev/null
  wait 2>/dev/null
  [[ -n ${KEEP:-} ]] || rm -rf "$tmp"
}
trap cleanup EXIT

# ---- hamyar: database, reference data, a call-taker, the server ----------------------
start_hamyar "$bin" "$tmp" "$tmp/none" bench.taker call_taker

# One call by hand: its answer is the size of what nginx serves below.
mkdir -p "$tmp/www"
curl -s -X POST "$hurl/api/v1/calls" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"caller_number":"09110000000","type":"fight","location":{"lat":37.28,"lon":49.58}}' >"$tmp/www/call.json"
grep -q '"id"' "$tmp/www/call.json" || { echo "bench: POST /api/v1/calls failed: $(cat "$tmp/www/call.json")" >&2; exit 1; }
before=$(sqlite3 "$tmp/h.db" "SELECT count(*) FROM calls")

# ---- nginx: the reference -----------------------------------------------------------------
start_reference "$tmp" call.json

# ---- the runs -----------------------------------------------------------------------------
ref=$(wrk -t"$wthreads" -c"$conns" -d"${secs}s" --latency "http://127.0.0.1:$nport/call.json") ||
  { echo "bench: wrk against nginx failed: $ref" >&2; exit 1; }
kill "$npid" 2>/dev/null || true
wait "$npid" 2>/dev/null || true
npid=
# CPU the server spends per call (all its threads, and the single writer thread alone),
# from /proc: unlike calls per second it hardly depends on what else the machine runs.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$hpid/stat"; }
# (threads come and go while the glob is read, so a vanished one is not an error)
wtask=$( (grep -ls '^hamyar-writer$' /proc/"$hpid"/task/*/comm || true) | head -1)
[[ -n $wtask ]] || { echo "bench: the server has no hamyar-writer thread" >&2; exit 1; }
writer_ticks() { awk '{print $14 + $15}' "${wtask%comm}stat"; }
# wrk's own CPU: the children's times this shell keeps (`times`, second line; run here,
# not in a $(...) subshell, whose children are its own), before and after.
client_s() { awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/); print u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$1"; }
times >"$tmp/times0"
cpu0=$(cpu_ticks) wcpu0=$(writer_ticks)
out=$(wrk -t"$wthreads" -c"$conns" -d"${secs}s" --latency -s "$here/intake.lua" "$hurl" -- "$token" "$mode") ||
  { echo "bench: wrk against hamyar failed: $out" >&2; exit 1; }
cpu=$(( $(cpu_ticks) - cpu0 )) wcpu=$(( $(writer_ticks) - wcpu0 ))
times >"$tmp/times1"
client=$(awk -v a="$(client_s "$tmp/times0")" -v b="$(client_s "$tmp/times1")" 'BEGIN { print b - a }')
# Group commit: how many writes shared each fsync.
metric() { awk -v m="$1" '$1 == m {print $2}' <<<"$metrics"; }
metrics=$(curl -s "$hurl/metrics")
commits=$(metric hamyar_store_commits_total) writes=$(metric hamyar_store_writes_total)
syncs=$(metric hamyar_store_syncs_total) sync_s=$(metric hamyar_store_sync_duration_seconds_sum)
busy_s=$(metric hamyar_store_writer_busy_seconds_total) ckpts=$(metric hamyar_store_checkpoints_total)
kill -TERM "$hpid" 2>/dev/null || true
wait "$hpid" || true
hpid=

field() { awk "$1" <<<"$2"; }
# intake.lua's done(): answers below 400 (every one a 201: each call is new, so the
# server has no other success to give; the check below holds it to its log) and above.
ok201=$(field '/^answered below 400:/ {print $4}' "$out")
ok201=${ok201:-0}
other=$(field '/^answered 400 or above:/ {print $5}' "$out")
other=${other:-0}
p50=$(field '$1=="50%" {print $2}' "$out")
p99=$(field '$1=="99%" {print $2}' "$out")
calls_s=$(awk -v n="$ok201" -v s="$secs" 'BEGIN {printf "%.0f", n / s}')
ref_rps=$(field '/Requests\/sec/ {print $2}' "$ref")
ref_p50=$(field '$1=="50%" {print $2}' "$ref")
ref_p99=$(field '$1=="99%" {print $2}' "$ref")
ref_n=$(field '/requests in/ {print $1}' "$ref")
ref_bad=$(field '/Non-2xx/ {print $5}' "$ref")
sockerr=$(field '/Socket errors/ {print $0}' "$out")

# ---- the check: rows on disk against answers ---------------------------------------------
reqids() { sed -n 's/.*"req":"\([0-9a-f]*\)".*/\1/p' | sort; }
# (no line at all is an answer too: grep's status 1 must not end the script)
{ grep '"msg":"method=POST path=/api/v1/calls status=201 ' "$tmp/log" || true; } | reqids >"$tmp/answered"
{ grep '"msg":"method=POST path=/api/v1/calls status=0 ' "$tmp/log" || true; } | reqids >"$tmp/gone"
sqlite3 "$tmp/h.db" "SELECT request_id FROM audit WHERE action = 'call.create'" | sort >"$tmp/rows"
rows=$(( $(sqlite3 "$tmp/h.db" "SELECT count(*) FROM calls") - before ))
answered=$(( $(wc -l <"$tmp/answered") - 1 )) # less the call made by hand
audited=$(( $(wc -l <"$tmp/rows") - 1 ))
twice=$(uniq -d "$tmp/rows" | wc -l)
lost=$(comm -23 "$tmp/answered" "$tmp/rows" | wc -l)
extra=$(comm -13 "$tmp/answered" "$tmp/rows" | comm -23 - "$tmp/gone" | wc -l)
for_gone=$(comm -13 "$tmp/answered" "$tmp/rows" | wc -l)

echo "bench/intake/run.sh $build $secs $conns $wthreads $mode"
echo "wrk -t$wthreads -c$conns -d${secs}s on $(nproc) cores ($(uname -m)), $(date -u +%Y-%m-%d)"
echo
echo "| what | answers/s | p50 | p99 | answers | not 2xx |"
echo "|---|---:|---:|---:|---:|---:|"
printf '| %-48s | %9s | %8s | %8s | %9s | %s |\n' "nginx, static JSON 200 (reference)" "$ref_rps" "$ref_p50" "$ref_p99" "$ref_n" "${ref_bad:-0}"
printf '| %-48s | %9s | %8s | %8s | %9s | %s |\n' "hamyar POST /api/v1/calls, 201 durable ($mode)" "$calls_s" "$p50" "$p99" "$ok201" "$other"
[[ -n $sockerr ]] && echo "wrk: $sockerr"
awk -v c="$cpu" -v w="$wcpu" -v k="$client" -v n="$ok201" -v t="$(getconf CLK_TCK)" 'BEGIN { if (n > 0)
  printf "server CPU per call: %.0f µs in all threads, %.0f µs in the writer thread (the serial part); wrk: %.0f µs\n", c / t / n * 1e6, w / t / n * 1e6, k / n * 1e6 }'
[[ -n $commits && $commits -gt 0 ]] &&
  awk -v c="$commits" -v w="$writes" -v s="$secs" 'BEGIN { printf "group commit: %d commits (%.0f a second), %.1f writes each on average\n", c, c / s, w / c }'
# Where a write's wait goes: the disk (the log's syncs) and the single writer.
[[ -n $syncs && $syncs -gt 0 ]] &&
  awk -v n="$syncs" -v t="$sync_s" -v b="$busy_s" -v s="$secs" -v k="${ckpts:-0}" 'BEGIN { printf "log syncs: %d, %.2f ms each on average; the writer ran batches %.0f%% of the run; %d checkpoints\n", n, t / n * 1e3, b / s * 100, k }'
echo
echo "server: $answered calls answered 201; database: $rows new calls, $audited call.create audit rows;" \
     "$for_gone written for clients that had gone"
status=0
if (( lost > 0 || twice > 0 || extra > 0 || rows != audited )); then
  echo "MISMATCH: $lost answered but not on disk, $twice written twice, $extra written but neither" \
       "answered nor abandoned, $rows calls against $audited audit rows" >&2
  status=1
elif (( rows != answered + for_gone )); then
  echo "MISMATCH: $rows calls on disk, $answered answered 201 and $for_gone for clients that had gone" >&2
  status=1
elif (( ok201 > answered || answered - ok201 > conns )); then
  echo "MISMATCH: wrk counted $ok201 answers 201, the server sent $answered" >&2
  status=1
else
  echo "check: rows on disk = 201 answers sent ($answered) + $for_gone for clients that had gone;" \
       "each answer is one call with its audit row (by request id), none twice; wrk received" \
       "$ok201 of them ($((answered - ok201)) were on their way when it stopped)"
fi
exit $status
