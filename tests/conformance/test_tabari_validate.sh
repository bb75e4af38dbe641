#!/bin/bash
# Runs TABARI's validation suite through `demarche validate` and asserts a
# pass-count floor. The floor only ever goes up as the coder improves: raise
# it when the coder passes more records, never lower it. Individual record
# failures do not fail this test; a drop below the floor does.
FLOOR=438

. "$(dirname "$0")/lib.sh"
project="$shared/conformance/tabari/Validate.project"
dm_conf_require "$project"
dm_conf_validate "$project"
summary=$(printf '%s\n' "$out" | tail -n 1)
echo "$summary"
if ! passed=$(dm_conf_number "$summary" '^([0-9]+) passed, ([0-9]+) failed$'); then
        echo "FAIL: no summary line (exit status $status)"
        printf '%s\n' "$out" | tail -n 20
        exit 1
fi
dm_conf_floor "$passed" "passed"
exit 0
