#!/usr/bin/env bash
# Reruns the fault runs behind docs/RELIABILITY.md and appends their figures
# to its table: the real-broker fault test at full size (20,000 articles,
# kill -9 five times, a member joining and one leaving, a hard broker
# restart). Needs a built tree (BUILD_DIR, default build) and starts its own
# broker on DEMARCHE_KAFKA_PORT (default 19192).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BUILD_DIR=${BUILD_DIR:-build}
export DEMARCHE_KAFKA_PORT=${DEMARCHE_KAFKA_PORT:-19192}
export DM_SOURCE_DIR=$ROOT DM_BINARY_DIR=$ROOT/$BUILD_DIR
export DM_SHARED_DIR=${DM_SHARED_DIR:-$(cd "$ROOT/.." && pwd)/shared}
. tests/e2e/lib.sh
e2e_own_broker
export RELIABILITY_OUT=$ROOT/docs/RELIABILITY.md
E2E_FAULT_ARTICLES=${ARTICLES:-20000} E2E_FAULT_KILLS=${KILLS:-5} \
  bash tests/e2e/test_e2e_faults.sh
