#!/usr/bin/env bash
# kafka-local.sh — a throw-away, single-node Apache Kafka broker on loopback,
# for the tests, CI and the quickstart.
#
#   deploy/kafka-local.sh start                  # prints the bootstrap address
#   deploy/kafka-local.sh status                 # exit 0 + address if up, else 1
#   deploy/kafka-local.sh create-topics a b:6    # name[:partitions], default 3
#   deploy/kafka-local.sh alter-topic a max.message.bytes=256   # topic configs
#   deploy/kafka-local.sh stop                   # kill broker, delete its data
#   deploy/kafka-local.sh restart [--hard]       # stop (or KILL) and start, keeping data
#
# Typical use:  BOOTSTRAP=$(deploy/kafka-local.sh start)
# Only the address goes to stdout; every progress/error message goes to stderr.
#
# Environment:
#   DEMARCHE_CACHE_DIR              jar cache root   (default ~/.cache/demarche)
#   DEMARCHE_KAFKA_PORT             broker port      (default 9092)
#   DEMARCHE_KAFKA_CONTROLLER_PORT  KRaft controller (default port+1)
#   DEMARCHE_KAFKA_DIR              data/log/pid dir (default ${TMPDIR:-/tmp}/demarche-kafka-PORT)
#   DEMARCHE_KAFKA_START_TIMEOUT    seconds to wait for the broker (default 60)
#   DEMARCHE_KAFKA_JAVA_OPTS        extra JVM options for the broker
#
# Kafka is not installed system-wide and its tarball is not reachable from our
# machines, so the broker runs straight from the Maven Central jars that
# deploy/kafka/pom.xml fetches once into the cache.  Later starts reuse the
# jars and never run Maven (offline, ~seconds).
#
# Requires: java (17), kcat (Debian package `kcat`, used as the readiness
# probe), and mvn only for the very first start on a machine.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
POM="$SCRIPT_DIR/kafka/pom.xml"

# The pom is the single place the Kafka version is written down.
KAFKA_VERSION=$(sed -n 's:.*<kafka.version>\([^<]*\)</kafka.version>.*:\1:p' "$POM" | head -n 1)
CACHE_ROOT="${DEMARCHE_CACHE_DIR:-$HOME/.cache/demarche}"
KAFKA_HOME="$CACHE_ROOT/kafka-$KAFKA_VERSION"
LIB_DIR="$KAFKA_HOME/lib"
# A private Maven repository keeps the download self-contained: deleting the
# cache root removes everything, and ~/.m2 is left alone.
M2_REPO="$CACHE_ROOT/m2"

PORT="${DEMARCHE_KAFKA_PORT:-9092}"
CPORT="${DEMARCHE_KAFKA_CONTROLLER_PORT:-$((PORT + 1))}"
DATA_DIR="${DEMARCHE_KAFKA_DIR:-${TMPDIR:-/tmp}/demarche-kafka-$PORT}"
ADDR="127.0.0.1:$PORT"
START_TIMEOUT="${DEMARCHE_KAFKA_START_TIMEOUT:-60}"
STOP_TIMEOUT=30

PID_FILE="$DATA_DIR/kafka.pid"
LOG_FILE="$DATA_DIR/kafka.log"
# Written into DATA_DIR at start; `stop` only deletes a directory that has it,
# so a mistyped DEMARCHE_KAFKA_DIR can never make us rm -rf something else.
MARKER="$DATA_DIR/.demarche-kafka"

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

SERVICE=kafka-local
WHAT=broker
PROC_PATTERN='kafka\.Kafka'
READY_DESC="on $ADDR"
# shellcheck source=deploy/local-service.sh
. "$(dirname "${BASH_SOURCE[0]}")/local-service.sh"

# --------------------------------------------------------------------------
# Jars
# --------------------------------------------------------------------------

