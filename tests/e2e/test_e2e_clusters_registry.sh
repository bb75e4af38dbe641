#!/usr/bin/env bash
# Events across articles with a Schema Registry (docs/CLUSTERS.md): with
# schema.registry.url set, EventCluster is registered under
# <cluster.topic.output>-value like the other schemas, the clustering stage
# reads the repartition topic's Confluent-framed DiplomaticEvents, and its
# EventCluster records carry the registered id: Confluent's own
# AvroDeserializer decodes them through the registry (one cluster, articles =
# 3, sources = 3, from three outlets), and so does `demarche decode
# --registry`. With cluster.enabled = false, no EventCluster subject appears.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_require_broker
e2e_require_registry
e2e_require_confluent
REG=$DEMARCHE_REGISTRY_URL
e2e_workdir DAEMON_PID

e2e_topics
e2e_cluster_topics 3
HTTP_PORT=$(e2e_free_port)
e2e_config "$WORK/off.conf"
cat >>"$WORK/off.conf" <<CONF
schema.registry.url = $REG
cluster.topic.output = $T_CL
CONF
cp "$WORK/off.conf" "$WORK/on.conf"
cat >>"$WORK/on.conf" <<CONF
cluster.enabled = true
cluster.topic.repartition = $T_REP
cluster.topic.changelog = $T_CHG
cluster.state.dir = $WORK/state
cluster.emit.interval.ms = 100
cluster.commit.interval.ms = 100
CONF

subjects() { curl -sf "$REG/subjects"; }

# Disabled: the EventCluster subject is not registered.
"$DM_BINARY_DIR/demarched" --config "$WORK/off.conf" 2>"$WORK/off.log" &
DAEMON_PID=$!
e2e_wait_metric demarche_ready 1 60 || { tail -20 "$WORK/off.log" >&2; e2e_fail "not ready"; }
kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID" || e2e_fail "exit status on SIGTERM"
DAEMON_PID=""
subjects | grep -q "\"$T_EV-value\"" || e2e_fail "DiplomaticEvent not registered"
! subjects | grep -q "\"$T_CL-value\"" || e2e_fail "EventCluster registered with cluster.enabled = false"

printf '%s\n' \
  '{"id":"bbc-1","source":"BBC","url":"https://www.bbc.co.uk/news/1","published_at":"2026-12-03T08:00:00Z","text":"Russian President Vladimir Putin met Chinese President Xi Jinping in Moscow on Tuesday."}' \
  '{"id":"grd-9","source":"The Guardian","url":"https://www.theguardian.com/world/9","published_at":"2026-12-03T11:30:00Z","text":"Vladimir Putin, the Russian president, met Xi Jinping of China at the Kremlin, officials said."}' \
  '{"id":"rtr-5","source":"Reuters","url":"https://www.reuters.com/world/5","published_at":"2026-12-03T15:45:00Z","text":"Russia'"'"'s Putin met China'"'"'s President Xi in Moscow on Tuesday to discuss energy deals."}' |
  kcat -P -b "$DEMARCHE_KAFKA_BOOTSTRAP" -t "$T_IN"
"$DM_BINARY_DIR/demarched" --config "$WORK/on.conf" 2>"$WORK/on.log" &
DAEMON_PID=$!
deadline=$((SECONDS + 120))
while :; do
  kill -0 "$DAEMON_PID" 2>/dev/null || { tail -20 "$WORK/on.log" >&2; e2e_fail "the daemon died"; }
  if e2e_confluent_read "$T_CL" "$REG" - 1 >"$WORK/peer.jsonl" 2>"$WORK/peer.err" &&
    /usr/bin/python3 - "$WORK/peer.jsonl" <<'PY'
import json, sys
last = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    assert r["key"] == r["value"]["cluster_id"], r
    last[r["value"]["cluster_key"]] = r["value"]
c = last.get("RUS|CHN|040|2026-12-03")
sys.exit(0 if c and c["articles"] == 3 and c["sources"] == 3 else 1)
PY
  then
    break
  fi
  [ $SECONDS -lt $deadline ] || { cat "$WORK/peer.err" >&2; tail -20 "$WORK/on.log" >&2; e2e_fail "no EventCluster with articles = 3, sources = 3 through Confluent's deserializer"; }
  sleep 1
done
subjects | grep -q "\"$T_CL-value\"" || e2e_fail "EventCluster not registered under $T_CL-value"
e2e_log "Confluent's AvroDeserializer: $(tail -1 "$WORK/peer.jsonl" | cut -c1-300)"
"$DM_BINARY_DIR/demarche" decode --registry "$REG" -b "$DEMARCHE_KAFKA_BOOTSTRAP" -t "$T_CL" \
  >"$WORK/decode.jsonl" || e2e_fail "demarche decode --registry failed"
grep -q '"schema":"EventCluster"' "$WORK/decode.jsonl" || e2e_fail "demarche decode: no EventCluster"
kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID" || e2e_fail "exit status on SIGTERM"
DAEMON_PID=""
e2e_log "PASS"
