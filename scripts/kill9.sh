#!/usr/bin/env bash
# The crash check of aggregation (make kill9): load a population file as
# a new version, start a second load of ROWS rows (10,000,000 by default),
# kill -9 the server in the middle of it, restart it, and check that
#   - version 1 is still the one served, with its row count, while the
#     interrupted load is queued again;
#   - the rerun completes and publishes version 2 with every row;
#   - rows read = accepted + rejected, and the rejects match the truth file.
# Needs python3 and curl. KILL9_ROWS overrides the size.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${KILL9_ROWS:-10000000}
go build -o bin/pubdata ./cmd/pubdata
BIN=./bin/pubdata
WORK=$(mktemp -d)
PID=""
cleanup() { if [ -n "$PID" ]; then kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; fi; rm -rf "$WORK"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; [ -f "$WORK/server.log" ] && tail -5 "$WORK/server.log"; exit 1; }
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()')
URL="http://127.0.0.1:$port"
export PUBDATA_ADMIN_PASSWORD=Kill9-Admin-Pass-1

start() {
  "$BIN" demo --addr "127.0.0.1:$port" --data "$WORK/data" --resources 200 >>"$WORK/server.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 240); do curl -fsS "$URL/healthz" >/dev/null 2>&1 && return 0; sleep 0.5; done
  fail "server did not start"
}
json() { python3 -c "import json,sys;d=json.load(open('$WORK/resp'));print($1)"; }
api() { curl -sS -o "$WORK/resp" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$@"; }

echo "generating 100,000 and $ROWS rows..."
"$BIN" gen population --rows 100000 --error-rate 0.02 --seed 1 --encoding utf-8 --out "$WORK/v1.csv" >/dev/null
"$BIN" gen population --rows "$ROWS" --error-rate 0.02 --seed 2 --encoding gb18030 --out "$WORK/v2.csv" >/dev/null
start
TOKEN=$(curl -fsS -X POST "$URL/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$PUBDATA_ADMIN_PASSWORD\"}" | python3 -c 'import sys,json;print(json.load(sys.stdin)["token"])')
api "$URL/api/v1/resources?q=%E4%BA%BA%E5%8F%A3%E5%9F%BA%E6%9C%AC%E4%BF%A1%E6%81%AF" >/dev/null
RID=$(json '[i for i in d["items"] if i["name"]=="人口基本信息"][0]["id"]')

load() { # file -> load id
  [ "$(api -X POST -H 'Content-Type: text/csv' -T "$1" "$URL/api/v1/resources/$RID/loads?mode=full")" = 202 ] || fail "POST load: $(cat "$WORK/resp")"
  json 'd["id"]'
}
wait_state() { # load id, seconds -> final state
  for _ in $(seq 1 $(($2 * 2))); do
    api "$URL/api/v1/loads/$1" >/dev/null
    s=$(json 'd["state"]'); case $s in succeeded|failed) echo "$s"; return;; esac; sleep 0.5
  done
  echo timeout
}
L1=$(load "$WORK/v1.csv")
[ "$(wait_state "$L1" 120)" = succeeded ] || fail "first load: $(cat "$WORK/resp")"
V1ROWS=$(json 'd["rows_accepted"]'); V1=$(json 'd["version"]')
echo "version $V1: $V1ROWS rows"

L2=$(load "$WORK/v2.csv")
# Kill it once it has read a fifth of the file (progress is reported a few
# times a second; a fast load of a small file passes a third quickly).
SIZE=$(stat -c %s "$WORK/v2.csv")
for _ in $(seq 1 2400); do
  api "$URL/api/v1/loads/$L2" >/dev/null
  read -r s b < <(json 'd["state"]+" "+str(d["bytes"])')
  [ "$s" = running ] && [ "$b" -gt $((SIZE / 5)) ] && break
  [ "$s" = succeeded ] && fail "the load ended before it could be killed; use more rows"
  sleep 0.05
done
echo "kill -9 at $(json 'd["rows_read"]') rows read of $ROWS"
kill -9 "$PID"; wait "$PID" 2>/dev/null || true; PID=""

# Restart. The runner queues the interrupted load again at once; the served
# version is read while the rerun works through the file again.
start
api "$URL/api/v1/resources/$RID/dataset" >/dev/null
cur=$(json 'd["current"]["number"]'); rows=$(json 'd["current"]["rows"]')
[ "$cur" = "$V1" ] && [ "$rows" = "$V1ROWS" ] || fail "after restart the current version is $cur with $rows rows, want $V1 with $V1ROWS"
api "$URL/api/v1/resources/$RID/dataset/rows?limit=1000" >/dev/null
bad=$(json "sum(1 for r in d['rows'] if r['loaded_in_version']!=$V1)")
[ "$bad" = 0 ] || fail "$bad rows of the broken load are visible"
echo "after restart: version $V1 served with $rows rows; no rows of the broken load visible"
api "$URL/api/v1/loads/$L2" >/dev/null
echo "interrupted load: state $(json 'd["state"]'), attempts $(json 'd["attempts"]')"

[ "$(wait_state "$L2" 1800)" = succeeded ] || fail "rerun: $(cat "$WORK/resp")"
read -r rr ra rj at < <(json 'd["rows_read"],d["rows_accepted"],d["rows_rejected"],d["attempts"]' | tr -d '(),')
want=$(python3 -c "import csv,sys;print(len({r[0] for r in csv.reader(open(sys.argv[1])) if r and r[0].isdigit()}))" "$WORK/v2.csv.truth.csv")
[ "$rr" = "$ROWS" ] && [ $((ra + rj)) = "$rr" ] && [ "$rj" = "$want" ] || fail "rerun read $rr accepted $ra rejected $rj, want $ROWS read and $want rejected"
api "$URL/api/v1/resources/$RID/dataset" >/dev/null
echo "rerun (attempt $at) succeeded: version $(json 'd["current"]["number"]') with $(json 'd["current"]["rows"]') rows; rejected $rj = truth file"
echo "ok"
