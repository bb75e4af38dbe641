# local-service.sh — what deploy/kafka-local.sh and deploy/registry-local.sh
# share: logging, the pid file, readiness, stopping and the data directory
# of a service run on loopback for tests, CI and the quickstart. Sourced, not
# run. The caller sets, before using the functions:
#   SERVICE        name in messages ("kafka-local")
#   WHAT           what runs ("broker", "registry")
#   PROC_PATTERN   a pattern its command line matches (a recycled pid is not ours)
#   PID_FILE LOG_FILE DATA_DIR MARKER START_TIMEOUT STOP_TIMEOUT
# and defines answers() (true once the service is usable) and READY_DESC
# (what answers() waits for, for the timeout message).

log() { echo "$SERVICE: $*" >&2; }
die() {
    log "error: $*"
    exit 1
}

need() {
    command -v "$1" >/dev/null 2>&1 || die "'$1' not found${2:+ ($2)}"
}

# Prints the service's pid if ours is alive. The command line is checked too,
# so a stale pid file whose pid was reused by another process is ignored.
running_pid() {
    [[ -f "$PID_FILE" ]] || return 1
    local pid
    pid=$(cat "$PID_FILE" 2>/dev/null) || return 1
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$PROC_PATTERN" || return 1
    echo "$pid"
}

# True if something accepts TCP connections on 127.0.0.1:$1.
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Removes DATA_DIR, but only if it is ours (or empty, or absent).
remove_data_dir() {
    [[ -e "$DATA_DIR" ]] || return 0
    if [[ -f "$MARKER" || -z "$(ls -A "$DATA_DIR" 2>/dev/null)" ]]; then
        rm -rf "$DATA_DIR"
    else
        die "$DATA_DIR exists and was not created by $SERVICE.sh; not deleting it"
    fi
}

show_log_tail() {
    if [[ -f "$LOG_FILE" ]]; then
        log "last lines of $LOG_FILE:"
        tail -n 40 "$LOG_FILE" >&2
    fi
}

# Waits until answers() is true while process $1 lives; exits on failure
# with the end of the log.
wait_ready() {
    local pid=$1 deadline=$((SECONDS + START_TIMEOUT))
    while ((SECONDS < deadline)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            log "$WHAT process $pid exited during startup"
            show_log_tail
            exit 1
        fi
        answers && return 0
        sleep 0.3
    done
    log "$WHAT did not answer $READY_DESC within ${START_TIMEOUT}s"
    show_log_tail
    exit 1
}

# Stops process $1: TERM, then KILL after STOP_TIMEOUT seconds; removes the
# pid file.
terminate() {
    local pid=$1
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + STOP_TIMEOUT))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
        sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "still alive after ${STOP_TIMEOUT}s, sending KILL"
        kill -KILL "$pid" 2>/dev/null || true
        while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    fi
    rm -f "$PID_FILE"
}
