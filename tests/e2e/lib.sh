# Shared helpers for the end-to-end tests (sourced). They need a real broker:
# DEMARCHE_KAFKA_BOOTSTRAP, as printed by deploy/kafka-local.sh start.

e2e_log() { echo "e2e: $*" >&2; }
e2e_fail() { echo "e2e: FAIL: $*" >&2; exit 1; }

# Sets WORK to a fresh directory and arranges for e2e_cleanup to run on
# exit. The arguments name the variables (scalars or arrays) that hold the
# pids of the processes the test starts; whatever they hold at exit is
# killed with SIGKILL (a process still running then belongs to a failed run
# or is a helper). A test empties a variable once it has waited for the
# process, so that a recycled pid is never killed. Unset ones start empty.
e2e_workdir() { # pid-variable...
  local name
  WORK=$(mktemp -d)
  E2E_PID_VARS=("$@")
  for name in "$@"; do
    [ -n "${!name+set}" ] || printf -v "$name" '%s' ""
  done
  trap e2e_cleanup EXIT
}

# Starts a broker of this script's own on DEMARCHE_KAFKA_PORT
# (deploy/kafka-local.sh), exports DEMARCHE_KAFKA_BOOTSTRAP, and stops the
# broker on exit.
e2e_own_broker() {
  DEMARCHE_KAFKA_BOOTSTRAP=$("$DM_SOURCE_DIR/deploy/kafka-local.sh" start)
  export DEMARCHE_KAFKA_BOOTSTRAP
  E2E_OWN_BROKER=1
  trap e2e_cleanup EXIT
}

