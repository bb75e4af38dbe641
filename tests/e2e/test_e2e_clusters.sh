#!/usr/bin/env bash
# Events across articles (docs/CLUSTERS.md) on a real broker:
#  1. The same story from three outlets (different article ids, sources and
#     wording) yields one EventCluster with articles = 3 and sources = 3 on
#     the compacted output topic, keyed by its cluster id.
#  2. A re-sent article leaves it at 3 (counted as a duplicate).
#  3. With the daemon stopped and its state directory deleted, a fourth
#     outlet's article gives articles = 4 and sources = 4: the state was
#     restored from the changelog, not started afresh.
#  4. kill -9 while 30 more articles (5 more outlets) and re-sends are being
#     clustered, then a restart: the final counts are exactly the distinct
#     articles and outlets (34 and 9), whatever was redone.
# The expected counts come from the articles this script writes, not from a
# recorded output. With E2E_CLUSTER_MODE=exactly-once (test_e2e_clusters_eos.sh)
# the daemon runs in delivery.mode = exactly-once, and in the end no
# EventCluster record may repeat an earlier one of its key (its mentions grow
# strictly): the records of the killed run's open transaction are aborted.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_require_broker
e2e_workdir DAEMON_PID
BIN="$DM_BINARY_DIR/demarched"
SCHEMA="$DM_SOURCE_DIR/schemas/EventCluster.avsc"

e2e_topics
e2e_cluster_topics 3
port="${DEMARCHE_KAFKA_BOOTSTRAP##*:}"
HTTP_PORT=$(e2e_free_port)
e2e_config "$WORK/demarche.conf"
cat >>"$WORK/demarche.conf" <<CONF
cluster.enabled = true
cluster.topic.repartition = $T_REP
cluster.topic.output = $T_CL
cluster.topic.changelog = $T_CHG
cluster.state.dir = $WORK/state
cluster.emit.interval.ms = 100
cluster.commit.interval.ms = 100
kafka.session.timeout.ms = 6000
CONF
if [ "${E2E_CLUSTER_MODE:-}" = exactly-once ]; then
  cat >>"$WORK/demarche.conf" <<CONF
delivery.mode = exactly-once
transactional.id = dm-$RUN_ID
transaction.interval.ms = 100
CONF
fi
"$BIN" --check-config --config "$WORK/demarche.conf" >/dev/null

start_daemon() {
  "$BIN" --config "$WORK/demarche.conf" 2>>"$WORK/daemon.log" &
  DAEMON_PID=$!
}
stop_daemon() {
  kill -TERM "$DAEMON_PID"
  local rc=0
  wait "$DAEMON_PID" || rc=$?
  DAEMON_PID=""
  [ "$rc" -eq 0 ] || { tail -30 "$WORK/daemon.log" >&2; e2e_fail "SIGTERM exit status $rc"; }
}
# One article of the story: id outlet host wording-number hour.
article() {
  local text
  case $(($4 % 3)) in
  0) text="Russian President Vladimir Putin met Chinese President Xi Jinping in Moscow on Tuesday. The two leaders discussed trade." ;;
  1) text="Vladimir Putin, the Russian president, met Xi Jinping of China at the Kremlin, officials said." ;;
  2) text="Russia's Putin met China's President Xi in Moscow on Tuesday to discuss energy deals." ;;
  esac
  printf '{"id":"%s","source":"%s","url":"https://%s/world/%s","published_at":"2026-12-03T%02d:00:00Z","text":"%s"}\n' \
    "$1" "$2" "$3" "$1" "$5" "$text"
}
produce() { kcat -P -b "$DEMARCHE_KAFKA_BOOTSTRAP" -t "$T_IN" <"$1"; }
KEY="RUS|CHN|040|2026-12-03"
# The latest record of the story's cluster as JSON ("{}" when none yet).
latest() {
  e2e_read_topic "$T_CL" "$SCHEMA" 2>"$WORK/decode.err" >"$WORK/clusters.jsonl" ||
    { cat "$WORK/decode.err" >&2; e2e_fail "EventCluster records do not decode"; }
  /usr/bin/python3 - "$WORK/clusters.jsonl" "$KEY" <<'PY'
import json, sys
last = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    assert r["_key"] == r["cluster_id"], "record not keyed by its cluster id: %r" % r
    last[r["cluster_key"]] = r
print(json.dumps(last.get(sys.argv[2], {})))
PY
}
field() { /usr/bin/python3 -c 'import json,sys; print(json.loads(sys.argv[1]).get(sys.argv[2], ""))' "$1" "$2"; }
# Waits until the story's cluster has articles = $1 and sources = $2.
wait_counts() { # articles sources timeout_s
  local deadline=$((SECONDS + $3)) rec=""
  while [ $SECONDS -lt $deadline ]; do
    kill -0 "$DAEMON_PID" 2>/dev/null || { tail -20 "$WORK/daemon.log" >&2; e2e_fail "the daemon died"; }
    rec=$(latest)
    if [ "$(field "$rec" articles)" = "$1" ] && [ "$(field "$rec" sources)" = "$2" ]; then
      REC=$rec
      return 0
    fi
    sleep 1
  done
  e2e_log "last record: $rec"
  tail -20 "$WORK/daemon.log" >&2
  return 1
}

