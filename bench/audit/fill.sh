#!/usr/bin/env bash
# fill.sh DB: a year of audit rows for bench/audit/run.sh, written straight into a new
# database before it is served (BENCH_BEFORE_SERVE). AUDIT_ROWS rows (default 2,000,000),
# one every 15 s up to now, by 40 call-takers, dispatchers, the phone system and the
# administrator: mostly call.create, then incident and unit updates, log-ins and reads.
# The hashes are zeros (a search does not check the chain; `hamyar audit verify` would
# fail on this file). Where the database has audit_search (the copy its search indexes
# are on), every row but the newest AUDIT_UNCOPIED (default 500) is copied into it, as
# the writer would have left it under load.
set -euo pipefail
db=$1
rows=${AUDIT_ROWS:-2000000}
uncopied=${AUDIT_UNCOPIED:-500}
now_ms=$(( $(date +%s) * 1000 ))
sqlite3 "$db" <<SQL
PRAGMA journal_mode = WAL;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT (SELECT coalesce(max(id), 0) + 1 FROM audit)
                        UNION ALL SELECT i + 1 FROM n WHERE i < $rows)
INSERT INTO audit (id, time_ms, actor_id, actor, action, subject, detail, ip, request_id, prev_hash, hash)
SELECT i, $now_ms - ($rows - i) * 15000, i % 44,
       CASE i % 44 WHEN 40 THEN 'admin' WHEN 41 THEN 'apikey:phones' WHEN 42 THEN 'cli'
                   WHEN 43 THEN 'dispatch' || (i % 3) ELSE 'taker' || (i % 44) END,
       CASE i % 10 WHEN 0 THEN 'incident.update' WHEN 1 THEN 'unit.status' WHEN 2 THEN 'session.login'
                   WHEN 3 THEN 'incident.create' WHEN 4 THEN 'call.read' ELSE 'call.create' END,
       'call:' || i,
       '{"type":"theft","priority":2,"narrative":"' || hex(randomblob(60)) || '"}',
       '10.1.2.' || (i % 200), lower(hex(randomblob(16))), zeroblob(32), zeroblob(32)
FROM n;
COMMIT;
SQL
if [[ $(sqlite3 "$db" "SELECT count(*) FROM sqlite_master WHERE name = 'audit_search'") == 1 ]]; then
  sqlite3 "$db" "INSERT INTO audit_search (id, time_ms, actor, action, subject)
                 SELECT id, time_ms, actor, action, subject FROM audit
                 WHERE id > (SELECT coalesce(max(id), 0) FROM audit_search)
                   AND id <= (SELECT max(id) FROM audit) - $uncopied"
fi
