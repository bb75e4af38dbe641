#!/usr/bin/env bash
# install-deps.sh - installs every Debian package demarche's build, tests and
# quickstart need (and Java 17 and Maven for the local Kafka broker and Schema
# Registry when they are missing). Idempotent: a second run only checks.
# Debian 12, as root (or with sudo available).
set -euo pipefail

PACKAGES=(
  # build
  build-essential cmake ninja-build pkg-config git
  librdkafka-dev libavro-dev libevent-dev libjansson-dev libsystemd-dev libssl-dev openssl
  libgumbo-dev libutf8proc-dev liblmdb-dev
  # tests
  libcmocka-dev python3 python3-avro python3-yaml python3-venv valgrind clang libclang-rt-14-dev
  clang-format
  # local broker and tooling
  kcat curl procps
)
# Java and Maven are only needed when the machine has none: the broker runs
# on any Java 17+ and Maven only fetches its jars once.
command -v java >/dev/null 2>&1 || PACKAGES+=(openjdk-17-jre-headless)
command -v mvn >/dev/null 2>&1 || PACKAGES+=(maven)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present" >&2
else
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "install-deps: run as root or install sudo" >&2; exit 1; }
    SUDO=sudo
  fi
  echo "install-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "install-deps: done" >&2
fi

# The tests' independent peer for the Confluent wire format: Confluent's own
# Python client and Avro deserializer, from PyPI, in a private virtualenv.
VENV=${DEMARCHE_CACHE_DIR:-$HOME/.cache/demarche}/venv
if ! "$VENV/bin/python" -c 'import confluent_kafka.schema_registry.avro' 2>/dev/null; then
  echo "install-deps: creating $VENV with confluent-kafka[avro]" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q 'confluent-kafka[avro]==2.16.1'
fi
