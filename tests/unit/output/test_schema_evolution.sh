#!/usr/bin/env bash
# Every schema in schemas/ must be BACKWARD compatible with the newest
# released version in schemas/history/ (readers on the new schema read old
# records), and the checker itself must reject an incompatible change.
set -euo pipefail
cd "$DM_SOURCE_DIR"
latest=$(ls -d schemas/history/*/ | sort -V | tail -1)
for s in schemas/*.avsc; do
  old="$latest$(basename "$s")"
  [ -f "$old" ] || { echo "new schema $s (no released version yet)"; continue; }
  python3 tools/avro_compat.py "$s" "$old"
done
# A required field added without a default must be refused.
tmp=$(mktemp)
python3 - "$tmp" <<'PY'
import json, sys
s = json.load(open("schemas/DiplomaticEvent.avsc"))
s["fields"].append({"name": "required_without_default", "type": "string", "doc": "x"})
json.dump(s, open(sys.argv[1], "w"))
PY
if python3 tools/avro_compat.py "$tmp" schemas/DiplomaticEvent.avsc; then
  echo "FAIL: the checker accepted an incompatible schema"; rm -f "$tmp"; exit 1
fi
rm -f "$tmp"
echo "schemas are backward compatible with $latest"
