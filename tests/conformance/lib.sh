# Sourced by the conformance scripts (test_*_validate.sh): the shared
# reference tree, `demarche validate`, a number read from its output and the
# script's FLOOR on it. The caller sets FLOOR before calling dm_conf_floor.

shared="${DM_SHARED_DIR:-$(dirname "$0")/../../../shared}"
bin="${DM_BINARY_DIR:-build}/demarche"

# dm_conf_require PATH: skips the test (exit 77) unless PATH is readable.
dm_conf_require() {
        if [ ! -r "$1" ]; then
                echo "skipped: $1 not found (the shared reference tree is absent)"
                exit 77
        fi
}

# dm_conf_validate ARGS...: runs `demarche validate ARGS`; sets out (its
# standard output), status (its exit status) and err (its standard error).
dm_conf_validate() {
        local errf
        errf=$(mktemp)
        out=$("$bin" validate "$@" 2>"$errf")
        status=$?
        err=$(cat "$errf")
        rm -f "$errf"
}

# dm_conf_number LINE REGEX: prints REGEX's first group in LINE; returns 1
# when LINE does not match.
dm_conf_number() {
        [[ "$1" =~ $2 ]] || return 1
        echo "${BASH_REMATCH[1]}"
}

# dm_conf_floor COUNT WHAT: below FLOOR, prints "FAIL: COUNT WHAT, below the
# floor of FLOOR" and the first failing records, and fails the test (exit
# 1); else prints "ok: COUNT WHAT (floor FLOOR)".
dm_conf_floor() {
        if [ "$1" -lt "$FLOOR" ]; then
                echo "FAIL: $1 $2, below the floor of $FLOOR"
                printf '%s\n' "$out" | grep -A2 '^FAIL' | head -n 60
                exit 1
        fi
        echo "ok: $1 $2 (floor $FLOOR)"
}
