#!/usr/bin/env bash
# The clustering stage on a real broker (docs/CLUSTERS.md, figures):
#   1. fills a repartition topic (3 partitions) with EVENTS DiplomaticEvent
#      records over KEYS cluster keys (bench_cluster --produce; every tenth a
#      re-sent one), then starts demarched with cluster.enabled and an empty
#      input topic, and times it until every record is counted or found a
#      duplicate: events/s through Kafka, LMDB, the changelog and the output;
#   2. stops it, deletes its state directory and starts it again: the time to
#      rebuild the three stores from the (not yet compacted) changelog.
#
#   DEMARCHE_KAFKA_BOOTSTRAP=127.0.0.1:9092 bench/bench_cluster_kafka.sh [EVENTS [KEYS]]
#
# Needs a broker started by deploy/kafka-local.sh (its create-topics is used),
# the build in ${DM_BINARY_DIR:-build} and curl. Creates topics named
# *.benchPID*; they stay on the broker (a throw-away one).
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${DM_BINARY_DIR:-$SRC/build}
N=${1:-1000000}
K=${2:-20000}
: "${DEMARCHE_KAFKA_BOOTSTRAP:?set DEMARCHE_KAFKA_BOOTSTRAP (deploy/kafka-local.sh start)}"
export DEMARCHE_DICTIONARIES=${DEMARCHE_DICTIONARIES:-$SRC/dictionaries}
RUN="bench$$$(date +%s)"
WORK=$(mktemp -d)
PID=""
trap '[ -n "$PID" ] && kill -9 "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT
port=${DEMARCHE_KAFKA_BOOTSTRAP##*:}
topics() { DEMARCHE_KAFKA_PORT=$port "$SRC/deploy/kafka-local.sh" "$@" >/dev/null 2>&1; }
topics create-topics "in.$RUN:1" "art.$RUN:1" "ev.$RUN:1" "dlq.$RUN:1" "rep.$RUN:3" \
  "chg.$RUN:3" "cl.$RUN:3"
topics alter-topic "chg.$RUN" cleanup.policy=compact
topics alter-topic "cl.$RUN" cleanup.policy=compact
HTTP=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$WORK/d.conf" <<CONF
kafka.bootstrap.servers = $DEMARCHE_KAFKA_BOOTSTRAP
kafka.group.id = grp.$RUN
input.topic = in.$RUN
output.articles.topic = art.$RUN
output.events.topic = ev.$RUN
output.dlq.topic = dlq.$RUN
http.listen = 127.0.0.1:$HTTP
workers = 1
cluster.enabled = true
cluster.topic.repartition = rep.$RUN
cluster.topic.output = cl.$RUN
cluster.topic.changelog = chg.$RUN
cluster.state.dir = $WORK/state
kafka.max.poll.interval.ms = 900000
CONF
metric() {
  curl -sf "http://127.0.0.1:$HTTP/metrics" 2>/dev/null |
    awk -v m="$1" '$1 == m { print $2; found = 1 } END { if (!found) print 0 }'
}
seen() {
  echo $(($(metric 'demarche_cluster_events_total{result="counted"}') + \
    $(metric 'demarche_cluster_events_total{result="duplicate"}')))
}

"$BUILD/bench/bench_cluster" --produce "$DEMARCHE_KAFKA_BOOTSTRAP" "rep.$RUN" "$N" "$K"

"$BUILD/demarched" --config "$WORK/d.conf" 2>"$WORK/run1.log" &
PID=$!
until grep -q 'assigned: restoring' "$WORK/run1.log"; do sleep 0.2; done
t0=$(date +%s.%N)
until [ "$(seen)" -ge "$N" ]; do
  kill -0 "$PID" || { tail "$WORK/run1.log" >&2; exit 1; }
  sleep 0.2
done
t1=$(date +%s.%N)
records=$(metric 'demarche_cluster_records_total{output="changelog"}')
keys=$(metric demarche_cluster_keys)
bytes=$(metric demarche_cluster_store_bytes)
kill -TERM "$PID"
wait "$PID"
PID=""
python3 -c "import sys; n,t0,t1=int(sys.argv[1]),float(sys.argv[2]),float(sys.argv[3]); print('clustering through Kafka: %d events in %.1f s: %.0f events/s' % (n, t1-t0, n/(t1-t0)))" "$N" "$t0" "$t1"
echo "  $keys keys, $records changelog records, stores $((${bytes%.*} / 1048576)) MB"

rm -rf "$WORK/state"
"$BUILD/demarched" --config "$WORK/d.conf" 2>"$WORK/run2.log" &
PID=$!
until [ "$(grep -c 'restored from' "$WORK/run2.log")" -ge 3 ]; do
  kill -0 "$PID" || { tail "$WORK/run2.log" >&2; exit 1; }
  sleep 0.2
done
kill -TERM "$PID"
wait "$PID"
PID=""
echo "restore after deleting the state directory:"
grep -o 'partition [0-9]* restored from [^"]*' "$WORK/run2.log" | sed 's/^/  /'