# 1. Three outlets.
{
  article bbc-1 BBC www.bbc.co.uk 0 8
  article grd-9 "The Guardian" www.theguardian.com 1 11
  article rtr-5 Reuters www.reuters.com 2 15
} >"$WORK/three.jsonl"
produce "$WORK/three.jsonl"
start_daemon
wait_counts 3 3 120 || e2e_fail "no cluster with articles = 3, sources = 3"
[ "$(field "$REC" day)" = "2026-12-03" ] || e2e_fail "day: $REC"
[ "$(field "$REC" first_seen)" = "$(date -ud 2026-12-03T08:00:00Z +%s)000" ] ||
  e2e_fail "first_seen: $REC"
[ "$(field "$REC" last_seen)" = "$(date -ud 2026-12-03T15:00:00Z +%s)000" ] ||
  e2e_fail "last_seen: $REC"
ids=$(/usr/bin/python3 -c 'import json,sys; print(",".join(sorted(json.loads(sys.argv[1])["article_ids"])))' "$REC")
[ "$ids" = "bbc-1,grd-9,rtr-5" ] || e2e_fail "article_ids: $ids"
e2e_log "one cluster from three outlets: $REC"

# 2. A re-sent article.
article bbc-1 BBC www.bbc.co.uk 0 8 >"$WORK/again.jsonl"
produce "$WORK/again.jsonl"
e2e_wait_metric 'demarche_cluster_events_total{result="duplicate"}' 1 60 ||
  e2e_fail "the re-sent article was not seen as a duplicate"
sleep 1
rec=$(latest)
[ "$(field "$rec" articles)" = 3 ] && [ "$(field "$rec" sources)" = 3 ] ||
  e2e_fail "re-sent article changed the counts: $rec"
e2e_log "re-sent article: still articles = 3, sources = 3"

# 3. Stop, delete the store, a fourth outlet.
stop_daemon
[ -d "$WORK/state" ] || e2e_fail "no state directory was written"
rm -rf "$WORK/state"
article ap-2 "Associated Press" apnews.com 1 12 >"$WORK/fourth.jsonl"
produce "$WORK/fourth.jsonl"
start_daemon
wait_counts 4 4 120 || e2e_fail "state not restored from the changelog after deleting the store"
grep -q 'restored from' "$WORK/daemon.log" || e2e_fail "no restore in the log"
e2e_log "store deleted, restored from the changelog: articles = 4, sources = 4"

