#!/usr/bin/env bash
# bench/intake/year.sh DB [CALLS] — fills a benchmark database with a year of 110 calls
# before the server starts, so that intake is measured against indexes of a real size:
#   BENCH_BEFORE_SERVE=bench/intake/year.sh bench/intake/run.sh build 20 64 2 plain
# CALLS (default 1,700,000: the command's year, per the press conference) are spread
# evenly over the 365 days before now, from random mobile numbers around Rasht, with
# types and outcomes cycling through a few common ones. Only the calls table is filled:
# its caller-number index is the one whose inserts land on pages at random, so the one
# whose cost grows with the table (the audit, event and time indexes take appends).
# Not for a real database: the rows are synthetic and carry no audit rows.
set -euo pipefail
db=$1
n=${2:-1700000}
now=$(( $(date +%s) * 1000 ))
year=$(( 365 * 24 * 3600 * 1000 ))
sqlite3 "$db" >/dev/null <<SQL
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < $n - 1)
INSERT INTO calls (caller_number, has_location, lat, lon, uncertainty_m, county, type,
                   priority, outcome, ring_ms, answer_ms, created_ms, taker_id)
SELECT printf('0911%07d', abs(random()) % 10000000), 1,
       37.28 + ((abs(random()) % 6000) - 3000) / 100000.0,
       49.58 + ((abs(random()) % 8000) - 4000) / 100000.0, 50, 'rasht',
       CASE i % 4 WHEN 0 THEN 'fight' WHEN 1 THEN 'theft' WHEN 2 THEN 'crash_damage' ELSE 'noise' END,
       3, i % 3, $now - $year + i * ($year / $n), $now - $year + i * ($year / $n),
       $now - $year + i * ($year / $n), 0
FROM k;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
# Written with synchronous=OFF, the file's ~400 MB would still be on their way to the
# disk when the run starts, and the kernel's writeback would stall the server's WAL
# syncs (p99 of 170-300 ms instead of ~16 ms in the runs that found this).
sync "$db"
echo "year.sh: $(sqlite3 "$db" 'SELECT count(*) FROM calls') calls in $db"
