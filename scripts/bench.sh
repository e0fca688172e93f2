#!/usr/bin/env bash
# make bench: the catalog benchmark on SQLite and, when PostgreSQL is
# reachable, on PostgreSQL. Prints markdown for docs/benchmarks.md, with the
# machine and date. BENCH_N overrides the number of entries (default 100000).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${BENCH_N:-100000}
BIN=./bin/pubdata
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
echo "# make bench, $(date -u +%FT%TZ)"
echo
echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB RAM, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(go version | cut -d' ' -f3)"
echo
$BIN bench catalog --n "$N" --work "$WORK"
echo
PG=${PUBDATA_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}
if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  $BIN bench catalog --n "$N" --work "$WORK" --postgres "$PG"
else
  echo "(PostgreSQL not reachable at 127.0.0.1:5432: PostgreSQL run skipped)"
fi
echo
# Aggregation: a generated population file of BENCH_ROWS rows (default
# 10,000,000), UTF-8 and GB18030, into DuckDB (against DuckDB's read_csv)
# and, when reachable, into PostgreSQL.
ROWS=${BENCH_ROWS:-10000000}
for enc in utf-8 gb18030; do
  if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    $BIN bench ingest --rows "$ROWS" --encoding "$enc" --work "$WORK" --postgres "$PG"
  else
    $BIN bench ingest --rows "$ROWS" --encoding "$enc" --work "$WORK"
  fi
  echo
done
# Multi-source verification: two generated population datasets of
# BENCH_VERIFY_ROWS rows each (default 1,000,000; sources 0 and 1, 1%
# conflicts) in DuckDB and, when reachable, in PostgreSQL (a schema kept
# for later runs), compared by the store's SQL path and by Store.Scan.
# Target: 1,000,000 x 1,000,000 in <= 10 s.
VROWS=${BENCH_VERIFY_ROWS:-1000000}
$BIN bench verify --rows "$VROWS" --work "$WORK/verify" --methods duckdb_sql,scan
echo
if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  $BIN bench verify --rows "$VROWS" --work "$WORK/verify" --postgres "$PG" --methods postgres_sql,scan
  echo
fi
