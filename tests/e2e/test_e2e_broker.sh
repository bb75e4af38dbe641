#!/usr/bin/env bash
# End to end on a real Kafka broker: 1,000 articles in, 1,000 AnnotatedArticle
# records out, every id present, decoded by an independent Avro decoder
# (python3-avro) from the .avsc files; SIGTERM mid-run and a restart lose
# nothing; an article produced by hand comes out annotated promptly.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_require_broker
N=${E2E_ARTICLES:-1000}
e2e_workdir DAEMON_PID
BIN="$DM_BINARY_DIR/demarched"
SCHEMAS="$DM_SOURCE_DIR/schemas"

e2e_topics
HTTP_PORT=$(e2e_free_port)
e2e_config "$WORK/demarche.conf"
"$BIN" --check-config --config "$WORK/demarche.conf" >/dev/null

e2e_corpus "$N" "$WORK/in.jsonl"
e2e_ids id "$WORK/in.jsonl" >"$WORK/ids.expected"
[ "$(sort -u "$WORK/ids.expected" | wc -l)" -eq "$N" ] || e2e_fail "corpus ids are not unique"
kcat -P -b "$DEMARCHE_KAFKA_BOOTSTRAP" -t "$T_IN" -z lz4 <"$WORK/in.jsonl"
e2e_log "produced $N articles to $T_IN"

start_daemon() {
  "$BIN" --config "$WORK/demarche.conf" 2>>"$WORK/daemon.log" &
  DAEMON_PID=$!
}

# First run: stop it with SIGTERM part-way through.
start_daemon
e2e_wait_metric 'demarche_output_messages_total{output="articles"}' $((N / 4)) 120 ||
  { tail -20 "$WORK/daemon.log" >&2; e2e_fail "no progress within 120 s"; }
before=$(e2e_metric 'demarche_output_messages_total{output="articles"}')
kill -TERM "$DAEMON_PID"
rc=0; wait "$DAEMON_PID" || rc=$?
DAEMON_PID=""
[ "$rc" -eq 0 ] || { tail -20 "$WORK/daemon.log" >&2; e2e_fail "SIGTERM exit status $rc, want 0"; }
grep -q 'drained: everything delivered and committed' "$WORK/daemon.log" ||
  e2e_fail "no clean drain in the log"
e2e_log "first run stopped cleanly with SIGTERM after $before articles delivered"

# Second run: finishes the rest, reloading its dictionaries twice on the way
# (SIGHUP under load: nothing may be lost or coded twice).
start_daemon
e2e_wait_metric 'demarche_output_messages_total{output="articles"}' 20 120 ||
  e2e_fail "second run makes no progress"
for r in 1 2; do
  kill -HUP "$DAEMON_PID"
  e2e_wait_metric 'demarche_dictionary_reloads_total{result="success"}' "$r" 30 ||
    { tail -5 "$WORK/daemon.log" >&2; e2e_fail "SIGHUP did not reload the dictionaries"; }
done
reloaded_at=$(e2e_metric 'demarche_output_messages_total{output="articles"}')
e2e_log "two dictionary reloads under load (at $reloaded_at articles of this run)"
deadline=$((SECONDS + 240))
while :; do
  e2e_read_topic "$T_ART" "$SCHEMAS/AnnotatedArticle.avsc" >"$WORK/out.jsonl" 2>"$WORK/decode.err" ||
    { cat "$WORK/decode.err" >&2; e2e_fail "Avro decoding failed"; }
  e2e_ids article_id "$WORK/out.jsonl" | uniq >"$WORK/ids.got"
  missing=$(comm -23 "$WORK/ids.expected" "$WORK/ids.got" | wc -l)
  [ "$missing" -eq 0 ] && break
  [ $SECONDS -lt $deadline ] || { tail -20 "$WORK/daemon.log" >&2; e2e_fail "$missing ids missing"; }
  sleep 2
done
total=$(wc -l <"$WORK/out.jsonl")
e2e_log "all $N ids present in $total AnnotatedArticle records ($((total - N)) duplicates after SIGTERM/restart)"
extra=$(comm -13 "$WORK/ids.expected" "$WORK/ids.got" | wc -l)
[ "$extra" -eq 0 ] || e2e_fail "$extra unexpected ids in the output"
# A clean SIGTERM drain commits everything it delivered, and reloads switch
# between articles: no article may have been coded twice.
[ "$total" -eq "$N" ] || e2e_fail "$((total - N)) articles coded twice"

# Records carry what the schema promises: entities with codes, and the key.
/usr/bin/python3 - "$WORK/out.jsonl" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
with_countries = sum(1 for r in recs if any(e["type"] == "COUNTRY" for e in r["entities"]))
bad_keys = [r["article_id"] for r in recs if r["_key"] != r["article_id"]]
assert not bad_keys, "records keyed by something other than article_id: %s" % bad_keys[:3]
assert with_countries > len(recs) // 10, "too few articles with a country: %d" % with_countries
for r in recs:
    for e in r["entities"]:
        assert 0 <= e["start"] < e["end"] <= len(r["text"].encode()), e
