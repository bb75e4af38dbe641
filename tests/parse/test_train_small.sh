#!/bin/bash
# `demarche train-parser` end to end: a small model (the first 2,000 EWT
# training sentences, 2 epochs, no jackknifing) trains in seconds and
# `demarche parse --eval` on EWT dev shows it learned (UAS above a modest
# floor). Proves the commands work, not the shipped model's quality.
UAS_FLOOR=65.0

shared="${DM_SHARED_DIR:-$(dirname "$0")/../../../shared}"
ud="$shared/corpus/ud/en_ewt"
bin="${DM_BINARY_DIR:-build}/demarche"
if [ ! -r "$ud/en_ewt-ud-train.conllu" ]; then
        echo "skipped: $ud not found (the shared corpus tree is absent)"
        exit 77
fi
model=$(mktemp --suffix=.dmparse)
trap 'rm -f "$model"' EXIT
"$bin" train-parser --train "$ud/en_ewt-ud-train.conllu" --max-sents 2000 --epochs 2 \
        --folds 0 --seed 1 --out "$model" || { echo "FAIL: train-parser failed"; exit 1; }
out=$("$bin" parse --model "$model" --eval "$ud/en_ewt-ud-dev.conllu") ||
        { echo "FAIL: parse --eval failed"; exit 1; }
echo "$out"
uas=$(printf '%s\n' "$out" | sed -n 's/^UAS \([0-9.]*\)%.*/\1/p')
if [ -z "$uas" ] || ! awk -v v="$uas" -v f="$UAS_FLOOR" 'BEGIN { exit !(v >= f) }'; then
        echo "FAIL: UAS '$uas' below the floor of $UAS_FLOOR%"
        exit 1
fi
echo "ok: UAS $uas (floor $UAS_FLOOR)"
