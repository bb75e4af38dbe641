#!/usr/bin/env bash
# run-tests.sh - the project's whole test suite, from a fresh clone:
# installs dependencies, builds (warnings as errors), starts a local Kafka
# broker, runs every test with ctest (unit, pipeline on the mock cluster, end
# to end on the real broker, conformance when ../shared exists), then the
# unit, pipeline and one broker test again under AddressSanitizer + UBSan,
# fuzzes every libFuzzer target for a bounded time, and stops the broker.
# .ci/run calls exactly this.
#
# Environment: DEMARCHE_KAFKA_PORT (default 19092, so that a developer's own
# broker on 9092 is left alone), BUILD_DIR (default build), SKIP_ASAN=1,
# SKIP_FUZZ=1, FUZZ_SECONDS (default 20 per target).
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
    ctest --test-dir "$BUILD_DIR-asan" --output-on-failure -L 'unit|pipeline|conformance|ops'
  # One real-broker run of the sanitized daemon too.
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir "$BUILD_DIR-asan" --output-on-failure -R 'e2e_test_e2e_broker$'
fi

if [ "${SKIP_FUZZ:-0}" != 1 ]; then
  # Every libFuzzer target for a bounded time (clang, ASan+UBSan).
  FUZZ_SECONDS=${FUZZ_SECONDS:-20} tests/fuzz/run.sh
fi

ctest --test-dir "$BUILD_DIR" --output-on-failure
