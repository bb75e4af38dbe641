#!/usr/bin/env bash
# run-tests.sh - the project's whole test suite, from a fresh clone:
# installs dependencies, builds (warnings as errors), starts a local Kafka
# broker, runs every test with ctest (unit, pipeline on the mock cluster, end
# to end on the real broker, conformance when ../shared exists), then the
# unit and pipeline tests again under AddressSanitizer + UBSan, and stops the
# broker. .ci/run calls exactly this.
#
# Environment: DEMARCHE_KAFKA_PORT (default 19092, so that a developer's own
# broker on 9092 is left alone), BUILD_DIR (default build), SKIP_ASAN=1.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

deploy/install-deps.sh

BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDM_WERROR=ON >/dev/null
ninja -C "$BUILD_DIR"

export DEMARCHE_KAFKA_PORT=${DEMARCHE_KAFKA_PORT:-19092}
"$ROOT/deploy/kafka-local.sh" stop >/dev/null 2>&1 || true
DEMARCHE_KAFKA_BOOTSTRAP=$("$ROOT/deploy/kafka-local.sh" start)
export DEMARCHE_KAFKA_BOOTSTRAP
trap '"$ROOT/deploy/kafka-local.sh" stop >/dev/null 2>&1 || true' EXIT

if [ "${SKIP_ASAN:-0}" != 1 ]; then
  # Sanitizers catch what the normal build hides; the broker tests are left
  # out here because they exercise the same code paths as the mock pipeline.
  cmake -S . -B "$BUILD_DIR-asan" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DDM_WERROR=ON \
    -DDM_SANITIZE=ON >/dev/null
  ninja -C "$BUILD_DIR-asan"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir "$BUILD_DIR-asan" --output-on-failure -L 'unit|pipeline|conformance'
fi

ctest --test-dir "$BUILD_DIR" --output-on-failure
