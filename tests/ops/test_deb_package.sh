#!/usr/bin/env bash
# test_deb_package.sh - builds the DEB package with cpack from the current
# build directory (into a scratch directory) and checks it without
# installing it:
#  - control: name, Depends on every runtime library, conffiles, maintainer
#    scripts (executable, sh -n, and run against stub commands to check what
#    they call on install, upgrade, remove and purge);
#  - file list: binaries, unit, sysusers/tmpfiles, conffile, dictionaries,
#    schemas, identical to the sources;
#  - unpacked with dpkg-deb -x into a scratch root: the installed demarched
#    accepts the installed default configuration (--check-config), looks for
#    its dictionaries in /usr/share/demarche, and the installed dictionaries
#    code a sample article; the installed unit passes systemd-analyze verify.
# Env: DM_SOURCE_DIR, DM_BINARY_DIR (set by ctest). Exit 77 (skip) without
# cpack/dpkg-deb, or when the build was configured for a prefix other than
# /usr (the package is only built for /usr: reconfigure with
# -DCMAKE_INSTALL_PREFIX=/usr, the default for new build directories).
set -euo pipefail
SRC=${DM_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${DM_BINARY_DIR:-$SRC/build}
log() { echo "deb-package: $*" >&2; }
fail() { echo "deb-package: FAIL: $*" >&2; exit 1; }

for t in cpack dpkg-deb; do
  command -v $t >/dev/null 2>&1 || { echo "deb-package: SKIP: $t not installed"; exit 77; }
done
[ -f "$BIN/CPackConfig.cmake" ] || fail "$BIN/CPackConfig.cmake missing (configure first)"
prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$BIN/CMakeCache.txt")
if [ "$prefix" != /usr ]; then
  echo "deb-package: SKIP: $BIN is configured with CMAKE_INSTALL_PREFIX=$prefix; the package needs /usr" \
    "(cmake -DCMAKE_INSTALL_PREFIX=/usr $BIN)"
  exit 77
fi

W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

# --- build -----------------------------------------------------------------
cpack -G DEB --config "$BIN/CPackConfig.cmake" -B "$W/out" >"$W/cpack.log" 2>&1 ||
  fail "cpack: $(cat "$W/cpack.log")"
debs=("$W"/out/demarche_*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "expected one demarche_*.deb in $W/out: $(ls "$W/out")"
DEB=${debs[0]}
log "built $(basename "$DEB") ($(stat -c %s "$DEB") bytes)"

# --- control -----------------------------------------------------------------
field() { dpkg-deb -f "$DEB" "$1"; }
[ "$(field Package)" = demarche ] || fail "Package: $(field Package)"
depends=$(field Depends)
for lib in librdkafka1 libavro23 libevent-2.1-7 libevent-pthreads-2.1-7 libjansson4 libgumbo1 libutf8proc2 libsystemd0 libc6; do
  printf '%s\n' "$depends" | tr ',' '\n' | grep -qE "^ *$lib( |$)" || fail "Depends lacks $lib: $depends"
done
mkdir -p "$W/ctl"
dpkg-deb -e "$DEB" "$W/ctl"
[ "$(cat "$W/ctl/conffiles")" = /etc/demarche/demarche.conf ] ||
  fail "conffiles: $(cat "$W/ctl/conffiles")"
for s in postinst prerm postrm; do
  [ -x "$W/ctl/$s" ] || fail "maintainer script $s missing or not executable"
  sh -n "$W/ctl/$s" || fail "$s: syntax"
done

# --- file list -----------------------------------------------------------------
dpkg-deb -c "$DEB" | awk '{ print $NF }' | sed 's#^\./#/#' >"$W/files"
for f in /usr/bin/demarched /usr/bin/demarche /lib/systemd/system/demarche.service \
  /usr/lib/sysusers.d/demarche.conf /usr/lib/tmpfiles.d/demarche.conf /etc/demarche/demarche.conf \
  /usr/share/demarche/dictionaries/countries.actors /usr/share/demarche/dictionaries/cameo.tsv \
  /usr/share/demarche/dictionaries/countries.tsv /usr/share/doc/demarche/README.md; do
  grep -qx "$f" "$W/files" || fail "$f not in the package"
done
for s in "$SRC"/schemas/*.avsc; do
  grep -qx "/usr/share/demarche/schemas/$(basename "$s")" "$W/files" || fail "schema $(basename "$s") not in the package"
done
if grep -vE '^/(usr/(bin|lib/sysusers\.d|lib/tmpfiles\.d|share/demarche|share/doc/demarche)|lib/systemd/system|etc/demarche)(/|$)|^/(usr|lib|etc|usr/lib|usr/share|usr/share/doc|lib/systemd|usr/share/doc)?/?$' \
  "$W/files" >"$W/stray"; then
  fail "files outside the expected directories: $(tr '\n' ' ' <"$W/stray")"
fi

# --- unpacked ------------------------------------------------------------------
R=$W/root
dpkg-deb -x "$DEB" "$R"
cmp "$R/lib/systemd/system/demarche.service" "$SRC/systemd/demarche.service" || fail "unit differs from systemd/"
cmp "$R/usr/lib/sysusers.d/demarche.conf" "$SRC/systemd/demarche.sysusers" || fail "sysusers differs"
cmp "$R/usr/lib/tmpfiles.d/demarche.conf" "$SRC/systemd/demarche.tmpfiles" || fail "tmpfiles differs"
cmp "$R/etc/demarche/demarche.conf" "$SRC/deploy/demarche.conf" || fail "default config differs"

# Only the package's own environment: no DEMARCHE_* override from the caller.
clean_env=(env -i PATH=/usr/bin:/bin)
[ -n "${ASAN_OPTIONS:-}" ] && clean_env+=("ASAN_OPTIONS=$ASAN_OPTIONS")
out=$("${clean_env[@]}" "$R/usr/bin/demarched" --check-config --config "$R/etc/demarche/demarche.conf" 2>&1) ||
  fail "installed demarched rejects the installed configuration:
$out"
printf '%s\n' "$out" | grep -q "configuration OK" || fail "no 'configuration OK' in: $out"
log "demarched --check-config on the installed default configuration: OK"
out=$("${clean_env[@]}" "$R/usr/bin/demarche" check-config "$R/etc/demarche/demarche.conf" 2>&1) ||
  fail "demarche check-config: $out"

# Every shared library the binaries link against directly (DT_NEEDED) must
# come from a declared package.
if command -v ldd >/dev/null 2>&1 && command -v readelf >/dev/null 2>&1 && command -v dpkg >/dev/null 2>&1; then
  for b in demarched demarche; do
    needed=$(readelf -d "$R/usr/bin/$b" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
    ldd "$R/usr/bin/$b" | awk -v n="$needed" 'BEGIN { split(n, a, "\n"); for (i in a) want[a[i]] = 1 }
      $2 == "=>" && ($1 in want) && $3 ~ /^\// { print $3 }'
  done | sort -u | while read -r lib; do
    pkg=$(dpkg -S "$lib" 2>/dev/null || dpkg -S "$(readlink -f "$lib")" 2>/dev/null ||
      dpkg -S "/usr$lib" 2>/dev/null || dpkg -S "${lib#/usr}" 2>/dev/null || true)
    pkg=${pkg%%:*}
    if [ -z "$pkg" ]; then
      log "warning: no Debian package owns $lib (a local build?)"
      continue
    fi
    case "$pkg" in
      libasan* | libubsan* | libgcc-s1 | libstdc++6 | libc6) continue ;; # toolchain, sanitizer builds
    esac
    printf '%s\n' "$depends" | tr ',' '\n' | grep -qE "^ *$pkg( |$)" ||
      fail "$lib (package $pkg) is loaded by the binaries but not in Depends: $depends"
  done
  log "Depends covers every library the binaries load"
fi

# The binaries were built for /usr: their compiled-in dictionary directory is
# the one the package fills.
grep -q -a /usr/share/demarche/dictionaries "$R/usr/bin/demarched" ||
  fail "demarched does not look for dictionaries in /usr/share/demarche/dictionaries"
# The installed dictionaries are complete enough to code the samples.
out=$("${clean_env[@]}" DEMARCHE_DICTIONARIES="$R/usr/share/demarche/dictionaries" \
  DEMARCHE_MODELS="$R/usr/share/demarche/models" \
  "$R/usr/bin/demarche" annotate "$SRC/deploy/samples/articles/001.json" 2>&1) ||
  fail "annotate with the installed dictionaries: $out"
printf '%s\n' "$out" | python3 -c '
import json, sys
r = json.loads(sys.stdin.read())
assert r.get("entities"), "no entities"
' || fail "annotate with the installed dictionaries found nothing: ${out:0:300}"
log "installed dictionaries and parser model code deploy/samples/articles/001.json: OK"

if command -v systemd-analyze >/dev/null 2>&1; then
  mkdir -p "$W/units"
  sed "s#/usr/bin/demarched#$R/usr/bin/demarched#g" "$R/lib/systemd/system/demarche.service" \
    >"$W/units/demarche.service"
  v=$(systemd-analyze verify "$W/units/demarche.service" 2>&1 | grep -F demarche.service || true)
  [ -z "$v" ] || fail "systemd-analyze verify on the installed unit: $v"
  log "installed unit: systemd-analyze verify OK"
fi

# --- maintainer scripts against stubs ------------------------------------------
# PATH holds only stubs that log their arguments, so nothing on this host is
# touched; the scripts' logic (which commands, in which order) is checked.
S=$W/stubs
mkdir -p "$S"
for c in systemd-sysusers systemd-tmpfiles deb-systemd-helper deb-systemd-invoke systemctl \
  rm rmdir getent adduser useradd install chgrp chmod; do
  printf '#!/bin/sh\necho "%s $*" >>"%s/calls"\n' "$c" "$W" >"$S/$c"
  chmod +x "$S/$c"
done
# "was-enabled" succeeds (a first install), like deb-systemd-helper's default.
run_script() { # script args...
  : >"$W/calls"
  PATH=$S /bin/sh "$W/ctl/$1" "${@:2}" >/dev/null || fail "$1 $*: exit $?"
}
expect_calls() { # description pattern...
  local d=$1
  shift
  for p in "$@"; do
    grep -qE "$p" "$W/calls" || fail "$d: no call matching '$p' in: $(tr '\n' ';' <"$W/calls")"
  done
}
run_script postinst configure
expect_calls "postinst configure" '^systemd-sysusers demarche.conf$' '^systemd-tmpfiles --create demarche.conf$' \
  '^deb-systemd-helper unmask demarche.service$' '^deb-systemd-helper enable demarche.service$'
[ "$(grep -n sysusers "$W/calls" | cut -d: -f1)" -lt "$(grep -n tmpfiles "$W/calls" | cut -d: -f1)" ] ||
  fail "postinst runs tmpfiles before sysusers (the user must exist first)"
run_script prerm upgrade 0.1.0-1
grep -q 'stop' "$W/calls" && fail "prerm upgrade stops the service (postinst restarts it instead)"
run_script postrm remove
expect_calls "postrm remove" '^deb-systemd-helper mask demarche.service$'
run_script postrm purge
expect_calls "postrm purge" '^deb-systemd-helper purge demarche.service$' '^rm -rf /var/lib/demarche'
log "maintainer scripts: OK (restart on upgrade needs systemd as PID 1: not exercised here)"
log "OK"