# The marker records the pom's checksum, so editing the pom (new version, new
# dependency) triggers a re-fetch while an unchanged pom never touches Maven.
pom_sum() { sha256sum "$POM" | cut -d' ' -f1; }
jars_ok() { [[ -f "$LIB_DIR/.complete" && "$(cat "$LIB_DIR/.complete")" == "$(pom_sum)" ]]; }

fetch_jars() {
    jars_ok && return 0
    need mvn "needed once to download Kafka from Maven Central"
    mkdir -p "$KAFKA_HOME"
    # Brokers on different ports may be started in parallel (e.g. by tests):
    # serialise the download so they don't write the same lib/ at once.
    exec 9>"$KAFKA_HOME/.fetch.lock"
    flock 9
    if ! jars_ok; then
        log "fetching Kafka $KAFKA_VERSION jars with Maven (first run, or pom.xml changed)..."
        local tmp="$KAFKA_HOME/lib.tmp.$$"
        rm -rf "$tmp"
        # stdout -> stderr: our stdout is reserved for the bootstrap address.
        # The sed drops the bare colour-reset codes Debian's Maven 3.8 prints
        # even with -q -B (pipefail keeps Maven's exit status).
        if ! mvn -q -B -f "$POM" -Dmaven.repo.local="$M2_REPO" \
            dependency:copy-dependencies -DincludeScope=runtime \
            -DoutputDirectory="$tmp" 2>&1 | sed 's/\x1b\[[0-9;]*m//g' >&2; then
            rm -rf "$tmp"
            die "Maven could not fetch Kafka $KAFKA_VERSION"
        fi
        pom_sum >"$tmp/.complete"
        # Swap in the complete directory in one go: a crash mid-download
        # leaves only lib.tmp.*, never a half-filled lib/ that looks valid.
        rm -rf "$LIB_DIR"
        mv "$tmp" "$LIB_DIR"
    fi
    exec 9>&- # must not leak into the broker (it would hold the lock forever)
}

# --------------------------------------------------------------------------
# Process helpers (the shared ones are in local-service.sh)
# --------------------------------------------------------------------------

# A broker only answers a metadata request once it has joined the (one-node)
# KRaft quorum and is unfenced, i.e. really usable — a bare TCP check is not
# enough because the listener socket is bound well before that.
answers() { kcat -b "$ADDR" -L -m 2 >/dev/null 2>&1; }

# New random KRaft cluster id: 16 random bytes, URL-safe base64 without
# padding (what Uuid.randomUuid() produces).  Done in bash to save a ~1 s JVM
# start of `kafka-storage random-uuid`.  Kafka refuses ids starting with '-'
# (they look like command-line options), hence the retry.
new_cluster_id() {
    local id
    while :; do
        id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
        [[ "$id" != -* ]] && break
    done
    echo "$id"
}

# --------------------------------------------------------------------------
# Config files (regenerated on every start, the data dir is throw-away)
# --------------------------------------------------------------------------

write_configs() {
    cat >"$DATA_DIR/server.properties" <<EOF
# Generated by deploy/kafka-local.sh — single-node KRaft, combined mode.
process.roles=broker,controller
node.id=1
# Static one-voter quorum: simplest way to bootstrap a combined node on 3.9.
controller.quorum.voters=1@127.0.0.1:$CPORT
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CPORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DATA_DIR/data

# One broker: every internal topic must live with replication factor 1.
num.partitions=3
default.replication.factor=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
# The defaults (50 partitions each) make the first consumer-group join or
# transaction noticeably slower; a test broker needs no such spread.
offsets.topic.num.partitions=1
transaction.state.log.num.partitions=1
# Tests start consumers right away; don't let the group wait 3 s for more.
group.initial.rebalance.delay.ms=0
# Tests must create their topics explicitly (create-topics), so a typo in a
# topic name fails loudly instead of silently creating a new topic.
auto.create.topics.enable=false
EOF

    # Broker: everything to stdout, which start redirects into kafka.log.
    cat >"$DATA_DIR/log4j.properties" <<'EOF'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
EOF

    # Command-line tools (StorageTool, TopicCommand): warnings only, stderr.
    cat >"$DATA_DIR/tools-log4j.properties" <<'EOF'
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
}

