#!/bin/bash
# Runs TABARI's validation suite through `demarche validate` and asserts a
# pass-count floor. The floor only ever goes up as the coder improves: raise
# it when the coder passes more records, never lower it. Individual record
# failures do not fail this test; a drop below the floor does.
FLOOR=438

shared="${DM_SHARED_DIR:-$(dirname "$0")/../../../shared}"
project="$shared/conformance/tabari/Validate.project"
bin="${DM_BINARY_DIR:-build}/demarche"
if [ ! -r "$project" ]; then
        echo "skipped: $project not found (the shared reference tree is absent)"
        exit 77
fi
out=$("$bin" validate "$project" 2>/dev/null)
status=$?
summary=$(printf '%s\n' "$out" | tail -n 1)
echo "$summary"
if ! [[ "$summary" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
        echo "FAIL: no summary line (exit status $status)"
        printf '%s\n' "$out" | tail -n 20
        exit 1
fi
passed=${BASH_REMATCH[1]}
if [ "$passed" -lt "$FLOOR" ]; then
        echo "FAIL: $passed passed, below the floor of $FLOOR"
        printf '%s\n' "$out" | grep -A2 '^FAIL' | head -n 60
        exit 1
fi
echo "ok: $passed passed (floor $FLOOR)"
exit 0
