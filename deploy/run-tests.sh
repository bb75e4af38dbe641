#!/usr/bin/env bash
# run-tests.sh - the project's whole test suite, from a fresh clone:
# installs dependencies, builds (warnings as errors), starts a local Kafka
# broker and a local Schema Registry (one each for the whole run, shared by
# the tests, each test on its own topics and subjects), runs every test with
# ctest (unit, pipeline on the mock cluster, end to end on the real broker
# and registry, conformance when ../shared exists), then the
# whole suite again under AddressSanitizer + UBSan,
# fuzzes every libFuzzer target for a bounded time, and stops both.
# .ci/run calls exactly this.
#
# Environment: DEMARCHE_KAFKA_PORT (default 19092, so that a developer's own
# broker on 9092 is left alone), DEMARCHE_REGISTRY_PORT (default 18081, for
# the same reason), BUILD_DIR (default build), SKIP_ASAN=1,
# SKIP_FUZZ=1, FUZZ_SECONDS (default 20 per target).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

deploy/install-deps.sh

BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDM_WERROR=ON >/dev/null
ninja -C "$BUILD_DIR"

export DEMARCHE_KAFKA_PORT=${DEMARCHE_KAFKA_PORT:-19092}
export DEMARCHE_REGISTRY_PORT=${DEMARCHE_REGISTRY_PORT:-18081}
stop_services() {
  "$ROOT/deploy/kafka-local.sh" stop >/dev/null 2>&1 || true
  "$ROOT/deploy/registry-local.sh" stop >/dev/null 2>&1 || true
}
stop_services
trap stop_services EXIT
DEMARCHE_KAFKA_BOOTSTRAP=$("$ROOT/deploy/kafka-local.sh" start)
export DEMARCHE_KAFKA_BOOTSTRAP
# The registry tests use it (Apicurio Registry, Confluent's API); they skip
# without it.
DEMARCHE_REGISTRY_URL=$("$ROOT/deploy/registry-local.sh" start)
export DEMARCHE_REGISTRY_URL

if [ "${SKIP_ASAN:-0}" != 1 ]; then
  # Sanitizers catch what the normal build hides.
  cmake -S . -B "$BUILD_DIR-asan" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DDM_WERROR=ON \
    -DDM_SANITIZE=ON >/dev/null
  ninja -C "$BUILD_DIR-asan"
  # The whole suite under the sanitizers: unit, pipeline, every broker test,
  # conformance and ops (valgrind is for the normal build).
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$BUILD_DIR-asan" --output-on-failure
fi

if [ "${SKIP_FUZZ:-0}" != 1 ]; then
  # Every libFuzzer target for a bounded time (clang, ASan+UBSan).
  FUZZ_SECONDS=${FUZZ_SECONDS:-20} tests/fuzz/run.sh
fi

ctest --test-dir "$BUILD_DIR" --output-on-failure
