#!/usr/bin/env bash
# Schema Registry on a real broker and a real registry: Apicurio Registry,
# started by deploy/registry-local.sh (DEMARCHE_REGISTRY_URL), which serves
# Confluent's API on a file-backed database.
#  1. The daemon registers its .avsc texts under <topic>-value and writes the
#     Confluent wire format, which Confluent's own AvroDeserializer decodes
#     through the registry, and so does `demarche decode --registry`.
#  2. The registry stops mid-run: the running daemon goes on with the ids
#     it has; a daemon started meanwhile holds consumption (/readyz says
#     why), and once the registry is back on its storage gets the same ids
#     (no new versions) and consumes the rest; every article is there and
#     decodes: nothing lost.
#  3. The registry comes back empty (storage lost): a daemon started then
#     registers again, and its records decode through the new registry.
#  3b. The registry loses its storage under a running daemon and hands out
#     other ids: the daemon's periodic check (schema.registry.check.interval.ms)
#     registers again, says so, and the records it writes from then on carry
#     the new ids and decode.
#  4. With the subject's compatibility BACKWARD, a schema adding a required
#     field is refused with 409, an optional one accepted.
# This test stops and restarts the shared registry (tests run serially).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_require_broker
e2e_require_registry
e2e_require_confluent
e2e_registry_local status >/dev/null 2>&1 || {
  echo "e2e: SKIP: $DEMARCHE_REGISTRY_URL is not deploy/registry-local.sh's (this test restarts it)"
  exit 77
}
REG=$DEMARCHE_REGISTRY_URL
N=200
e2e_workdir PID
# A failure while the registry is down must not leave it down for the tests
# that follow.
trap 'e2e_registry_local status >/dev/null 2>&1 || e2e_registry_local start >/dev/null 2>&1 || true; e2e_cleanup' EXIT
CT='Content-Type: application/vnd.schemaregistry.v1+json'

e2e_topics
HTTP_PORT=$(e2e_free_port)
e2e_config "$WORK/d.conf"
cat >>"$WORK/d.conf" <<CONF
schema.registry.url = $REG
schema.registry.timeout.ms = 2000
schema.registry.check.interval.ms = 3000
CONF
e2e_corpus $((5 * N)) "$WORK/all.jsonl"
for i in 1 2 3 4 5; do
  sed -n "$(((i - 1) * N + 1)),$((i * N))p" "$WORK/all.jsonl" >"$WORK/in$i.jsonl"
done

start_daemon() { # log-file
  "$DM_BINARY_DIR/demarched" --config "$WORK/d.conf" 2>"$1" &
  PID=$!
}
stop_daemon() {
  kill -TERM "$PID"
  wait "$PID" || { tail -40 "$WORK"/d*.log >&2; e2e_fail "exit status on SIGTERM"; }
  PID=""
}
wait_articles() { # n log-file what
  e2e_wait_metric 'demarche_output_messages_total{output="articles"}' "$1" 120 ||
    { tail -20 "$2" >&2; e2e_fail "no output $3"; }
}
# "AnnotatedArticle registered with id N" lines: the ids the daemon got.
logged_ids() { # log-file
  grep -o '[A-Za-z]* registered with id [0-9]*' "$1" | sort
}
subject_versions() { # subject
  curl -sf "$REG/subjects/$1/versions"
}
# Checks that Confluent's deserializer decoded exactly the articles of an
# input file (set equality, and every key is its record's article_id).
check_peer() { # peer.jsonl in.jsonl
  /usr/bin/python3 - "$1" "$2" <<'PY' || e2e_fail "Confluent's decoding of $1 differs from $2"
import json, sys
peer = [json.loads(l) for l in open(sys.argv[1])]
want = {json.loads(l)["id"] for l in open(sys.argv[2])}
got = {r["value"]["article_id"] for r in peer}
assert got == want, ("missing", sorted(want - got)[:5], "unexpected", sorted(got - want)[:5])
assert all(r["key"] == r["value"]["article_id"] for r in peer)
PY
}

# ---- 1. registration, the wire format, Confluent's deserializer -----------
kcat -P -b "$DEMARCHE_KAFKA_BOOTSTRAP" -t "$T_IN" <"$WORK/in1.jsonl"
start_daemon "$WORK/d1.log"
wait_articles "$N" "$WORK/d1.log" "with the registry up"
grep -q 'all schemas registered' "$WORK/d1.log" || e2e_fail "no registration in the log"
for t in "$T_ART" "$T_EV" "$T_DLQ"; do
  [ "$(subject_versions "$t-value")" = "[1]" ] || e2e_fail "subject $t-value: versions $(subject_versions "$t-value")"
done
# The subject holds our .avsc text as written.
curl -sf "$REG/subjects/$T_ART-value/versions/latest" |
  /usr/bin/python3 -c 'import json,sys; s=json.load(sys.stdin)["schema"]; sys.exit(0 if s == open(sys.argv[1]).read() else 1)' \
  "$DM_SOURCE_DIR/schemas/AnnotatedArticle.avsc" || e2e_fail "registered text differs from the .avsc"
