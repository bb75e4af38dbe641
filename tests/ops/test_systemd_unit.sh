#!/usr/bin/env bash
# test_systemd_unit.sh - the systemd files in systemd/:
#  1. systemd-analyze verify on the unit (a copy whose ExecStart points at the
#     built binary, since /usr/bin/demarched is not installed here); any
#     warning about the unit fails the test, not only errors.
#  2. systemd-analyze security --offline=true: exposure must be <= 2.0.
#  3. systemd-sysusers and systemd-tmpfiles applied to a scratch root.
#  4. Host names still resolve under the unit's sandbox. With systemd as PID 1:
#     systemd-run with the unit's own hardening properties runs getent. Without
#     it (containers, gVisor, CI sandboxes): sandbox_resolve applies the same
#     RestrictAddressFamilies= seccomp rule and resolves like librdkafka does
#     (getaddrinfo, AI_ADDRCONFIG); the rest of the sandbox is not emulated.
# Env: DM_SOURCE_DIR, DM_BINARY_DIR, DM_SANDBOX_RESOLVE (set by ctest);
# DM_TEST_BROKER_HOSTS: extra names that must resolve (e.g. real brokers).
# Exit 77 (skip) when systemd-analyze is missing.
set -euo pipefail
SRC=${DM_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${DM_BINARY_DIR:-$SRC/build}
UNIT=$SRC/systemd/demarche.service
MAX_EXPOSURE=2.0

log() { echo "systemd-unit: $*" >&2; }
fail() { echo "systemd-unit: FAIL: $*" >&2; exit 1; }

if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "systemd-unit: SKIP: systemd-analyze not installed (apt-get install systemd)"
  exit 77
fi
[ -x "$BIN/demarched" ] || fail "$BIN/demarched not built"

SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT

# --- 1. verify -------------------------------------------------------------
# Returns the lines systemd-analyze verify prints about the unit copy in $1.
verify_unit() {
  systemd-analyze verify "$1" 2>&1 | grep -F "$(basename "$1")" || true
}
mkdir -p "$SCRATCH/units"
sed "s#/usr/bin/demarched#$BIN/demarched#g" "$UNIT" >"$SCRATCH/units/demarche.service"
out=$(verify_unit "$SCRATCH/units/demarche.service")
[ -z "$out" ] || fail "systemd-analyze verify:
$out"
# The check above must be able to fail: a misspelt directive is only a
# warning for systemd-analyze (exit 0), so make sure such warnings are seen.
sed 's/^ProtectHome=yes/ProtectHomme=yes/' "$SCRATCH/units/demarche.service" \
  >"$SCRATCH/units/demarche-typo.service"
[ -n "$(verify_unit "$SCRATCH/units/demarche-typo.service")" ] ||
  fail "verify did not report a misspelt directive; the check is blind"
log "verify: OK ($(systemd --version | head -1))"

# --- 2. security exposure --------------------------------------------------
sec=$(systemd-analyze security --offline=true --no-pager "$UNIT" 2>&1) ||
  fail "systemd-analyze security failed:
$sec"
score=$(printf '%s\n' "$sec" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
[ -n "$score" ] || fail "no exposure score in:
$sec"
printf '%s\n' "$sec" | grep '✗' >&2 || true
log "security: exposure $score (limit $MAX_EXPOSURE)"
awk -v s="$score" -v m="$MAX_EXPOSURE" 'BEGIN { exit !(s <= m) }' ||
  fail "exposure $score is above $MAX_EXPOSURE"
# Same verdict through systemd's own threshold (tenths).
systemd-analyze security --offline=true --threshold=20 "$UNIT" >/dev/null 2>&1 ||
  fail "systemd-analyze --threshold=20 disagrees (exposure $score)"

# --- 3. sysusers and tmpfiles ------------------------------------------------
if [ "$(id -u)" -eq 0 ] && command -v systemd-sysusers >/dev/null && command -v systemd-tmpfiles >/dev/null; then
  R=$SCRATCH/root
  mkdir -p "$R/etc/demarche"
  echo "kafka.bootstrap.servers = b:9092" >"$R/etc/demarche/demarche.conf"
  systemd-sysusers --root="$R" "$SRC/systemd/demarche.sysusers"
  grep -q '^demarche:x:[0-9]*:[0-9]*:.*:/var/lib/demarche:' "$R/etc/passwd" ||
    fail "sysusers did not create the demarche user: $(cat "$R/etc/passwd" 2>/dev/null)"
  uid=$(awk -F: '$1 == "demarche" { print $3 }' "$R/etc/passwd")
  [ "$uid" -gt 0 ] && [ "$uid" -lt 1000 ] || fail "demarche uid $uid is not a system uid"
  systemd-tmpfiles --root="$R" --create "$SRC/systemd/demarche.tmpfiles"
  check_mode() { # path mode owner group
    local got
    got=$(stat -c '%a %u %g' "$R$1")
    local want_u want_g
    want_u=$( [ "$3" = root ] && echo 0 || echo "$uid")
    want_g=$( [ "$4" = root ] && echo 0 || awk -F: -v n="$4" '$1 == n { print $3 }' "$R/etc/group")
    [ "$got" = "$2 $want_u $want_g" ] || fail "$1: mode/owner $got, expected $2 $want_u $want_g"
  }
  check_mode /etc/demarche/credentials 700 root root
  check_mode /etc/demarche/demarche.conf 640 root demarche
  check_mode /var/lib/demarche 750 demarche demarche
  log "sysusers/tmpfiles: OK (uid $uid)"
else
  log "sysusers/tmpfiles: skipped (needs root and systemd-sysusers/systemd-tmpfiles)"
fi

# --- 4. DNS under the sandbox ----------------------------------------------
names=(localhost)
h=$(hostname 2>/dev/null || true)
[ -n "$h" ] && getent hosts "$h" >/dev/null 2>&1 && names+=("$h")
if [ -n "${DEMARCHE_KAFKA_BOOTSTRAP:-}" ]; then
  IFS=, read -ra bs <<<"$DEMARCHE_KAFKA_BOOTSTRAP"
  for b in "${bs[@]}"; do b=${b%:*}; b=${b#*://}; names+=("${b#[}"); done
fi
for n in ${DM_TEST_BROKER_HOSTS:-}; do names+=("$n"); done

systemd_manages_host() {
  [ "$(cat /proc/1/comm 2>/dev/null)" = systemd ] || return 1
  command -v systemd-run >/dev/null 2>&1 || return 1
  [ "$(id -u)" -eq 0 ] || return 1 # transient system units need root (or polkit)
  case "$(systemctl is-system-running 2>/dev/null)" in
    running | degraded | starting) return 0 ;;
    *) return 1 ;;
  esac
}
if systemd_manages_host; then
  # The unit's own sandbox, read from the file so the two cannot drift. The
  # demarche user may not exist on a build host: DynamicUser stands in.
  props=(-p DynamicUser=yes)
  while IFS= read -r line; do
    props+=(-p "$line")
  done < <(grep -E '^(Private|Protect|Restrict|NoNewPrivileges|CapabilityBoundingSet|AmbientCapabilities|SecureBits|DevicePolicy|ProcSubset|RemoveIPC|LockPersonality|MemoryDenyWriteExecute|SystemCall|UMask|IPAddress)' "$UNIT")
  for n in "${names[@]}"; do
    out=$(systemd-run --wait --pipe --quiet --collect "${props[@]}" getent ahosts "$n" 2>&1) ||
      fail "under the unit's sandbox, $n does not resolve: $out"
    log "dns (systemd-run, unit sandbox): $n -> $(echo "$out" | awk 'NR==1 { print $1 }')"
  done
else
  log "dns: systemd is not PID 1 here ($(cat /proc/1/comm 2>/dev/null || echo '?')) or this is not root, so systemd-run cannot apply the unit's sandbox;"
  log "dns: checking RestrictAddressFamilies= alone with a seccomp filter (sandbox_resolve)"
  SR=${DM_SANDBOX_RESOLVE:-$BIN/tests/sandbox_resolve}
  [ -x "$SR" ] || fail "$SR not built"
  set +e
  out=$("$SR" "${names[@]}" 2>&1)
  rc=$?
  set -e
  if [ $rc -eq 77 ]; then
    log "dns: SKIPPED: seccomp unavailable: $out"
  elif [ $rc -ne 0 ]; then
    fail "resolution under RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 failed: $out"
  else
    printf '%s\n' "$out" | sed 's/^/systemd-unit: dns (seccomp, AF_NETLINK refused): /' >&2
  fi
fi
log "OK"