# Runs a Kafka command-line tool class.  Short-lived JVM: C1 only and the
# serial GC start noticeably faster than the server defaults.
run_tool() {
    "$JAVA" -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
        -Dlog4j.configuration="file:$DATA_DIR/tools-log4j.properties" \
        -cp "$LIB_DIR/*" "$@"
}

# --------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------

# Waits until the broker answers, or fails with the log tail.
cmd_start() {
    need "$JAVA" "install a Java 17 runtime"
    need kcat "apt-get install kcat"

    local pid
    if pid=$(running_pid); then
        log "already running (pid $pid)"
        wait_ready "$pid" # it may still be starting (concurrent start)
        echo "$ADDR"
        return 0
    fi

    # Our broker is not running, so anything listening there is someone else's.
    local p
    for p in "$PORT" "$CPORT"; do
        ! port_busy "$p" || die "port $p is already in use by another process"
    done

    fetch_jars

    # Leftovers of a crashed run are useless: always start from empty storage.
    remove_data_dir
    mkdir -p "$DATA_DIR/data"
    touch "$MARKER"
    write_configs

    log "formatting KRaft storage in $DATA_DIR/data"
    if ! run_tool kafka.tools.StorageTool format \
        --config "$DATA_DIR/server.properties" \
        --cluster-id "$(new_cluster_id)" >>"$LOG_FILE" 2>&1; then
        log "storage format failed"
        show_log_tail
        exit 1
    fi

    launch_broker
    echo "$ADDR"
}

launch_broker() {
    local pid
    log "starting Kafka $KAFKA_VERSION on $ADDR (controller 127.0.0.1:$CPORT)"
    # - setsid: own session, so a Ctrl-C or a test harness killing our process
    #   group does not take the broker with it; `stop` is the way to end it.
    # - the inner shell writes its own pid and then execs java, so the pid file
    #   holds the JVM's pid.
    # - all fds go to the log or /dev/null: if the broker kept our stdout open,
    #   `$(kafka-local.sh start)` would hang until the broker exits.
    # SC2016: $$ is meant for the inner shell; SC2086: JAVA_OPTS is a word list.
    # shellcheck disable=SC2016,SC2086
    setsid bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" \
        "$JAVA" -Xms256m -Xmx512m \
        -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
        -Djava.awt.headless=true \
        -Dlog4j.configuration="file:$DATA_DIR/log4j.properties" \
        -Dkafka.logs.dir="$DATA_DIR" \
        ${DEMARCHE_KAFKA_JAVA_OPTS:-} \
        -cp "$LIB_DIR/*" kafka.Kafka "$DATA_DIR/server.properties" \
        </dev/null >>"$LOG_FILE" 2>&1 &

    # Wait for the pid file the child writes (it is there within milliseconds).
    local i
    for ((i = 0; i < 50; i++)); do
        [[ -s "$PID_FILE" ]] && break
        sleep 0.1
    done
    pid=$(cat "$PID_FILE" 2>/dev/null) || die "broker did not start (no pid file)"

    wait_ready "$pid"
    log "ready (pid $pid, log $LOG_FILE)"
}


# Stops the JVM (TERM, or KILL with --hard) but keeps its data, waits
# DEMARCHE_KAFKA_DOWN_SECS, and starts it again on the same storage: for tests
# of clients riding out a broker outage.
cmd_restart() {
    local pid hard="${1:-}"
    pid=$(running_pid) || die "not running"
    if [[ "$hard" == "--hard" ]]; then
        log "killing broker (pid $pid) with KILL"
        kill -KILL "$pid" 2>/dev/null || true
    else
        log "stopping broker (pid $pid), keeping its data"
        kill -TERM "$pid" 2>/dev/null || true
    fi
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    rm -f "$PID_FILE"
    sleep "${DEMARCHE_KAFKA_DOWN_SECS:-0}"
    launch_broker
    echo "$ADDR"
}