ART_ID=$(curl -sf "$REG/subjects/$T_ART-value/versions/latest" |
  /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
e2e_confluent_read "$T_ART" "$REG" - "$N" >"$WORK/peer1.jsonl"
check_peer "$WORK/peer1.jsonl" "$WORK/in1.jsonl"
/usr/bin/python3 -c 'import json,sys; ids={json.loads(l)["schema_id"] for l in open(sys.argv[1])}; sys.exit(0 if ids == {int(sys.argv[2])} else "schema ids %s, subject id %s" % (ids, sys.argv[2]))' \
  "$WORK/peer1.jsonl" "$ART_ID" || e2e_fail "records do not carry the subject's id"
"$DM_BINARY_DIR/demarche" decode -b "$DEMARCHE_KAFKA_BOOTSTRAP" -t "$T_ART" --registry "$REG" \
  >"$WORK/ours.jsonl" || e2e_fail "demarche decode --registry failed"
# At least once: a rebalance under load may write an article twice; every
# article must be there, each decoded.
/usr/bin/python3 - "$WORK/ours.jsonl" "$WORK/in1.jsonl" <<'PY' || e2e_fail "demarche decode --registry: not every article decoded"
import json, sys
got = {json.loads(l)["value"]["article_id"] for l in open(sys.argv[1])}
want = {json.loads(l)["id"] for l in open(sys.argv[2])}
sys.exit(0 if got == want else "missing %s, unexpected %s" % (sorted(want - got)[:5], sorted(got - want)[:5]))
PY
grep -q "\"schema_id\":$ART_ID" "$WORK/ours.jsonl" || e2e_fail "no schema id $ART_ID in demarche decode output"
e2e_log "registered under $T_ART-value (id $ART_ID); Confluent's AvroDeserializer decoded all $N"

# ---- 2. the registry stops mid-run and comes back on its storage -----------
e2e_registry_local stop --keep
kcat -P -b "$DEMARCHE_KAFKA_BOOTSTRAP" -t "$T_IN" <"$WORK/in4.jsonl"
wait_articles $((2 * N)) "$WORK/d1.log" "from the running daemon while the registry is down"
stop_daemon
e2e_log "registry down: the running daemon wrote $N more with the ids it had"
kcat -P -b "$DEMARCHE_KAFKA_BOOTSTRAP" -t "$T_IN" <"$WORK/in2.jsonl"
start_daemon "$WORK/d2.log"
sleep 4
code=$(curl -s -o "$WORK/ready.txt" -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/readyz?verbose")
[ "$code" = 503 ] || e2e_fail "/readyz answered $code while the registry is down"
grep -q '^failed registry:' "$WORK/ready.txt" || e2e_fail "/readyz does not name the registry"
[ "$(e2e_metric demarche_input_messages_total)" = 0 ] || e2e_fail "consumed without schema ids"
[ "$(e2e_metric 'demarche_errors_total{stage="registry",type="connect"}')" -ge 1 ] ||
  e2e_fail "failed registrations not counted as registry/connect errors"
e2e_log "registry down: a new daemon is not ready, consumes nothing ($(grep registry: "$WORK/ready.txt"))"
e2e_registry_local start >/dev/null
wait_articles "$N" "$WORK/d2.log" "after the registry came back"
[ "$(logged_ids "$WORK/d2.log")" = "$(logged_ids "$WORK/d1.log")" ] ||
  e2e_fail "other ids after the restart: $(logged_ids "$WORK/d2.log" | tr '\n' ' ')"
for t in "$T_ART" "$T_EV" "$T_DLQ"; do
  [ "$(subject_versions "$t-value")" = "[1]" ] || e2e_fail "subject $t-value: versions $(subject_versions "$t-value")"
done
stop_daemon
e2e_confluent_read "$T_ART" "$REG" - $((3 * N)) >"$WORK/peer2.jsonl"
cat "$WORK/in1.jsonl" "$WORK/in4.jsonl" "$WORK/in2.jsonl" >"$WORK/in142.jsonl"
check_peer "$WORK/peer2.jsonl" "$WORK/in142.jsonl"
e2e_log "registry back on its storage: same ids, all $((3 * N)) articles decode"

# ---- 3. the registry comes back empty -------------------------------------
e2e_registry_local restart --empty >/dev/null
[ "$(curl -sf "$REG/subjects")" = "[]" ] || e2e_fail "the registry did not come back empty"
e2e_end_offsets "$T_ART" >"$WORK/end2.json"
kcat -P -b "$DEMARCHE_KAFKA_BOOTSTRAP" -t "$T_IN" <"$WORK/in3.jsonl"
start_daemon "$WORK/d3.log"
wait_articles "$N" "$WORK/d3.log" "after the registry came back empty"
grep -q 'all schemas registered' "$WORK/d3.log" || e2e_fail "no registration with the empty registry"
for t in "$T_ART" "$T_EV" "$T_DLQ"; do
  [ "$(subject_versions "$t-value")" = "[1]" ] || e2e_fail "subject $t-value not registered again"
done
stop_daemon
e2e_confluent_read "$T_ART" "$REG" - "$N" "$WORK/end2.json" >"$WORK/peer3.jsonl"
check_peer "$WORK/peer3.jsonl" "$WORK/in3.jsonl"
e2e_log "registry came back empty: registered again ($(logged_ids "$WORK/d3.log" | tr '\n' ' ')), $N new articles decode"

# ---- 3b. the registry loses its storage under a running daemon -------------
start_daemon "$WORK/d5.log"
for _ in $(seq 60); do grep -q 'all schemas registered' "$WORK/d5.log" && break; sleep 0.5; done
grep -q 'all schemas registered' "$WORK/d5.log" || e2e_fail "d5: no registration"
# The daemon is held (SIGSTOP) while the registry comes back empty and other
# schemas take the first ids, so that ours cannot get their old ids back.
kill -STOP "$PID"
e2e_registry_local restart --empty >/dev/null
for t in string long double; do
  curl -sf -o /dev/null -X POST -H "$CT" -d "{\"schema\":\"{\\\"type\\\":\\\"$t\\\"}\"}" \
    "$REG/subjects/other-$t-value/versions" || { kill -CONT "$PID"; e2e_fail "cannot register another schema"; }
done
kill -CONT "$PID"
OLD_ID=$(logged_ids "$WORK/d5.log" | sed -n 's/^AnnotatedArticle registered with id //p')
# The daemon's check (every 3 s) registers ours again, with new ids, and
# says so.
for _ in $(seq 40); do
  NEW_ID=$(curl -sf "$REG/subjects/$T_ART-value/versions/latest" 2>/dev/null |
    /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' 2>/dev/null) && break
  sleep 0.5
done
[ -n "${NEW_ID:-}" ] || { tail -20 "$WORK/d5.log" >&2; e2e_fail "the running daemon did not register again"; }
[ "$NEW_ID" != "$OLD_ID" ] || e2e_fail "the emptied registry gave AnnotatedArticle its old id $OLD_ID again"
for _ in $(seq 20); do grep -q "AnnotatedArticle has id $NEW_ID now, not $OLD_ID" "$WORK/d5.log" && break; sleep 0.5; done
grep -q "AnnotatedArticle has id $NEW_ID now, not $OLD_ID" "$WORK/d5.log" ||
  { tail -20 "$WORK/d5.log" >&2; e2e_fail "id $OLD_ID became $NEW_ID without a word from the daemon"; }
sleep 4 # one more check, so that every schema's new id is in use
e2e_end_offsets "$T_ART" >"$WORK/end5.json"
kcat -P -b "$DEMARCHE_KAFKA_BOOTSTRAP" -t "$T_IN" <"$WORK/in5.jsonl"
wait_articles "$N" "$WORK/d5.log" "after the registry lost its storage under the daemon"
stop_daemon
e2e_confluent_read "$T_ART" "$REG" - "$N" "$WORK/end5.json" >"$WORK/peer5.jsonl"
check_peer "$WORK/peer5.jsonl" "$WORK/in5.jsonl"
/usr/bin/python3 -c 'import json,sys; ids={json.loads(l)["schema_id"] for l in open(sys.argv[1])}; sys.exit(0 if ids == {int(sys.argv[2])} else "schema ids %s, subject id %s" % (ids, sys.argv[2]))' \
  "$WORK/peer5.jsonl" "$NEW_ID" || e2e_fail "records after the check do not carry the new id"
e2e_log "registry lost its storage under a running daemon: AnnotatedArticle id $OLD_ID -> $NEW_ID; $N new articles decode"

# ---- 4. compatibility -------------------------------------------------------
# Apicurio's default compatibility is NONE: set the subject's explicitly.
curl -sf -o /dev/null -X PUT -H "$CT" -d '{"compatibility":"BACKWARD"}' "$REG/config/$T_ART-value" ||
  e2e_fail "cannot set the subject's compatibility"
/usr/bin/python3 - "$DM_SOURCE_DIR/schemas/AnnotatedArticle.avsc" "$WORK" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s["fields"].append({"name": "required_new", "type": "string"})
open(sys.argv[2] + "/bad.json", "w").write(json.dumps({"schema": json.dumps(s)}))
s["fields"][-1] = {"name": "optional_new", "type": ["null", "string"], "default": None}
open(sys.argv[2] + "/good.json", "w").write(json.dumps({"schema": json.dumps(s)}))
PY
code=$(curl -s -o "$WORK/bad.out" -w '%{http_code}' -H "$CT" -d @"$WORK/bad.json" \
  "$REG/subjects/$T_ART-value/versions")
[ "$code" = 409 ] || e2e_fail "incompatible schema answered $code, want 409: $(cat "$WORK/bad.out")"
code=$(curl -s -o "$WORK/good.out" -w '%{http_code}' -H "$CT" -d @"$WORK/good.json" \
  "$REG/subjects/$T_ART-value/versions")
[ "$code" = 200 ] || e2e_fail "compatible schema answered $code, want 200: $(cat "$WORK/good.out")"
e2e_log "BACKWARD: a new required field refused (409), an optional one accepted"
echo "e2e: PASS"
