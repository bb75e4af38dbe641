#!/usr/bin/env bash
# delivery.mode = exactly-once on a real broker: the daemon is killed with
# kill -9 twice mid-run and restarted; a read_committed consumer must then see
# every input id exactly once on the articles topic (no loss, no duplicate).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_require_broker
N=${E2E_EOS_ARTICLES:-2000}
e2e_workdir PID
BIN="$DM_BINARY_DIR/demarched"

e2e_eos_config "$WORK/d.conf"

e2e_corpus "$N" "$WORK/in.jsonl"
e2e_ids id "$WORK/in.jsonl" >"$WORK/ids.expected"
kcat -P -b "$DEMARCHE_KAFKA_BOOTSTRAP" -t "$T_IN" -z lz4 <"$WORK/in.jsonl"

metric() { e2e_metric 'demarche_output_messages_total{output="articles"}'; }
for k in 1 2; do
  "$BIN" --config "$WORK/d.conf" 2>>"$WORK/d.log" &
  PID=$!
  e2e_wait_metric 'demarche_output_messages_total{output="articles"}' $((150 * k)) 120 ||
    { tail "$WORK/d.log" >&2; e2e_fail "no progress"; }
  kill -9 "$PID"; wait "$PID" 2>/dev/null || true; PID=""
  e2e_log "kill -9 #$k mid-transaction"
done
"$BIN" --config "$WORK/d.conf" 2>>"$WORK/d.log" &
PID=$!
deadline=$((SECONDS + 240))
while :; do
  # kcat reads with isolation.level=read_committed (librdkafka's default).
  e2e_read_topic "$T_ART" "$DM_SOURCE_DIR/schemas/AnnotatedArticle.avsc" >"$WORK/out.jsonl" 2>/dev/null || true
  e2e_ids article_id "$WORK/out.jsonl" >"$WORK/ids.got"
  [ "$(sort -u "$WORK/ids.got" | comm -23 "$WORK/ids.expected" - | wc -l)" -eq 0 ] && break
  [ $SECONDS -lt $deadline ] || { tail "$WORK/d.log" >&2; e2e_fail "ids missing"; }
  sleep 1
done
kill -TERM "$PID"; wait "$PID" || e2e_fail "exit status on SIGTERM"; PID=""
grep -q "exactly-once delivery with transactional.id" "$WORK/d.log" || e2e_fail "not transactional"
dups=$(uniq -d "$WORK/ids.got" | wc -l)
total=$(wc -l <"$WORK/ids.got")
[ "$dups" -eq 0 ] || e2e_fail "$dups ids seen more than once by a read_committed consumer"
[ "$total" -eq "$N" ] || e2e_fail "$total records for $N inputs"
e2e_log "exactly once: $N inputs, $total committed records, 0 duplicates after 2 kill -9s"
echo "e2e: PASS"