cmd_stop() {
    local pid
    if pid=$(running_pid); then
        log "stopping broker (pid $pid)"
        # TERM = controlled shutdown, which is quick for a single node.
        terminate "$pid"
    else
        log "not running"
    fi
    remove_data_dir
}

cmd_status() {
    local pid
    if pid=$(running_pid) && answers; then
        echo "$ADDR"
        return 0
    fi
    if [[ -n "${pid:-}" ]]; then
        log "process $pid is alive but the broker does not answer on $ADDR"
    else
        log "not running"
    fi
    return 1
}

# Topic names of the running broker, one per line (fast: no JVM involved).
list_topics() {
    kcat -b "$ADDR" -L -m 5 2>/dev/null | sed -n 's/^ *topic "\(.*\)" with .*/\1/p'
}

cmd_create_topics() {
    (($# > 0)) || die "usage: $0 create-topics TOPIC[:PARTITIONS]..."
    need kcat "apt-get install kcat"
    running_pid >/dev/null || die "broker on $ADDR is not running (run '$0 start' first)"
    jars_ok || die "Kafka jars missing from $LIB_DIR (run '$0 start' first)"

    # Skip topics that already exist without paying a JVM start for them.
    local existing arg name parts created=()
    existing=$(list_topics)
    for arg in "$@"; do
        # Kafka topic names cannot contain ':', so the split is unambiguous.
        name=${arg%%:*}
        parts=3
        [[ "$arg" == *:* ]] && parts=${arg#*:}
        [[ -n "$name" && "$parts" =~ ^[1-9][0-9]*$ ]] || die "bad topic spec '$arg' (want NAME or NAME:PARTITIONS)"
        if grep -qxF -- "$name" <<<"$existing"; then
            log "topic $name already exists"
            continue
        fi
        # One JVM per topic (~1-3 s): TopicCommand creates one topic per call.
        # --if-not-exists keeps it idempotent if another process raced us.
        run_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$ADDR" \
            --create --if-not-exists --topic "$name" \
            --partitions "$parts" --replication-factor 1 >&2 ||
            die "could not create topic $name"
        created+=("$name")
    done

    # The controller acknowledges creation before the broker has loaded the
    # new partitions; wait until they show up in metadata so a producer that
    # runs right after us does not hit UNKNOWN_TOPIC_OR_PARTITION.
    local deadline=$((SECONDS + 15)) missing
    while ((${#created[@]} > 0)); do
        existing=$(list_topics)
        missing=()
        for name in "${created[@]}"; do
            grep -qxF -- "$name" <<<"$existing" || missing+=("$name")
        done
        ((${#missing[@]} == 0)) && break
        ((SECONDS < deadline)) || die "topics not visible in metadata: ${missing[*]}"
        sleep 0.2
    done
}

# Sets topic-level configs (KEY=VALUE...) on an existing topic, e.g. for
# tests that make the broker refuse records.
cmd_alter_topic() {
    (($# >= 2)) || die "usage: $0 alter-topic TOPIC KEY=VALUE..."
    running_pid >/dev/null || die "broker on $ADDR is not running (run '$0 start' first)"
    jars_ok || die "Kafka jars missing from $LIB_DIR (run '$0 start' first)"
    local name=$1 cfg
    shift
    cfg=$(IFS=,; echo "$*")
    run_tool kafka.admin.ConfigCommand --bootstrap-server "$ADDR" --alter \
        --entity-type topics --entity-name "$name" --add-config "$cfg" >&2 ||
        die "could not alter topic $name"
}

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
restart)
    shift
    cmd_restart "$@"
    ;;
create-topics)
    shift
    cmd_create_topics "$@"
    ;;
alter-topic)
    shift
    cmd_alter_topic "$@"
    ;;
*)
    echo "usage: $0 start|stop|status|restart [--hard]|create-topics TOPIC[:PARTITIONS]...|alter-topic TOPIC KEY=VALUE..." >&2
    exit 2
    ;;
esac
