#!/usr/bin/env bash
# quickstart.sh - demarche end to end in one command, on a fresh Debian 12:
# installs dependencies, builds, starts a local Kafka broker, creates the
# topics, starts demarched, feeds the project's sample articles
# (deploy/samples: JSON envelopes, raw text and HTML), prints the annotated
# records decoded from Avro, and stops what it started.
#
#   deploy/quickstart.sh [--registry]
#
# --registry: the same with a real Schema Registry (Apicurio Registry, started
# by deploy/registry-local.sh): the daemon registers its schemas and writes
# the Confluent wire format, and the records are decoded through the registry.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
say() { printf '\n== %s\n' "$*" >&2; }
REGISTRY=""
for arg in "$@"; do
  case "$arg" in
  --registry) REGISTRY=1 ;;
  *) echo "usage: $0 [--registry]" >&2; exit 2 ;;
  esac
done

say "installing dependencies"
deploy/install-deps.sh

say "building"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C build >/dev/null

WORK=$(mktemp -d)
DAEMON_PID=""
STARTED_BROKER=""
STARTED_REGISTRY=""
cleanup() {
  if [ -n "$DAEMON_PID" ]; then kill -TERM "$DAEMON_PID" 2>/dev/null; wait "$DAEMON_PID" 2>/dev/null || true; fi
  [ -n "$STARTED_BROKER" ] && "$ROOT/deploy/kafka-local.sh" stop >/dev/null 2>&1 || true
  # --keep: the registry's storage outlives it, as a real registry's does.
  # Records of earlier runs stay on a reused broker, and a registry started
  # empty would give their schema ids to other schemas.
  [ -n "$STARTED_REGISTRY" ] && "$ROOT/deploy/registry-local.sh" stop --keep >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

say "starting a local Kafka broker"
if BOOTSTRAP=$(deploy/kafka-local.sh status 2>/dev/null); then
  echo "reusing the broker already running at $BOOTSTRAP" >&2
else
  BOOTSTRAP=$(deploy/kafka-local.sh start)
  STARTED_BROKER=1
fi
DEMARCHE_KAFKA_PORT=${BOOTSTRAP##*:} deploy/kafka-local.sh create-topics \
  articles.raw articles.annotated events.coded articles.dlq >/dev/null 2>&1

REGISTRY_URL=""
if [ -n "$REGISTRY" ]; then
  say "starting a local Schema Registry (Apicurio Registry)"
  if REGISTRY_URL=$(deploy/registry-local.sh status 2>/dev/null); then
    echo "reusing the registry already running at $REGISTRY_URL" >&2
  else
    REGISTRY_URL=$(deploy/registry-local.sh start)
    STARTED_REGISTRY=1
  fi
fi

HTTP_PORT=${DEMARCHE_HTTP_PORT:-9464}
cat >"$WORK/demarche.conf" <<CONF
kafka.bootstrap.servers = $BOOTSTRAP
kafka.group.id = demarche-quickstart
http.listen = 127.0.0.1:$HTTP_PORT
dictionaries.path = $ROOT/dictionaries
CONF
[ -z "$REGISTRY_URL" ] || echo "schema.registry.url = $REGISTRY_URL" >>"$WORK/demarche.conf"

# Decodes this run's records of a topic (a reused broker may hold earlier
# runs', in the other framing) to JSON lines: single-object encoding with the
# .avsc file, or the Confluent wire format through the registry.
START_MS=$(date +%s%3N)
decode() { # topic schema-file
  kcat -C -b "$BOOTSTRAP" -t "$1" -o "s@$START_MS" -e -q -f '%K\t%S\n%k%s\n' |
    if [ -n "$REGISTRY_URL" ]; then
      # demarche decode prints {"key",...,"schema_id","value":{record}}.
      build/demarche decode --kcat --registry "$REGISTRY_URL" |
        /usr/bin/python3 -c 'import json,sys; [print(json.dumps(json.loads(l)["value"])) for l in sys.stdin]'
    else
      /usr/bin/python3 tests/e2e/avro_decode.py --schema "$2"
    fi
}

say "starting demarched (log: $WORK/demarched.log)"
# Parse mode (the default) reads the parser model from the source tree.
DEMARCHE_MODELS="$ROOT/models" build/demarched --config "$WORK/demarche.conf" \
  2>"$WORK/demarched.log" &
DAEMON_PID=$!

say "feeding the sample articles"
kcat -P -b "$BOOTSTRAP" -t articles.raw -l deploy/samples/articles.jsonl
# Each raw text or HTML file goes in as one message, as a scraper sends it.
kcat -P -b "$BOOTSTRAP" -t articles.raw deploy/samples/articles/*.txt deploy/samples/articles/*.html
N=$(( $(wc -l <deploy/samples/articles.jsonl) + $(ls deploy/samples/articles/*.txt deploy/samples/articles/*.html | wc -l) ))
echo "$N articles produced to articles.raw" >&2

metric() {
  curl -sf "http://127.0.0.1:$HTTP_PORT/metrics" 2>/dev/null | awk -v m="$1" '$1 == m { print $2 }'
}
for _ in $(seq 1 300); do
  done_n=$(( $(metric 'demarche_output_messages_total{output="articles"}' || echo 0) + $(metric 'demarche_output_messages_total{output="dlq"}' || echo 0) ))
  [ "$done_n" -ge "$N" ] && break
  sleep 0.2
done
[ "${done_n:-0}" -ge "$N" ] || { tail -20 "$WORK/demarched.log" >&2; echo "timed out" >&2; exit 1; }

if [ -n "$REGISTRY_URL" ]; then
  say "annotated records on articles.annotated (Confluent wire format, decoded through $REGISTRY_URL)"
  echo "subjects registered: $(curl -sf "$REGISTRY_URL/subjects")" >&2
else
  say "annotated records on articles.annotated (decoded from Avro with python3-avro)"
fi
decode articles.annotated schemas/AnnotatedArticle.avsc >"$WORK/articles.jsonl"
/usr/bin/python3 - "$WORK/articles.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    title = r["title"] or r["text"].split("\n")[0][:70]
    print("\n%s  %s" % (r["article_id"], title))
    ents = ", ".join("%s %s(%s)" % (e["type"].lower(), e["name"], e["code"]) for e in r["entities"][:8])
    print("  entities: %s" % (ents or "-"))
    for ev in r["events"][:6]:
        print("  event: %s --%s %s--> %s   \"%s\"" % (ev["source"]["code"], ev["cameo_code"],
              ev["plover_category"] or "", ev["target"]["code"], ev["trigger"]))
print("\n(first record in full:)")
print(json.dumps(json.loads(open(sys.argv[1]).readline()), indent=2)[:3000])
PY

EVENTS=$(decode events.coded schemas/DiplomaticEvent.avsc | wc -l)
say "summary"
echo "articles in: $N; annotated: $(metric 'demarche_output_messages_total{output="articles"}'); events published: $EVENTS; dead-lettered: $(metric 'demarche_output_messages_total{output="dlq"}')"
echo "metrics were served at http://127.0.0.1:$HTTP_PORT/metrics; read the topics with kcat -b $BOOTSTRAP -t articles.annotated"
