#!/usr/bin/env bash
# What a real registry cannot be made to do, on the small test registry
# (tests/registry/fake_registry.py --faults): the daemon's registrations meet
# a 503, two 200 answers without an integer id (a JSON one and an HTML page)
# and two answers slower than schema.registry.timeout.ms. Each failure is
# counted under demarche_errors_total{stage="registry"} by its type
# (http_status, bad_response, timed_out), retried, and once every schema is
# registered all articles come out, decoded by Confluent's deserializer
# through the registry (with basic auth): nothing lost, no record written
# with an id the registry did not give.
# The counts are exact, so the timeout (5 s) is far above a normal answer's
# time even on a loaded machine, and the slow answers (8 s) far above it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_require_broker
e2e_require_confluent
N=100
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
schema.registry.timeout.ms = 5000
CONF
e2e_corpus "$N" "$WORK/in.jsonl"
# Failures show what the registry served and what the daemon made of it.
fail() {
  echo "--- registry:" >&2; cat "$WORK/reg.out" >&2
  echo "--- daemon (registry lines):" >&2; grep -i registry "$WORK/d.log" >&2 || true
  e2e_fail "$@"
}
kcat -P -b "$DEMARCHE_KAFKA_BOOTSTRAP" -t "$T_IN" <"$WORK/in.jsonl"

/usr/bin/python3 "$DM_SOURCE_DIR/tests/registry/fake_registry.py" --port "$REG_PORT" \
  --user reg-user:reg-pass --faults 503,badid,html,slow,slow --slow 8 >"$WORK/reg.out" &
RPID=$!
for _ in $(seq 1 50); do grep -q '^ready' "$WORK/reg.out" && break; sleep 0.1; done
grep -q '^ready' "$WORK/reg.out" || e2e_fail "the test registry did not start"

"$DM_BINARY_DIR/demarched" --config "$WORK/d.conf" 2>"$WORK/d.log" &
PID=$!
e2e_wait_metric 'demarche_output_messages_total{output="articles"}' "$N" 120 ||
  { tail -20 "$WORK/d.log" >&2; fail "no output after the registry's faults"; }
grep -q 'all schemas registered' "$WORK/d.log" || fail "no registration in the log"
[ "$(grep -c '^fault' "$WORK/reg.out")" -eq 5 ] ||
  fail "the registry served $(grep -c '^fault' "$WORK/reg.out") of its 5 faults"

err() { e2e_metric "demarche_errors_total{stage=\"registry\",type=\"$1\"}"; }
[ "$(err http_status)" -eq 1 ] || fail "registry/http_status = $(err http_status), want 1 (the 503)"
[ "$(err bad_response)" -eq 2 ] || fail "registry/bad_response = $(err bad_response), want 2"
[ "$(err timed_out)" -eq 2 ] || fail "registry/timed_out = $(err timed_out), want 2"
[ "$(err connect)" -eq 0 ] || fail "registry/connect = $(err connect), want 0"
grep -q 'no answer from the schema registry within 5 s' "$WORK/d.log" ||
  fail "no timeout in the log"
grep -q 'HTTP 200: <html>' "$WORK/d.log" || fail "the HTML answer is not in the log"
[ "$(e2e_metric demarche_input_messages_total)" -eq "$N" ] ||
  fail "consumed $(e2e_metric demarche_input_messages_total) of $N"
e2e_log "registry faults counted: http_status 1, bad_response 2, timed_out 2"

kill -TERM "$PID"; wait "$PID" || { tail -40 "$WORK/d.log" >&2; fail "exit status on SIGTERM"; }
PID=""

# Nothing lost: Confluent's deserializer decodes every article.
e2e_confluent_read "$T_ART" "$REG" reg-user:reg-pass "$N" >"$WORK/peer.jsonl"
/usr/bin/python3 - "$WORK/peer.jsonl" "$WORK/in.jsonl" <<'PY' || fail "Confluent's decoding differs from the input"
import json, sys
peer = [json.loads(l) for l in open(sys.argv[1])]
want = {json.loads(l)["id"] for l in open(sys.argv[2])}
got = {r["value"]["article_id"] for r in peer}
assert got == want, ("missing", sorted(want - got)[:5], "unexpected", sorted(got - want)[:5])
assert all(r["key"] == r["value"]["article_id"] for r in peer)
PY
e2e_log "Confluent's AvroDeserializer decoded all $N articles through the registry"

# demarche decode resolves the ids too, with the registry's credentials.
"$DM_BINARY_DIR/demarche" decode -b "$DEMARCHE_KAFKA_BOOTSTRAP" -t "$T_ART" --registry "$REG" \
  --registry-auth reg-user:reg-pass >"$WORK/ours.jsonl" || fail "demarche decode --registry failed"
[ "$(wc -l <"$WORK/ours.jsonl")" -eq "$N" ] || fail "demarche decode: $(wc -l <"$WORK/ours.jsonl") of $N"
if "$DM_BINARY_DIR/demarche" decode -b "$DEMARCHE_KAFKA_BOOTSTRAP" -t "$T_ART" --registry "$REG" \
  >/dev/null 2>"$WORK/noauth.err"; then
  fail "demarche decode succeeded without the registry's credentials"
fi
grep -q 'HTTP 401' "$WORK/noauth.err" || fail "no 401 without credentials: $(head -2 "$WORK/noauth.err")"
echo "e2e: PASS"
