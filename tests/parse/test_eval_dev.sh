#!/bin/bash
# The shipped model on UD English EWT dev (gold tokens): UPOS, UAS and LAS
# must stay above floors set just below the figures in models/README.md, so
# that a regression in the tagger, the parser or the model fails here.
# Raise the floors with the model, never lower them without a reason.
UPOS_FLOOR=94.3
UAS_FLOOR=83.4
LAS_FLOOR=79.7

shared="${DM_SHARED_DIR:-$(dirname "$0")/../../../shared}"
dev="$shared/corpus/ud/en_ewt/en_ewt-ud-dev.conllu"
bin="${DM_BINARY_DIR:-build}/demarche"
if [ ! -r "$dev" ]; then
        echo "skipped: $dev not found (the shared corpus tree is absent)"
        exit 77
fi
out=$("$bin" parse --eval "$dev") || { echo "FAIL: demarche parse --eval failed"; exit 1; }
echo "$out"
check() { # name value floor
        if ! awk -v v="$2" -v f="$3" 'BEGIN { exit !(v >= f) }'; then
                echo "FAIL: $1 $2% below the floor of $3%"
                exit 1
        fi
}
upos=$(printf '%s\n' "$out" | sed -n 's/^UPOS \([0-9.]*\)%.*/\1/p')
uas=$(printf '%s\n' "$out" | sed -n 's/^UAS \([0-9.]*\)%.*/\1/p')
las=$(printf '%s\n' "$out" | sed -n 's/.*LAS \([0-9.]*\)%.*/\1/p')
[ -n "$upos" ] && [ -n "$uas" ] && [ -n "$las" ] || { echo "FAIL: no figures"; exit 1; }
check UPOS "$upos" "$UPOS_FLOOR"
check UAS "$uas" "$UAS_FLOOR"
check LAS "$las" "$LAS_FLOOR"
echo "ok: UPOS $upos UAS $uas LAS $las (floors $UPOS_FLOOR $UAS_FLOOR $LAS_FLOOR)"