e2e_cleanup() {
  local name ref pid
  for name in "${E2E_PID_VARS[@]:-}"; do
    [ -n "$name" ] || continue
    ref="$name[@]"
    for pid in "${!ref:-}"; do
      [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
    done
  done
  [ -n "${WORK:-}" ] && rm -rf "$WORK"
  if [ -n "${E2E_OWN_BROKER:-}" ]; then
    "$DM_SOURCE_DIR/deploy/kafka-local.sh" stop >/dev/null 2>&1 || true
  fi
}

# Writes n articles of the test corpus (JSON lines) to a file.
e2e_corpus() { # n file
  /usr/bin/python3 "$DM_SOURCE_DIR/tests/e2e/make_corpus.py" "$1" "$DM_SOURCE_DIR" \
    "$DM_SHARED_DIR" >"$2"
}

# One field of every JSON line of a file, sorted (duplicates kept).
e2e_ids() { # field file
  /usr/bin/python3 -c 'import json,sys; [print(json.loads(l)[sys.argv[1]]) for l in open(sys.argv[2])]' \
    "$1" "$2" | sort
}

e2e_require_broker() {
  if [ -z "${DEMARCHE_KAFKA_BOOTSTRAP:-}" ]; then
    echo "e2e: SKIP: DEMARCHE_KAFKA_BOOTSTRAP not set (start a broker with deploy/kafka-local.sh start)"
    exit 77
  fi
  if ! kcat -b "$DEMARCHE_KAFKA_BOOTSTRAP" -L -m 5 >/dev/null 2>&1; then
    echo "e2e: SKIP: no broker answers at $DEMARCHE_KAFKA_BOOTSTRAP"
    exit 77
  fi
  if ! /usr/bin/python3 -c 'import avro' 2>/dev/null; then
    echo "e2e: SKIP: /usr/bin/python3 lacks the avro module (apt-get install python3-avro)"
    exit 77
  fi
}

# Topic names unique to this run, so reruns never see old records.
e2e_topics() {
  RUN_ID="e2e$$$(date +%s)"
  T_IN="in.$RUN_ID"; T_ART="art.$RUN_ID"; T_EV="ev.$RUN_ID"; T_DLQ="dlq.$RUN_ID"
  local port="${DEMARCHE_KAFKA_BOOTSTRAP##*:}"
  DEMARCHE_KAFKA_PORT="$port" "$DM_SOURCE_DIR/deploy/kafka-local.sh" create-topics \
    "$T_IN:3" "$T_ART:3" "$T_EV:3" "$T_DLQ:3" >&2
}

# The clustering stage's topics for this run (after e2e_topics): T_REP
# (repartition, $1 partitions), T_CL (the compacted output, 3) and T_CHG
# (the compacted changelog, as many as the repartition topic).
e2e_cluster_topics() {
  local port="${DEMARCHE_KAFKA_BOOTSTRAP##*:}" t
  T_REP="rep.$RUN_ID"; T_CL="cl.$RUN_ID"; T_CHG="chg.$RUN_ID"
  DEMARCHE_KAFKA_PORT="$port" "$DM_SOURCE_DIR/deploy/kafka-local.sh" create-topics \
    "$T_REP:$1" "$T_CL:3" "$T_CHG:$1" >&2
  for t in "$T_CL" "$T_CHG"; do
    DEMARCHE_KAFKA_PORT="$port" "$DM_SOURCE_DIR/deploy/kafka-local.sh" alter-topic "$t" \
      cleanup.policy=compact >&2
  done
}

e2e_free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Writes a daemon config for this run to $1.
e2e_config() {
  cat >"$1" <<CONF
kafka.bootstrap.servers = $DEMARCHE_KAFKA_BOOTSTRAP
kafka.group.id = grp.$RUN_ID
input.topic = $T_IN
output.articles.topic = $T_ART
output.events.topic = $T_EV
output.dlq.topic = $T_DLQ
http.listen = 127.0.0.1:$HTTP_PORT
dictionaries.path = $DM_SOURCE_DIR/dictionaries
workers = 2
# Small, so that SIGTERM interrupts a run that still has input left.
max.inflight = 50
log.level = info
CONF
}

# Creates this run's topics (e2e_topics), picks HTTP_PORT and writes to $1
# the daemon config in delivery.mode = exactly-once with short transactions,
# then has demarched check it. Shared by the exactly-once tests so that they
# run the daemon the same way.
e2e_eos_config() { # config-file
  e2e_topics
  HTTP_PORT=$(e2e_free_port)
  e2e_config "$1"
  cat >>"$1" <<CONF
delivery.mode = exactly-once
transactional.id = dm-$RUN_ID
transaction.interval.ms = 100
kafka.session.timeout.ms = 6000
max.inflight = 100
CONF
  "$DM_BINARY_DIR/demarched" --check-config --config "$1" >/dev/null
}

e2e_metric() { # name -> value (0 when absent or the daemon is not up)
  curl -sf "http://127.0.0.1:$HTTP_PORT/metrics" 2>/dev/null |
    awk -v m="$1" '$1 == m { print $2; found = 1 } END { if (!found) print 0 }'
}

e2e_wait_metric() { # name value timeout_s
  local deadline=$((SECONDS + $3)) v
  while [ $SECONDS -lt $deadline ]; do
    v=$(e2e_metric "$1")
    [ "${v%.*}" -ge "$2" ] 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}

# Reads a whole topic into Avro-decoded JSON lines on stdout.
e2e_read_topic() { # topic schema-file
  kcat -C -b "$DEMARCHE_KAFKA_BOOTSTRAP" -t "$1" -o beginning -e -q \
    -f '%K\t%S\t%t\t%p\t%o\n%k%s\n' |
    /usr/bin/python3 "$DM_SOURCE_DIR/tests/e2e/avro_decode.py" --schema "$2"
}

# The Schema Registry the tests share: DEMARCHE_REGISTRY_URL, as printed by
# deploy/registry-local.sh start (Apicurio Registry). Skips without one.
e2e_require_registry() {
  if [ -z "${DEMARCHE_REGISTRY_URL:-}" ]; then
    echo "e2e: SKIP: DEMARCHE_REGISTRY_URL not set (start a registry with deploy/registry-local.sh start)"
    exit 77
  fi
  if ! curl -sf -m 5 -o /dev/null "$DEMARCHE_REGISTRY_URL/subjects"; then
    echo "e2e: SKIP: no registry answers GET $DEMARCHE_REGISTRY_URL/subjects"
    exit 77
  fi
}

# deploy/registry-local.sh on the registry of DEMARCHE_REGISTRY_URL (its port
# and, when set, DEMARCHE_REGISTRY_DIR), for tests that stop and restart it.
e2e_registry_local() { # command [args]
  local port=${DEMARCHE_REGISTRY_URL#http://127.0.0.1:}
  port=${port%%/*}
  DEMARCHE_REGISTRY_PORT="$port" "$DM_SOURCE_DIR/deploy/registry-local.sh" "$@"
}

# Confluent's Python client with its Avro (de)serializers, the independent
# peer for the Confluent wire format (deploy/install-deps.sh installs it).
e2e_require_confluent() {
  VENV=${DEMARCHE_CACHE_DIR:-$HOME/.cache/demarche}/venv
  if ! "$VENV/bin/python" -c 'import confluent_kafka.schema_registry.avro' 2>/dev/null; then
    echo "e2e: SKIP: $VENV lacks confluent-kafka[avro] (deploy/install-deps.sh installs it)"
    exit 77
  fi
}

# Reads a topic with Confluent's AvroDeserializer through a registry, from
# the offsets in a JSON file ({"partition": offset}; default: the beginning)
# to the topic's end, one JSON object per record; fails below min records.
e2e_confluent_read() { # topic registry-url user:pass|- min [offsets-file]
  "$VENV/bin/python" "$DM_SOURCE_DIR/tests/registry/confluent_consume.py" \
    "$DEMARCHE_KAFKA_BOOTSTRAP" "$@"
}

# The topic's end offsets as JSON, for e2e_confluent_read.
e2e_end_offsets() { # topic
  "$VENV/bin/python" "$DM_SOURCE_DIR/tests/registry/confluent_consume.py" --end-offsets \
    "$DEMARCHE_KAFKA_BOOTSTRAP" "$1"
}
