#!/usr/bin/env bash
# The systemd notify protocol and credentials, without systemd as PID 1:
# tests/e2e/systemd_notify.py plays systemd's side (a unix datagram socket as
# NOTIFY_SOCKET, WATCHDOG_USEC=2000000, WATCHDOG_PID = the daemon) while
# demarched runs against the real broker: READY=1 only after the assignment,
# readable STATUS= lines, WATCHDOG=1 every half interval, RELOADING=1 then
# READY=1 on SIGHUP, STOPPING=1 and exit 0 on SIGTERM.
# The configuration takes a value from a systemd credential (${cred:NAME} in
# $CREDENTIALS_DIRECTORY, as LoadCredential= provides it); without the
# directory --check-config must refuse it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_require_broker
BIN="$DM_BINARY_DIR/demarched"
if ! ldd "$BIN" 2>/dev/null | grep -q libsystemd; then
  echo "e2e: SKIP: demarched built without libsystemd (apt-get install libsystemd-dev): no sd_notify"
  exit 77
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

e2e_topics
HTTP_PORT=$(e2e_free_port)
e2e_config "$WORK/d.conf"
# A value whose use is visible (the topic consumed) stands for a secret.
sed -i 's/^input.topic = .*/input.topic = ${cred:input_topic}/' "$WORK/d.conf"
mkdir -m 0700 "$WORK/creds"
printf '%s\n' "$T_IN" >"$WORK/creds/input_topic"

if out=$(env -u CREDENTIALS_DIRECTORY "$BIN" --check-config --config "$WORK/d.conf" 2>&1); then
  e2e_fail "--check-config accepted \${cred:...} without CREDENTIALS_DIRECTORY"
fi
grep -q 'input.topic: ${cred:input_topic}: CREDENTIALS_DIRECTORY is not set' <<<"$out" ||
  e2e_fail "unclear error without CREDENTIALS_DIRECTORY: $out"
export CREDENTIALS_DIRECTORY="$WORK/creds"
"$BIN" --check-config --config "$WORK/d.conf" >/dev/null ||
  e2e_fail "--check-config refused the credential"

# A few articles, so that the STATUS= lines have something to report.
/usr/bin/python3 "$DM_SOURCE_DIR/tests/e2e/make_corpus.py" 20 "$DM_SOURCE_DIR" "$DM_SHARED_DIR" |
  kcat -P -b "$DEMARCHE_KAFKA_BOOTSTRAP" -t "$T_IN"

/usr/bin/python3 "$DM_SOURCE_DIR/tests/e2e/systemd_notify.py" --log "$WORK/d.log" \
  --watchdog-usec 2000000 -- "$BIN" --config "$WORK/d.conf" ||
  { tail -20 "$WORK/d.log" >&2; e2e_fail "notify protocol"; }
grep -q "consuming $T_IN" "$WORK/d.log" || grep -q "running: $T_IN ->" "$WORK/d.log" ||
  e2e_fail "the input topic from the credential was not used"
echo "e2e: PASS"
