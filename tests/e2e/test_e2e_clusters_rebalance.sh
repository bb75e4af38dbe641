#!/usr/bin/env bash
# Events across articles with three instances and rebalances (docs/CLUSTERS.md,
# "Scale"): the number of instances changes which partitions each owns, not
# the answer.
#   One instance starts on the first third of the articles; two more join
#   (rebalance) while the second third arrives; one of them is stopped with
#   SIGTERM (rebalance) and another killed with -9 (rebalance after the
#   session timeout) while the last third arrives. Every cluster (one story on
#   six days, i.e. six keys spread over the partitions) ends with exactly the
#   distinct articles and outlets this script wrote for its day, re-sent
#   articles included.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_require_broker
e2e_workdir PIDS
PIDS=()
BIN="$DM_BINARY_DIR/demarched"
SCHEMA="$DM_SOURCE_DIR/schemas/EventCluster.avsc"

e2e_topics
e2e_cluster_topics 6

# One config per instance: own HTTP port and state directory, same groups.
for n in 0 1 2; do
  HTTP_PORT=$(e2e_free_port)
  e2e_config "$WORK/d$n.conf"
  cat >>"$WORK/d$n.conf" <<CONF
workers = 1
cluster.enabled = true
cluster.topic.repartition = $T_REP
cluster.topic.output = $T_CL
cluster.topic.changelog = $T_CHG
cluster.state.dir = $WORK/state$n
cluster.emit.interval.ms = 200
cluster.commit.interval.ms = 100
kafka.session.timeout.ms = 6000
kafka.heartbeat.interval.ms = 1000
CONF
done
"$BIN" --check-config --config "$WORK/d0.conf" >/dev/null
start() { # n
  "$BIN" --config "$WORK/d$1.conf" 2>>"$WORK/d$1.log" &
  PIDS[$1]=$!
}

# 90 articles: article i is on day 1 + i % 6, from outlet i % 7, in one of
# three wordings; every fourth is sent twice.
/usr/bin/python3 - "$WORK" <<'PY'
import json, sys
work = sys.argv[1]
texts = [
    "Russian President Vladimir Putin met Chinese President Xi Jinping in Moscow on Tuesday. The two leaders discussed trade.",
    "Vladimir Putin, the Russian president, met Xi Jinping of China at the Kremlin, officials said.",
    "Russia's Putin met China's President Xi in Moscow on Tuesday to discuss energy deals.",
]
expected = {}
parts = [[], [], []]
for i in range(90):
    day = "2026-11-%02d" % (1 + i % 6)
    outlet = "Outlet %d" % (i % 7)
    rec = {"id": "art-%d" % i, "source": outlet, "url": "https://o%d.example/%d" % (i % 7, i),
           "published_at": day + "T%02d:00:00Z" % (i % 24), "text": texts[i % 3]}
    line = json.dumps(rec)
    parts[i // 30].append(line)
    if i % 4 == 0:
        parts[i // 30].append(line)
    key = "RUS|CHN|040|" + day
    e = expected.setdefault(key, [set(), set()])
    e[0].add(rec["id"])
    e[1].add(outlet)
for n, lines in enumerate(parts):
    open("%s/part%d.jsonl" % (work, n), "w").write("\n".join(lines) + "\n")
json.dump({k: [len(a), len(s)] for k, (a, s) in expected.items()},
          open(work + "/expected.json", "w"), sort_keys=True)
PY
produce() { kcat -P -b "$DEMARCHE_KAFKA_BOOTSTRAP" -t "$T_IN" <"$1"; }
# The table: cluster key -> [articles, sources] from the latest records.
table() {
  e2e_read_topic "$T_CL" "$SCHEMA" 2>"$WORK/decode.err" >"$WORK/clusters.jsonl" ||
    { cat "$WORK/decode.err" >&2; e2e_fail "EventCluster records do not decode"; }
  /usr/bin/python3 -c '
import json, sys
last = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    last[r["cluster_key"]] = [r["articles"], r["sources"]]
print(json.dumps(last, sort_keys=True))' "$WORK/clusters.jsonl"
}
counted() { # instance
  HTTP_PORT=$(sed -n 's/^http.listen = 127.0.0.1://p' "$WORK/d$1.conf")
  e2e_metric 'demarche_cluster_events_total{result="counted"}'
}

start 0
produce "$WORK/part0.jsonl"
deadline=$((SECONDS + 90))
until [ "$(counted 0)" -ge 10 ]; do
  [ $SECONDS -lt $deadline ] || { tail -20 "$WORK/d0.log" >&2; e2e_fail "instance 0 clusters nothing"; }
  sleep 0.5
done
e2e_log "instance 0 alone: $(table)"

start 1
start 2
produce "$WORK/part1.jsonl"
deadline=$((SECONDS + 90))
until grep -q 'assigned: restoring' "$WORK/d1.log" 2>/dev/null &&
  grep -q 'assigned: restoring' "$WORK/d2.log" 2>/dev/null; do
  [ $SECONDS -lt $deadline ] || e2e_fail "instances 1 and 2 were given no repartition partitions"
  sleep 0.5
done
e2e_log "three instances: $(table)"

kill -TERM "${PIDS[1]}"
wait "${PIDS[1]}" || e2e_fail "instance 1: exit status on SIGTERM"
PIDS[1]=""
produce "$WORK/part2.jsonl"
sleep 1
kill -9 "${PIDS[2]}"
wait "${PIDS[2]}" 2>/dev/null || true
PIDS[2]=""
e2e_log "instance 1 stopped, instance 2 killed -9: $(table)"

want=$(cat "$WORK/expected.json")
deadline=$((SECONDS + 180))
while :; do
  kill -0 "${PIDS[0]}" 2>/dev/null || { tail -20 "$WORK/d0.log" >&2; e2e_fail "instance 0 died"; }
  got=$(table)
  [ "$got" = "$want" ] && break
  [ $SECONDS -lt $deadline ] || { e2e_log "want $want"; e2e_log "got  $got"; e2e_fail "final counts differ"; }
  sleep 2
done
sleep 3
got=$(table)
[ "$got" = "$want" ] || e2e_fail "counts moved after settling: $got"
grep -h 'restored from' "$WORK"/d*.log | grep -vq ' 0 changelog records' ||
  e2e_fail "no partition was restored from a non-empty changelog"
kill -TERM "${PIDS[0]}"
wait "${PIDS[0]}" || e2e_fail "instance 0: exit status on SIGTERM"
PIDS[0]=""
e2e_log "after joins, a SIGTERM and a kill -9: $got"
e2e_log "PASS"
