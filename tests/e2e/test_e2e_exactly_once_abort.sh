#!/usr/bin/env bash
# delivery.mode = exactly-once on a real broker, transactions aborted
# in-process: the articles topic first refuses every record (max.message.bytes
# far below an AnnotatedArticle: MSG_SIZE_TOO_LARGE, an abortable error), so
# transaction after transaction is aborted, discarded and redone from the last
# committed offsets by the same process; then the limit is lifted. A
# read_committed consumer must see every input id exactly once, the daemon
# must never have exited, and SIGTERM must still drain with exit 0.
# (The mock cluster of librdkafka 2.0.2 writes no abort markers, so this is
# where "exactly once after an in-process abort" is checked on the log.)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_require_broker
N=${E2E_EOS_ABORT_ARTICLES:-300}
WORK=$(mktemp -d)
PID=""
cleanup() {
  [ -n "$PID" ] && kill -9 "$PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
BIN="$DM_BINARY_DIR/demarched"
PORT="${DEMARCHE_KAFKA_BOOTSTRAP##*:}"
alter() { DEMARCHE_KAFKA_PORT="$PORT" "$DM_SOURCE_DIR/deploy/kafka-local.sh" alter-topic "$@"; }

e2e_eos_config "$WORK/d.conf"

/usr/bin/python3 "$DM_SOURCE_DIR/tests/e2e/make_corpus.py" "$N" "$DM_SOURCE_DIR" "$DM_SHARED_DIR" \
  >"$WORK/in.jsonl"
/usr/bin/python3 -c 'import json,sys; [print(json.loads(l)["id"]) for l in open(sys.argv[1])]' \
  "$WORK/in.jsonl" | sort >"$WORK/ids.expected"
kcat -P -b "$DEMARCHE_KAFKA_BOOTSTRAP" -t "$T_IN" <"$WORK/in.jsonl"

alter "$T_ART" max.message.bytes=128
"$BIN" --config "$WORK/d.conf" 2>"$WORK/d.log" &
PID=$!
aborted='demarche_transactions_total{result="aborted"}'
e2e_wait_metric "$aborted" 5 120 ||
  { tail -20 "$WORK/d.log" >&2; e2e_fail "no transaction aborted while the topic refuses records"; }
kill -0 "$PID" 2>/dev/null || e2e_fail "the daemon exited on an abortable error"
too_large=$(e2e_metric 'demarche_errors_total{stage="produce",type="msg_size_too_large"}')
[ "${too_large%.*}" -ge 1 ] || e2e_fail "refused records not counted as produce/msg_size_too_large"
e2e_log "articles topic refusing records: $(e2e_metric "$aborted") transactions aborted, daemon still up"

alter "$T_ART" max.message.bytes=1048588
deadline=$((SECONDS + 240))
while :; do
  kill -0 "$PID" 2>/dev/null || { tail -20 "$WORK/d.log" >&2; e2e_fail "the daemon exited"; }
  # kcat reads with isolation.level=read_committed (librdkafka's default).
  e2e_read_topic "$T_ART" "$DM_SOURCE_DIR/schemas/AnnotatedArticle.avsc" >"$WORK/out.jsonl" 2>/dev/null || true
  /usr/bin/python3 -c 'import json,sys; [print(json.loads(l)["article_id"]) for l in open(sys.argv[1])]' \
    "$WORK/out.jsonl" | sort >"$WORK/ids.got"
  [ "$(sort -u "$WORK/ids.got" | comm -23 "$WORK/ids.expected" - | wc -l)" -eq 0 ] && break
  [ $SECONDS -lt $deadline ] || { tail -20 "$WORK/d.log" >&2; e2e_fail "ids missing"; }
  sleep 1
done
total_aborted=$(e2e_metric "$aborted")
committed=$(e2e_metric 'demarche_transactions_total{result="committed"}')
kill -TERM "$PID"; wait "$PID" || e2e_fail "exit status on SIGTERM"; PID=""
grep -q "aborting the transaction" "$WORK/d.log" || e2e_fail "no abort in the log"
if grep -q 'level=fatal' "$WORK/d.log"; then
  grep 'level=fatal' "$WORK/d.log" | head -3 >&2
  e2e_fail "fatal error logged"
fi
dups=$(uniq -d "$WORK/ids.got" | wc -l)
total=$(wc -l <"$WORK/ids.got")
[ "$dups" -eq 0 ] || e2e_fail "$dups ids seen more than once by a read_committed consumer"
[ "$total" -eq "$N" ] || e2e_fail "$total records for $N inputs"
e2e_log "exactly once across in-process aborts: $N inputs, $total committed records, 0 duplicates;" \
  "$total_aborted transactions aborted, $committed committed, one process"
echo "e2e: PASS"
