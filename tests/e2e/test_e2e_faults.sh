#!/usr/bin/env bash
# Faults on a real broker: kill -9 of the daemon at random points, a second
# daemon joining the group and the first leaving it (cooperative-sticky
# rebalancing), and a hard broker restart mid-run. Afterwards every input id
# must be in the output; duplicates are counted and reported (at-least-once
# allows them, loss is a failure).
#
# E2E_FAULT_ARTICLES (default 4000), E2E_FAULT_KILLS (default 3),
# E2E_FAULT_SEED (default: random, printed), RELIABILITY_OUT (append a result
# line for docs/RELIABILITY.md).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_require_broker
N=${E2E_FAULT_ARTICLES:-4000}
KILLS=${E2E_FAULT_KILLS:-3}
SEED=${E2E_FAULT_SEED:-$(( $(date +%s) % 32768 ))}
RANDOM=$SEED
e2e_log "seed $SEED, $N articles, $KILLS kill -9s"
e2e_workdir PID_A PID_B PID_C
BIN="$DM_BINARY_DIR/demarched"

e2e_topics
PORT_A=$(e2e_free_port)
PORT_B=$(e2e_free_port)
PORT_C=$(e2e_free_port)
for who in A B C; do
  eval "HTTP_PORT=\$PORT_$who"
  e2e_config "$WORK/$who.conf"
  cat >>"$WORK/$who.conf" <<CONF
# A killed member's partitions move after its session expires: keep it short.
kafka.session.timeout.ms = 6000
kafka.heartbeat.interval.ms = 1000
max.inflight = 100
CONF
done

e2e_corpus "$N" "$WORK/in.jsonl"
e2e_ids id "$WORK/in.jsonl" >"$WORK/ids.expected"
# Half now; the other half once the group has grown, so that every member
# has work whatever the speed of the first.
half=$((N / 2))
head -n "$half" "$WORK/in.jsonl" | kcat -P -b "$DEMARCHE_KAFKA_BOOTSTRAP" -t "$T_IN" -z lz4

start() { # who
  "$BIN" --config "$WORK/$1.conf" 2>>"$WORK/$1.log" &
  eval "PID_$1=$!"
}
delivered() { # port
  HTTP_PORT=$1 e2e_metric 'demarche_output_messages_total{output="articles"}'
}
wait_progress() { # port count timeout
  HTTP_PORT=$1 e2e_wait_metric 'demarche_output_messages_total{output="articles"}' "$2" "$3"
}

# 1. kill -9 at random points.
for k in $(seq 1 "$KILLS"); do
  start A
  target=$(( 20 + RANDOM % (half / (KILLS * 3) + 1) ))
  wait_progress "$PORT_A" "$target" 120 || { tail "$WORK/A.log" >&2; e2e_fail "no progress"; }
  kill -9 "$PID_A"; wait "$PID_A" 2>/dev/null || true; PID_A=""
  e2e_log "kill -9 #$k after $target+ articles"
done

# 2. A runs, B and C join (three members, three partitions), A leaves with
#    SIGTERM, the broker is killed and restarted under B and C.
start A
wait_progress "$PORT_A" 50 120 || e2e_fail "no progress after the kills"
start B
start C
for who in B C; do
  eval "port=\$PORT_$who"
  HTTP_PORT=$port e2e_wait_metric demarche_assigned_partitions 1 120 ||
    { tail "$WORK/$who.log" >&2; e2e_fail "$who never received partitions"; }
done
tail -n +"$((half + 1))" "$WORK/in.jsonl" | kcat -P -b "$DEMARCHE_KAFKA_BOOTSTRAP" -t "$T_IN" -z lz4
e2e_log "B and C joined the group; the second half of the input is produced"
kill -TERM "$PID_A"; rc=0; wait "$PID_A" || rc=$?; PID_A=""
[ "$rc" -eq 0 ] || e2e_fail "A exited $rc on SIGTERM during a rebalance"
e2e_log "A left with SIGTERM"
port="${DEMARCHE_KAFKA_BOOTSTRAP##*:}"
DEMARCHE_KAFKA_PORT=$port "$DM_SOURCE_DIR/deploy/kafka-local.sh" restart --hard >/dev/null
e2e_log "broker killed and restarted"

# 3. B and C finish everything.
deadline=$((SECONDS + 300))
while :; do
  e2e_read_topic "$T_ART" "$DM_SOURCE_DIR/schemas/AnnotatedArticle.avsc" >"$WORK/out.jsonl" 2>/dev/null || true
  e2e_ids article_id "$WORK/out.jsonl" | uniq >"$WORK/ids.got"
  missing=$(comm -23 "$WORK/ids.expected" "$WORK/ids.got" | wc -l)
  [ "$missing" -eq 0 ] && break
  kill -0 "$PID_B" 2>/dev/null || { tail "$WORK/B.log" >&2; e2e_fail "B died"; }
  kill -0 "$PID_C" 2>/dev/null || { tail "$WORK/C.log" >&2; e2e_fail "C died"; }
  if [ $SECONDS -ge $deadline ]; then
    for who in B C; do
      echo "--- $who (last lines) ---" >&2
      grep -v 'Connect to\|brokers are down' "$WORK/$who.log" | tail -25 >&2
      HTTP_PORT=$([ $who = B ] && echo "$PORT_B" || echo "$PORT_C") e2e_metric demarche_inflight_articles >&2
      curl -s "http://127.0.0.1:$([ $who = B ] && echo "$PORT_B" || echo "$PORT_C")/status" >&2 || true
    done
    e2e_fail "$missing ids lost"
  fi
  sleep 2
done
kill -TERM "$PID_B" "$PID_C"
wait "$PID_B" || e2e_fail "B exited non-zero on SIGTERM"
PID_B=""
wait "$PID_C" || e2e_fail "C exited non-zero on SIGTERM"
PID_C=""
total=$(wc -l <"$WORK/out.jsonl")
dups=$((total - N))
e2e_log "all $N ids present; $total records, $dups duplicates ($(awk -v d=$dups -v n=$N 'BEGIN{printf "%.2f", 100*d/n}')%)"
if [ -n "${RELIABILITY_OUT:-}" ]; then
  echo "| $(date -u +%Y-%m-%d) | kill -9 x$KILLS, two members join + one leaves (SIGTERM), broker kill -9 + restart | $N | 0 | $dups | seed $SEED |" >>"$RELIABILITY_OUT"
fi
echo "e2e: PASS"
