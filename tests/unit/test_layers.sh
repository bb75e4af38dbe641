#!/usr/bin/env bash
# The layering rule of docs/ARCHITECTURE.md, checked on the includes: a file
# under daemon/LAYER/ may include headers of its own layer and of the layers
# below it, never of a layer above. A public header (include/demarche/dm_X.h)
# belongs to the layer whose folder holds dm_X.c. Also: include/demarche/
# holds no private (*_int.h) header, and demarched links no CLI code.
set -u
root="${DM_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
cd "$root" || exit 1
order=(util input parse dict coding output cluster runtime cli main)
rank() {
        local i
        for i in "${!order[@]}"; do
                [ "${order[$i]}" = "$1" ] && { echo "$i"; return; }
        done
        echo -1
}
# Layer of each public header, from where its source lives.
declare -A public_layer
for h in include/demarche/*.h; do
        base=$(basename "$h" .h)
        src=$(ls daemon/*/"$base".c 2>/dev/null | head -n 1)
        if [ -n "$src" ]; then
                public_layer[$base]=$(basename "$(dirname "$src")")
        fi
done
fail=0
checked=0
for f in daemon/*/*.c daemon/*/*.h; do
        layer=$(basename "$(dirname "$f")")
        mine=$(rank "$layer")
        if [ "$mine" -lt 0 ]; then
                echo "FAIL: $f: folder $layer is not a layer of ${order[*]}"
                fail=1
                continue
        fi
        while IFS= read -r inc; do
                case "$inc" in
                demarche/*)
                        base=$(basename "$inc" .h)
                        to=${public_layer[$base]:-util}
                        ;;
                */*) to=${inc%%/*} ;;
                *) to=$layer ;;
                esac
                checked=$((checked + 1))
                if [ "$(rank "$to")" -gt "$mine" ]; then
                        echo "FAIL: $f ($layer) includes $inc ($to, a higher layer)"
                        fail=1
                fi
        done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
done
for h in include/demarche/*_int.h; do
        [ -e "$h" ] && { echo "FAIL: private header in the API: $h"; fail=1; }
done
bin="${DM_BINARY_DIR:-build}/demarched"
if [ -x "$bin" ] && command -v nm >/dev/null; then
        cli=$(nm "$bin" | grep -E ' [TtDdBb] dm_(tool|validate)_' | head -n 5)
        if [ -n "$cli" ]; then
                echo "FAIL: demarched links CLI code:"
                echo "$cli"
                fail=1
        fi
fi
if [ "$fail" = 0 ]; then
        echo "ok: $checked includes follow the layers (${order[*]})"
fi
exit $fail
