#!/usr/bin/env bash
# registry-local.sh — a local Schema Registry on loopback (Apicurio Registry,
# Apache-2.0, which serves Confluent's REST API), for the tests, CI and the
# quickstart.
#
#   deploy/registry-local.sh start               # prints the registry URL
#   deploy/registry-local.sh status              # exit 0 + URL if up, else 1
#   deploy/registry-local.sh stop [--keep]       # kill it; delete its storage
#                                                # unless --keep
#   deploy/registry-local.sh restart [--empty]   # stop and start again on the
#                                                # same storage (or an empty one)
#   deploy/registry-local.sh tls                 # prints "HTTPS-URL CA-FILE"
#
# Typical use:  DEMARCHE_REGISTRY_URL=$(deploy/registry-local.sh start)
# Only the URL (http://127.0.0.1:PORT/apis/ccompat/v7, Confluent's API) goes
# to stdout; every progress/error message goes to stderr.
#
# Environment:
#   DEMARCHE_CACHE_DIR                 download cache root (default ~/.cache/demarche,
#                                      shared with kafka-local.sh)
#   DEMARCHE_REGISTRY_PORT             HTTP port        (default 8081)
#   DEMARCHE_REGISTRY_TLS_PORT         HTTPS port       (default port+1)
#   DEMARCHE_REGISTRY_DIR              storage/log/pid  (default ${TMPDIR:-/tmp}/demarche-registry-PORT)
#   DEMARCHE_REGISTRY_START_TIMEOUT    seconds to wait for it (default 90)
#   DEMARCHE_REGISTRY_DOWN_SECS        restart: seconds to stay down (default 0)
#   DEMARCHE_REGISTRY_JAVA_OPTS        extra JVM options
#
# The registry runs from Maven Central's io.apicurio:apicurio-registry-app
# "all" tarball, fetched once into the cache (Maven is needed only then).
# Its storage is Apicurio's SQL storage on a file-backed H2 database in
# DEMARCHE_REGISTRY_DIR (Apicurio's default is an in-memory database, which
# a restart empties): schemas and ids survive `restart` and `stop --keep`.
# `start` reuses storage left by `stop --keep`; `stop` deletes it.
# It also serves https on DEMARCHE_REGISTRY_TLS_PORT with a self-signed
# certificate for localhost and 127.0.0.1 made at the first start (`tls`
# prints the URL and the certificate, the CA file a client must trust).
#
# Differences from Confluent's registry worth knowing: Apicurio's default
# compatibility is NONE, so `start` sets the global level to BACKWARD
# (Confluent's default); a POST without a JSON Content-Type is refused with
# 415; a compatibility check against a missing subject answers true.
#
# Requires: java (17), curl, openssl; mvn only for the very first start on a
# machine.
set -euo pipefail

APICURIO_VERSION=3.0.9
ARTIFACT="io.apicurio:apicurio-registry-app:$APICURIO_VERSION:tar.gz:all"
CACHE_ROOT="${DEMARCHE_CACHE_DIR:-$HOME/.cache/demarche}"
APP_HOME="$CACHE_ROOT/apicurio-registry-$APICURIO_VERSION"
RUNNER="$APP_HOME/apicurio-registry-app-$APICURIO_VERSION-runner.jar"
M2_REPO="$CACHE_ROOT/m2" # private Maven repository, as kafka-local.sh
TARBALL="$M2_REPO/io/apicurio/apicurio-registry-app/$APICURIO_VERSION/apicurio-registry-app-$APICURIO_VERSION-all.tar.gz"

PORT="${DEMARCHE_REGISTRY_PORT:-8081}"
DATA_DIR="${DEMARCHE_REGISTRY_DIR:-${TMPDIR:-/tmp}/demarche-registry-$PORT}"
BASE="http://127.0.0.1:$PORT"
URL="$BASE/apis/ccompat/v7"
TLS_PORT="${DEMARCHE_REGISTRY_TLS_PORT:-$((PORT + 1))}"
TLS_URL="https://localhost:$TLS_PORT/apis/ccompat/v7"
START_TIMEOUT="${DEMARCHE_REGISTRY_START_TIMEOUT:-90}"
STOP_TIMEOUT=30