print("e2e: %d records, %d with countries" % (len(recs), with_countries), file=sys.stderr)
PY

# fastavro, a second independent decoder, reads the same bytes.
VENV=${DEMARCHE_CACHE_DIR:-$HOME/.cache/demarche}/venv
if "$VENV/bin/python" -c 'import fastavro' 2>/dev/null; then
  kcat -C -b "$DEMARCHE_KAFKA_BOOTSTRAP" -t "$T_ART" -o beginning -e -q -f '%K\t%S\n%k%s\n' |
    "$VENV/bin/python" "$DM_SOURCE_DIR/tests/e2e/fastavro_decode.py" "$SCHEMAS/AnnotatedArticle.avsc" \
    >"$WORK/fastavro.jsonl" || e2e_fail "fastavro cannot decode the records"
  [ "$(wc -l <"$WORK/fastavro.jsonl")" -eq "$total" ] || e2e_fail "fastavro decoded a different count"
  e2e_log "fastavro decodes all $total records and agrees on the fingerprint"
else
  e2e_log "fastavro not installed in $VENV: that cross-check skipped"
fi

# Events decode too (when the dictionaries code any).
e2e_read_topic "$T_EV" "$SCHEMAS/DiplomaticEvent.avsc" >"$WORK/events.jsonl" ||
  e2e_fail "event records do not decode"
e2e_log "$(wc -l <"$WORK/events.jsonl") DiplomaticEvent records decode"

# Operations on the running daemon: health, status, hot reload.
curl -sf "http://127.0.0.1:$HTTP_PORT/livez" >/dev/null || e2e_fail "/livez not 200"
curl -sf "http://127.0.0.1:$HTTP_PORT/readyz?verbose" >"$WORK/ready.txt" ||
  { cat "$WORK/ready.txt" >&2; e2e_fail "/readyz not 200 while consuming"; }
grep -q '^ok partitions: 3 assigned' "$WORK/ready.txt" || e2e_fail "/readyz?verbose lacks checks"
curl -sf "http://127.0.0.1:$HTTP_PORT/status" | /usr/bin/python3 -c '
import json, sys
s = json.load(sys.stdin)
assert s["ready"] is True and s["assigned_partitions"] == 3, s
assert s["counters"]["output_articles"] >= 1, s' || e2e_fail "/status JSON wrong"
grep -q 'dictionaries reloaded' "$WORK/daemon.log" || e2e_fail "no reload line in the log"
grep -q 'log.level info, log.format logfmt (other settings' "$WORK/daemon.log" ||
  e2e_fail "SIGHUP did not re-read the live settings"
curl -sf "http://127.0.0.1:$HTTP_PORT/status" | grep -q '"last_reload":"[^"]* ok"' ||
  e2e_fail "/status does not show the reload"
e2e_log "health and status endpoints work"

# demarche decode reads the topic itself and agrees with the Python decoder.
"$DM_BINARY_DIR/demarche" decode -b "$DEMARCHE_KAFKA_BOOTSTRAP" -t "$T_ART" >"$WORK/decoded.jsonl" ||
  e2e_fail "demarche decode failed"
[ "$(wc -l <"$WORK/decoded.jsonl")" -eq "$total" ] ||
  e2e_fail "demarche decode printed $(wc -l <"$WORK/decoded.jsonl") records, want $total"
/usr/bin/python3 - "$WORK/decoded.jsonl" "$WORK/out.jsonl" <<'PY'
import json, sys
ours = {json.loads(l)["value"]["article_id"]: json.loads(l)["value"] for l in open(sys.argv[1])}
theirs = {json.loads(l)["article_id"]: json.loads(l) for l in open(sys.argv[2])}
assert ours.keys() == theirs.keys()
for k, v in theirs.items():
    for f in ("title", "text", "entities", "events", "sentence_count"):
        assert ours[k][f] == v[f], (k, f)
PY
e2e_log "demarche decode agrees with python3-avro on every record"

# One article by hand: annotated promptly.
t0=$(date +%s.%N)
printf '{"id":"by-hand-1","text":"Japan and Russia held talks in Tokyo on Monday."}\n' |
  kcat -P -b "$DEMARCHE_KAFKA_BOOTSTRAP" -t "$T_IN"
got=""
for _ in $(seq 1 100); do
  if e2e_read_topic "$T_ART" "$SCHEMAS/AnnotatedArticle.avsc" 2>/dev/null | grep -q '"by-hand-1"'; then
    got=1; break
  fi
  sleep 0.05
done
t1=$(date +%s.%N)
[ -n "$got" ] || e2e_fail "hand-produced article not annotated"
e2e_log "hand-produced article annotated and readable after $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s"

kill -TERM "$DAEMON_PID"; wait "$DAEMON_PID"; DAEMON_PID=""
echo "e2e: PASS"
