#!/usr/bin/env bash
# Audit search: how long GET /api/v1/audit takes an oversight officer on a year of audit
# rows, beside GET /api/v1/health (the same server, connection and log-in, no store
# read) in the same run.
#   bench/audit/run.sh [BUILD_DIR] [ROWS]
# Defaults: build, 2,000,000 rows (bench/audit/fill.sh: one every 15 s for a year, the
# newest 500 not yet copied for search). Each search is asked 7 times over one kept-alive
# connection; the table gives the median and the slowest, and the rows answered.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
build=${1:-build}
export AUDIT_ROWS=${2:-2000000}
bin=$build/hamyar
here=$(cd "$(dirname "$0")" && pwd)
for tool in sqlite3 curl; do
  command -v $tool >/dev/null || { echo "bench: $tool is missing: apt-get install $tool" >&2; exit 1; }
done
[[ -x $bin ]] || { echo "bench: $bin is not built (make build)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/var/tmp}/hamyar-audit.XXXXXX")
hpid=
trap '[[ -n $hpid ]] && kill $hpid 2>/dev/null; wait 2>/dev/null; [[ -n ${KEEP:-} ]] || rm -rf "$tmp"' EXIT

echo "bench: filling $AUDIT_ROWS audit rows (a minute or so for two million) ..." >&2
BENCH_BEFORE_SERVE=$here/fill.sh start_hamyar "$bin" "$tmp" "$tmp/none"

at() { date -u -d "@$(( $(date +%s) - $1 ))" +%Y-%m-%dT%H:%M:%SZ; }
searches=(
  "newest|"
  "one actor|actor=taker7"
  "one action (1 row in 10)|action=incident.update"
  "one subject (1 row)|subject=call:1500000"
  "actor and action|actor=taker7&action=incident.create"
  "action prefix (session.*)|action=session.*"
  "the last hour|from=$(at 3600)"
  "an hour 300 days ago|from=$(at $((300 * 86400)))&to=$(at $((300 * 86400 - 3600)))"
  "an actor, an hour 300 days ago|actor=taker7&from=$(at $((300 * 86400)))&to=$(at $((300 * 86400 - 3600)))"
  "a day 300 days ago|from=$(at $((300 * 86400)))&to=$(at $((299 * 86400)))"
  "a month 300 days ago|from=$(at $((300 * 86400)))&to=$(at $((270 * 86400)))"
  "a year to a month ago|from=$(at $((365 * 86400)))&to=$(at $((30 * 86400)))"
  "one actor, the page at row 1,000,000|actor=taker7&cursor=1000000"
)
# Seven asks over one connection: curl's -w line per URL gives each one's time.
timed() {
  local url=$1 args=()
  for _ in 1 2 3 4 5 6 7; do args+=(-o /dev/null "$url"); done
  curl -s -H "Authorization: Bearer $token" -w '%{http_code} %{time_total}\n' "${args[@]}" |
    sort -k2,2n | awk '$1 != 200 { bad = 1 } { t[NR] = $2 * 1000 } END {
      if (bad) print "not 200 |"; else printf "%.1f ms | %.1f ms", t[int((NR + 1) / 2)], t[NR] }'
}
echo "bench/audit/run.sh $build $AUDIT_ROWS"
echo "$(nproc) cores ($(uname -m)), $(date -u +%Y-%m-%d); schema version $(sqlite3 "$tmp/h.db" "SELECT version FROM schema_version")"
echo
echo "| search | median | slowest | rows |"
echo "|---|---:|---:|---:|"
echo "| GET /api/v1/health (reference) | $(timed "$hurl/api/v1/health") | |"
for s in "${searches[@]}"; do
  name=${s%%|*} query=${s#*|}
  url="$hurl/api/v1/audit?limit=100${query:+&$query}"
  n=$(curl -s -H "Authorization: Bearer $token" "$url" | { grep -o '"request_id"' || true; } | wc -l)
  echo "| $name | $(timed "$url") | $n |"
done
