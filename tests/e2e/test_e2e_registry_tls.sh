#!/usr/bin/env bash
# The Schema Registry over https (the shared Apicurio Registry's https
# listener, `deploy/registry-local.sh tls`): the daemon verifies the
# registry's certificate against schema.registry.ssl.ca.location (and its
# host name), registers and writes the Confluent format; with the wrong CA it
# refuses the registry and consumes nothing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_require_broker
e2e_require_registry
command -v openssl >/dev/null || { echo "e2e: SKIP: openssl not installed"; exit 77; }
if ! TLS=$(e2e_registry_local tls 2>/dev/null); then
  echo "e2e: SKIP: $DEMARCHE_REGISTRY_URL is not deploy/registry-local.sh's (no https listener known)"
  exit 77
fi
read -r REG_TLS REG_CA <<<"$TLS"
N=50
e2e_workdir PID
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$WORK/stranger.key" -out "$WORK/stranger.pem" 2>/dev/null

e2e_topics
e2e_corpus "$N" "$WORK/in.jsonl"
kcat -P -b "$DEMARCHE_KAFKA_BOOTSTRAP" -t "$T_IN" <"$WORK/in.jsonl"

run() { # ca-file -> starts the daemon
  HTTP_PORT=$(e2e_free_port)
  e2e_config "$WORK/d.conf"
  cat >>"$WORK/d.conf" <<CONF
schema.registry.url = $REG_TLS
schema.registry.ssl.ca.location = $1
schema.registry.timeout.ms = 2000
CONF
  "$DM_BINARY_DIR/demarched" --config "$WORK/d.conf" 2>>"$WORK/d.log" &
  PID=$!
}

# Wrong CA: the handshake fails, nothing is consumed.
run "$WORK/stranger.pem"
sleep 4
code=$(curl -s -o "$WORK/ready.txt" -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/readyz?verbose")
[ "$code" = 503 ] || e2e_fail "ready with an untrusted registry certificate"
grep -q '^failed registry:' "$WORK/ready.txt" || e2e_fail "/readyz does not name the registry"
[ "$(e2e_metric demarche_input_messages_total)" = 0 ] || e2e_fail "consumed without schema ids"
kill -TERM "$PID"; wait "$PID" || true; PID=""
code=$(curl -s -o /dev/null -w "%{http_code}" --cacert "$REG_CA" "$REG_TLS/subjects/$T_ART-value/versions")
[ "$code" = 404 ] ||
  e2e_fail "$T_ART-value: HTTP $code, want 404 (registered through an untrusted connection?)"
e2e_log "untrusted certificate refused: $(grep registry: "$WORK/ready.txt")"

# The right CA: registration over TLS, records written.
run "$REG_CA"
e2e_wait_metric 'demarche_output_messages_total{output="articles"}' "$N" 120 ||
  { tail "$WORK/d.log" >&2; e2e_fail "no output over TLS"; }
curl -sf -o /dev/null --cacert "$REG_CA" "$REG_TLS/subjects/$T_ART-value/versions" ||
  e2e_fail "$T_ART-value not registered"
"$DM_BINARY_DIR/demarche" decode -b "$DEMARCHE_KAFKA_BOOTSTRAP" -t "$T_ART" \
  --registry "$REG_TLS" --registry-ca "$REG_CA" >"$WORK/ours.jsonl" ||
  e2e_fail "demarche decode over https failed"
[ "$(wc -l <"$WORK/ours.jsonl")" -eq "$N" ] || e2e_fail "decoded $(wc -l <"$WORK/ours.jsonl") of $N"
kill -TERM "$PID"; wait "$PID" || e2e_fail "exit status on SIGTERM"; PID=""
e2e_log "registered and decoded over https with certificate verification"
echo "e2e: PASS"