# 4. kill -9 mid-run: half of the new articles, kill -9 once they are being
# clustered, the other half while the daemon is down, then a restart.
for i in $(seq 1 30); do
  article "more-$i" "Outlet $((i % 5))" "outlet$((i % 5)).example" "$i" $((i % 20))
  # Every third article is sent twice.
  [ $((i % 3)) -eq 0 ] && article "more-$i" "Outlet $((i % 5))" "outlet$((i % 5)).example" "$i" $((i % 20))
done >"$WORK/more.jsonl"
head -n 20 "$WORK/more.jsonl" >"$WORK/more1.jsonl"
tail -n +21 "$WORK/more.jsonl" >"$WORK/more2.jsonl"
produce "$WORK/more1.jsonl"
# This process counted 1 event so far (the fourth article).
e2e_wait_metric 'demarche_cluster_events_total{result="counted"}' 6 60 ||
  e2e_fail "the new articles are not being clustered"
kill -9 "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null || true
DAEMON_PID=""
e2e_log "killed -9 while clustering: $(latest)"
produce "$WORK/more2.jsonl"
start_daemon
wait_counts 34 9 180 || e2e_fail "final counts after kill -9 are not articles = 34, sources = 9"
sleep 2
rec=$(latest)
[ "$(field "$rec" articles)" = 34 ] && [ "$(field "$rec" sources)" = 9 ] ||
  e2e_fail "counts moved after settling: $rec"
n=$(/usr/bin/python3 -c 'import json,sys; print(len(json.loads(sys.argv[1])["article_ids"]))' "$rec")
[ "$n" -eq 20 ] || e2e_fail "article_ids holds $n ids, want cluster.max.article.ids = 20"
if [ "${E2E_CLUSTER_MODE:-}" = exactly-once ]; then
  # 5. A failed transaction: the output topic refuses every EventCluster
  # record (MSG_SIZE_TOO_LARGE); the stage stops the daemon (exit 1) without
  # committing, and once the limit is lifted a restart resumes from the last
  # committed transaction.
  DEMARCHE_KAFKA_PORT="$port" "$DM_SOURCE_DIR/deploy/kafka-local.sh" alter-topic "$T_CL" \
    max.message.bytes=64 >&2
  {
    article late-1 "Agence France-Presse" afp.com 0 9
    article late-2 "Al Jazeera" aljazeera.com 1 10
  } >"$WORK/late.jsonl"
  produce "$WORK/late.jsonl"
  rc=0
  timeout 120 tail --pid="$DAEMON_PID" -f /dev/null || e2e_fail "the daemon did not stop on the failed transaction"
  wait "$DAEMON_PID" || rc=$?
  DAEMON_PID=""
  [ "$rc" -eq 1 ] || e2e_fail "exit status $rc after the failed transaction, want 1"
  grep -q 'exiting without committing it' "$WORK/daemon.log" || e2e_fail "no failed transaction in the log"
  DEMARCHE_KAFKA_PORT="$port" "$DM_SOURCE_DIR/deploy/kafka-local.sh" alter-topic "$T_CL" \
    max.message.bytes=1048588 >&2
  start_daemon
  wait_counts 36 11 120 || e2e_fail "counts after the failed transaction are not 36 and 11"
  e2e_log "failed transaction: exit 1, restart: articles = 36, sources = 11"
fi
stop_daemon
e2e_log "after kill -9 and a restart: articles = 34, sources = 9 (exactly-once: 36 and 11 after step 5)"
if [ "${E2E_CLUSTER_MODE:-}" = exactly-once ]; then
  /usr/bin/python3 - "$WORK/clusters.jsonl" <<'PY' || e2e_fail "an EventCluster record was repeated"
import json, sys
seen = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    prev = seen.get(r["cluster_key"], 0)
    if r["mentions"] <= prev:
        sys.exit("%s: mentions %d after %d" % (r["cluster_key"], r["mentions"], prev))
    seen[r["cluster_key"]] = r["mentions"]
PY
  e2e_log "exactly-once: every EventCluster record of the story's key has more mentions than the one before"
fi
e2e_log "PASS"
