#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan) and runs each for a bounded
# time: FUZZ_SECONDS per target (default 30), at most FUZZ_TIMEOUT seconds per
# input (default 5, so a slow input is a failure too). Seeds come from the
# project's sample articles and test data. Exits non-zero on any crash,
# sanitizer report, leak or timeout; crashing inputs are left in
# $BUILD_DIR/crashes/.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD_DIR=${FUZZ_BUILD_DIR:-build-fuzz}
SECS=${FUZZ_SECONDS:-30}
TIMEOUT=${FUZZ_TIMEOUT:-5}
CC=clang cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDM_FUZZ=ON \
  -DDM_WERROR=ON >/dev/null
targets=$(cd tests/fuzz && ls fuzz_*.c | sed 's/\.c$//')
# Quiet when it builds, the whole log when it does not (a compiler error
# must not end the run without a word).
if ! ninja -C "$BUILD_DIR" $targets >"$BUILD_DIR/build.log" 2>&1; then
  cat "$BUILD_DIR/build.log" >&2
  exit 1
fi
mkdir -p "$BUILD_DIR/crashes"
# The coder target runs on TABARI's validation dictionaries when ../shared is
# there (they exercise every pattern feature), else on the project's own.
if [ -z "${DM_FUZZ_DICT:-}" ] && [ -f ../shared/conformance/tabari/Validate.project ]; then
  DM_FUZZ_DICT=$(cd .. && pwd)/shared/conformance/tabari/Validate.project
  export DM_FUZZ_DICT
fi
failed=0
for t in $targets; do
  corpus="$BUILD_DIR/corpus/$t"
  mkdir -p "$corpus"
  # Seeds: whole articles for the article-level targets, lines of the
  # dictionaries for the loaders.
  case $t in
    fuzz_dict*) cp dictionaries/*.actors dictionaries/*.verbs "$corpus/" 2>/dev/null || true
      # The first byte picks the loader: 6 is the event nouns', 7 the rules'.
      { printf '\006'; cat dictionaries/events.nouns; } >"$corpus/events.nouns.seed"
      for f in dictionaries/*.rules; do
        { printf '\007'; cat "$f"; } >"$corpus/$(basename "$f").seed"
      done ;;
    # The shipped cluster file's first lines (a whole file is too long).
    fuzz_wclust) head -200 models/en_ewt.clusters >"$corpus/clusters.seed" 2>/dev/null || true ;;
    *) cp deploy/samples/articles/* tests/data/golden/*.txt "$corpus/" 2>/dev/null || true ;;
  esac
  echo "fuzz: $t for ${SECS}s" >&2
  if ! "$BUILD_DIR/tests/$t" -max_total_time="$SECS" -timeout="$TIMEOUT" -rss_limit_mb=2048 \
      -max_len=65536 -artifact_prefix="$BUILD_DIR/crashes/$t-" -print_final_stats=1 \
      "$corpus" 2>"$BUILD_DIR/$t.log"; then
    tail -40 "$BUILD_DIR/$t.log" >&2
    failed=1
  else
    grep -E 'stat::number_of_executed_units' "$BUILD_DIR/$t.log" | sed "s/^/fuzz: $t: /" >&2 || true
  fi
done
[ $failed -eq 0 ] && echo "fuzz: every target ran ${SECS}s without a finding" >&2
exit $failed
