#!/usr/bin/env bash
# Schema Registry on a real broker: the daemon registers its .avsc texts
# under <topic>-value (basic auth), waits while the registry is down (input
# untouched, /readyz says why), then writes the Confluent wire format, which
# Confluent's own Python deserializer decodes through the registry, and so does
# `demarche decode --registry`. The registry answers 409 to an incompatible
# schema.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_require_broker
VENV=${DEMARCHE_CACHE_DIR:-$HOME/.cache/demarche}/venv
if ! "$VENV/bin/python" -c 'import confluent_kafka.schema_registry.avro' 2>/dev/null; then
  echo "e2e: SKIP: $VENV lacks confluent-kafka[avro] (deploy/install-deps.sh installs it)"
  exit 77
fi
N=200
e2e_workdir PID RPID

e2e_topics
HTTP_PORT=$(e2e_free_port)
REG_PORT=$(e2e_free_port)
REG=http://127.0.0.1:$REG_PORT
e2e_config "$WORK/d.conf"
printf 'reg-user:reg-pass\n' >"$WORK/reg.secret"
cat >>"$WORK/d.conf" <<CONF
schema.registry.url = $REG
schema.registry.basic.auth.user.info = \${file:$WORK/reg.secret}
schema.registry.timeout.ms = 2000
CONF
e2e_corpus "$N" "$WORK/in.jsonl"
kcat -P -b "$DEMARCHE_KAFKA_BOOTSTRAP" -t "$T_IN" <"$WORK/in.jsonl"

# The registry is down: the daemon waits and says why.
"$DM_BINARY_DIR/demarched" --config "$WORK/d.conf" 2>"$WORK/d.log" &
PID=$!
sleep 4
code=$(curl -s -o "$WORK/ready.txt" -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/readyz?verbose")
[ "$code" = 503 ] || e2e_fail "/readyz answered $code while the registry is down"
grep -q '^failed registry:' "$WORK/ready.txt" || e2e_fail "/readyz does not name the registry"
[ "$(e2e_metric demarche_input_messages_total)" = 0 ] || e2e_fail "consumed without schema ids"
[ "$(e2e_metric 'demarche_errors_total{stage="registry",type="connect"}')" -ge 1 ] ||
  e2e_fail "failed registrations not counted as registry/connect errors"
e2e_log "registry down: not ready, nothing consumed ($(grep registry: "$WORK/ready.txt"))"

# It comes up (first answers 503, as a starting registry does).
/usr/bin/python3 "$DM_SOURCE_DIR/tests/registry/fake_registry.py" --port "$REG_PORT" \
  --user reg-user:reg-pass --fail-first 2 >"$WORK/reg.out" &
RPID=$!
e2e_wait_metric 'demarche_output_messages_total{output="articles"}' "$N" 120 ||
  { tail "$WORK/d.log" >&2; e2e_fail "no output after the registry came up"; }
grep -q 'all schemas registered' "$WORK/d.log" || e2e_fail "no registration in the log"
# The registry's first two answers were 503.
[ "$(e2e_metric 'demarche_errors_total{stage="registry",type="http_status"}')" -eq 2 ] ||
  e2e_fail "503 answers not counted as registry/http_status errors"
e2e_log "registry up: schemas registered, $N articles written"

# Confluent's deserializer decodes every record through the registry.
"$VENV/bin/python" "$DM_SOURCE_DIR/tests/registry/confluent_consume.py" \
  "$DEMARCHE_KAFKA_BOOTSTRAP" "$T_ART" "$REG" reg-user:reg-pass "$N" >"$WORK/peer.jsonl"
/usr/bin/python3 - "$WORK/peer.jsonl" "$WORK/in.jsonl" <<'PY'
import json, sys
peer = [json.loads(l) for l in open(sys.argv[1])]
want = {json.loads(l)["id"] for l in open(sys.argv[2])}
got = {r["value"]["article_id"] for r in peer}
assert got == want, (len(got), len(want))
assert all(r["key"] == r["value"]["article_id"] for r in peer)
PY
e2e_log "confluent-kafka's AvroDeserializer decoded all $N records"

# So does demarche decode, resolving the ids itself.
"$DM_BINARY_DIR/demarche" decode -b "$DEMARCHE_KAFKA_BOOTSTRAP" -t "$T_ART" \
  --registry "$REG" --registry-auth reg-user:reg-pass >"$WORK/ours.jsonl" ||
  e2e_fail "demarche decode --registry failed"
[ "$(wc -l <"$WORK/ours.jsonl")" -eq "$N" ] || e2e_fail "demarche decode count"
grep -q '"schema_id":' "$WORK/ours.jsonl" || e2e_fail "no schema ids in demarche decode output"

# The subject holds our .avsc text, and an incompatible change is refused.
curl -sf -u reg-user:reg-pass "$REG/subjects/$T_ART-value/versions/latest" |
  /usr/bin/python3 -c 'import json,sys; s=json.load(sys.stdin)["schema"]; sys.exit(0 if s == open(sys.argv[1]).read() else 1)' \
  "$DM_SOURCE_DIR/schemas/AnnotatedArticle.avsc" || e2e_fail "registered text differs from the .avsc"
/usr/bin/python3 - "$DM_SOURCE_DIR/schemas/AnnotatedArticle.avsc" >"$WORK/bad.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s["fields"].append({"name": "required_new", "type": "string"})
print(json.dumps({"schema": json.dumps(s)}))
PY
code=$(curl -s -o /dev/null -w '%{http_code}' -u reg-user:reg-pass \
  -H 'Content-Type: application/vnd.schemaregistry.v1+json' -d @"$WORK/bad.json" \
  "$REG/subjects/$T_ART-value/versions")
[ "$code" = 409 ] || e2e_fail "incompatible schema answered $code, want 409"
kill -TERM "$PID"; wait "$PID" || { tail -40 "$WORK/d.log" >&2; e2e_fail "exit status on SIGTERM"; }
PID=""
echo "e2e: PASS"