PID_FILE="$DATA_DIR/registry.pid"
LOG_FILE="$DATA_DIR/registry.log"
DB="$DATA_DIR/db/registry" # H2 adds .mv.db
TLS_CERT="$DATA_DIR/tls/registry.pem"
TLS_KEY="$DATA_DIR/tls/registry.key"
# `stop` only deletes a directory that has this marker.
MARKER="$DATA_DIR/.demarche-registry"

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

SERVICE=registry-local
WHAT=registry
PROC_PATTERN='apicurio-registry-app'
READY_DESC="GET $URL/subjects"
# shellcheck source=deploy/local-service.sh
. "$(dirname "${BASH_SOURCE[0]}")/local-service.sh"

# --------------------------------------------------------------------------
# Download (once)
# --------------------------------------------------------------------------

app_ok() { [[ -f "$APP_HOME/.complete" && -f "$RUNNER" ]]; }

fetch_app() {
    app_ok && return 0
    mkdir -p "$APP_HOME"
    # Parallel starts (different ports) must not unpack into the same place.
    exec 9>"$APP_HOME/.fetch.lock"
    flock 9
    if ! app_ok; then
        if [[ ! -s "$TARBALL" ]]; then
            need mvn "needed once to download Apicurio Registry from Maven Central"
            log "fetching $ARTIFACT with Maven (first run; about 109 MB)..."
            # Plugin 2.8: newer maven-dependency-plugin versions fail on the
            # artifact's parent POM, which Central does not serve.  The sed
            # drops the colour codes Debian's Maven prints even with -q -B.
            if ! mvn -q -B -Dmaven.repo.local="$M2_REPO" \
                org.apache.maven.plugins:maven-dependency-plugin:2.8:get \
                -Dartifact="$ARTIFACT" -Dtransitive=false 2>&1 |
                sed 's/\x1b\[[0-9;]*m//g' >&2; then
                die "Maven could not fetch $ARTIFACT"
            fi
            [[ -s "$TARBALL" ]] || die "Maven succeeded but $TARBALL is missing"
        fi
        local tmp="$APP_HOME/unpack.$$"
        rm -rf "$tmp"
        mkdir -p "$tmp"
        if ! tar --no-same-owner -xzf "$TARBALL" -C "$tmp"; then
            rm -rf "$tmp"
            die "cannot unpack $TARBALL"
        fi
        [[ -f "$tmp/${RUNNER##*/}" ]] || { rm -rf "$tmp"; die "no ${RUNNER##*/} in $TARBALL"; }
        # Move the complete tree in, then mark it: a crash mid-way leaves no
        # .complete, so the next start unpacks again.
        rm -rf "$APP_HOME/lib" "$APP_HOME/meta" "$RUNNER"
        mv "$tmp"/* "$APP_HOME"/
        rmdir "$tmp"
        touch "$APP_HOME/.complete"
    fi
    exec 9>&-
}

# --------------------------------------------------------------------------
# Process helpers (the shared ones are in local-service.sh)
# --------------------------------------------------------------------------

answers() { curl -sf -m 5 -o /dev/null "$URL/subjects"; }

# Confluent's default compatibility, which Apicurio's (NONE) is not.
set_backward() {
    curl -sf -m 10 -o /dev/null -X PUT -H 'Content-Type: application/vnd.schemaregistry.v1+json' \
        -d '{"compatibility":"BACKWARD"}' "$URL/config" ||
        die "could not set the global compatibility to BACKWARD"
}

# The https listener's certificate, made once per DATA_DIR.
make_cert() {
    [[ -s "$TLS_CERT" && -s "$TLS_KEY" ]] && return 0
    mkdir -p "$DATA_DIR/tls"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
        -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
        -keyout "$TLS_KEY" -out "$TLS_CERT" 2>>"$LOG_FILE" ||
        die "openssl could not make the registry's certificate"
}

# Starts the JVM on the storage in DATA_DIR and waits until it answers.
launch() {
    local pid i
    mkdir -p "$DATA_DIR/db"
    touch "$MARKER"
    make_cert
    log "starting Apicurio Registry $APICURIO_VERSION on $BASE and https port $TLS_PORT (storage $DB)"
    # As kafka-local.sh: own session (setsid), the pid file holds the JVM's
    # pid, and every fd goes to the log so that `$(... start)` returns.
    # The pool sizes: the defaults (20 connections at start) slow the start
    # and serve no purpose for one embedded database.
    # SC2016: $$ is the inner shell's; SC2086: JAVA_OPTS is a word list.
    # shellcheck disable=SC2016,SC2086
    setsid bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" \
        "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
        -Djava.awt.headless=true \
        -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$PORT" \
        -Dquarkus.http.ssl-port="$TLS_PORT" \
        -Dquarkus.http.ssl.certificate.files="$TLS_CERT" \
        -Dquarkus.http.ssl.certificate.key-files="$TLS_KEY" \
        -Dapicurio.storage.kind=sql -Dapicurio.storage.sql.kind=h2 \
        -Dapicurio.datasource.url="jdbc:h2:file:$DB" \
        -Dapicurio.datasource.jdbc.initial-size=2 -Dapicurio.datasource.jdbc.min-size=2 \
        -Dapicurio.datasource.jdbc.max-size=20 \
        ${DEMARCHE_REGISTRY_JAVA_OPTS:-} \
        -jar "$RUNNER" </dev/null >>"$LOG_FILE" 2>&1 &
    for ((i = 0; i < 50; i++)); do
        [[ -s "$PID_FILE" ]] && break
        sleep 0.1
    done
    pid=$(cat "$PID_FILE" 2>/dev/null) || die "registry did not start (no pid file)"
    wait_ready "$pid"
    set_backward
    log "ready (pid $pid, log $LOG_FILE)"
}

# TERM (Quarkus shuts down cleanly, H2 closes its file), KILL after a while.
# --------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------

cmd_start() {
    need "$JAVA" "install a Java 17 runtime"
    need curl "apt-get install curl"
    need openssl "apt-get install openssl"
    local pid p
    if pid=$(running_pid); then
        log "already running (pid $pid)"
        wait_ready "$pid"
        echo "$URL"
        return 0
    fi
    for p in "$PORT" "$TLS_PORT"; do
        ! port_busy "$p" || die "port $p is already in use by another process"
    done
    fetch_app
    # Storage kept by `stop --keep` is reused; anything else that is not ours
    # makes remove_data_dir refuse.
    [[ -f "$MARKER" ]] || remove_data_dir
    launch
    echo "$URL"
}

cmd_stop() {
    local pid keep=""
    case "${1:-}" in
    --keep) keep=1 ;;
    "") ;;
    *) die "usage: $0 stop [--keep]" ;;
    esac
    if pid=$(running_pid); then
        log "stopping registry (pid $pid)${keep:+, keeping its storage}"
        terminate "$pid"
    else
        log "not running"
    fi
    [[ -n "$keep" ]] || remove_data_dir
}

# Stops the registry and starts it again after DEMARCHE_REGISTRY_DOWN_SECS,
# on the same storage, or (--empty) on a new, empty one: for tests of clients
# riding out a registry outage, or a registry that lost its data.
cmd_restart() {
    local pid
    [[ "${1:-}" == "" || "${1:-}" == "--empty" ]] || die "usage: $0 restart [--empty]"
    pid=$(running_pid) || die "not running"
    log "stopping registry (pid $pid)"
    terminate "$pid"
    if [[ "${1:-}" == "--empty" ]]; then
        log "deleting its storage"
        rm -rf "$DATA_DIR/db"
    fi
    sleep "${DEMARCHE_REGISTRY_DOWN_SECS:-0}"
    launch
    echo "$URL"
}

cmd_status() {
    local pid
    if pid=$(running_pid) && answers; then
        echo "$URL"
        return 0
    fi
    if [[ -n "${pid:-}" ]]; then
        log "process $pid is alive but GET $URL/subjects does not answer"
    else
        log "not running"
    fi
    return 1
}

cmd_tls() {
    cmd_status >/dev/null || exit 1
    echo "$TLS_URL $TLS_CERT"
}

case "${1:-}" in
start) cmd_start ;;
tls) cmd_tls ;;
stop)
    shift
    cmd_stop "$@"
    ;;
status) cmd_status ;;
restart)
    shift
    cmd_restart "$@"
    ;;
*)
    echo "usage: $0 start|status|stop [--keep]|restart [--empty]|tls" >&2
    exit 2
    ;;
esac
