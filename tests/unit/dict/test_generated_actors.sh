#!/bin/bash
# The generated dictionaries (places.actors from places.tsv, leaders.actors
# from leaders.tsv) must be what their generators write today: a row added
# to a .tsv without rerunning the tool fails here, not silently in coding.
set -u
src="${DM_SOURCE_DIR:-$(cd "$(dirname "$0")/../../.." && pwd)}"
dict="$src/dictionaries"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
check() { # TOOL OUTPUT_NAME
        cp -r "$dict" "$tmp/d"
        if ! python3 "$dict/tools/$1" "$tmp/d" "$tmp/d/$2" >/dev/null; then
                echo "FAIL: $1 did not run"
                status=1
        elif ! diff -q "$dict/$2" "$tmp/d/$2" >/dev/null; then
                echo "FAIL: dictionaries/$2 is not what tools/$1 writes; run it and commit"
                diff "$dict/$2" "$tmp/d/$2" | head -n 10
                status=1
        else
                echo "ok: $2"
        fi
        rm -rf "$tmp/d"
}
check make_places.py places.actors
check make_leaders.py leaders.actors
exit $status
