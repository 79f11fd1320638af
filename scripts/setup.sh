#!/usr/bin/env bash
# Installs everything hashlake needs to build, run and test on Debian 12: Debian packages,
# the project venv (.venv, with pyarrow whose wheel carries Arrow C++), and the web
# front end's npm packages. Safe to run again: each step skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

DEBIAN_PACKAGES=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  python3 python3-venv python3-pip
  libsimdjson-dev libtomlplusplus-dev libcli11-dev libspdlog-dev libfmt-dev
  libtbb-dev libicu-dev libboost-dev libssl-dev zlib1g-dev libzstd-dev libcurl4-openssl-dev
  librdkafka-dev openssl
  libstemmer-dev libcld2-dev libgeos-dev prometheus-cpp-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-format clang-tidy ccache
  chromium
)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then missing+=(nodejs npm); fi
# Java runs Spark (the lake interop tests) and the Kafka broker the tests start.
if ! command -v java >/dev/null; then missing+=(openjdk-17-jre-headless); fi
# Maven fetches Apache Kafka's jars from Maven Central for the broker the tests start.
if ! command -v mvn >/dev/null; then missing+=(maven); fi
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  log "Debian packages: all present"
fi

if [ ! -x .venv/bin/python ]; then
  log "creating the project venv (.venv)"
  python3 -m venv .venv
fi
# A stamp of the requirements file skips pip when nothing changed since the last install.
if ! cmp -s requirements-dev.txt .venv/.hashlake-requirements 2>/dev/null; then
  log "installing Python packages (requirements-dev.txt)"
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
  cp requirements-dev.txt .venv/.hashlake-requirements
else
  log "Python packages: all present"
fi

# Airflow lives in its own venv: its pins would fight the project's.
if ! cmp -s requirements-airflow.txt .venv-airflow/.hashlake-requirements 2>/dev/null; then
  log "installing Apache Airflow into .venv-airflow (requirements-airflow.txt)"
  [ -x .venv-airflow/bin/python ] || python3 -m venv .venv-airflow
  .venv-airflow/bin/python -m pip install -q --disable-pip-version-check -r requirements-airflow.txt
  cp requirements-airflow.txt .venv-airflow/.hashlake-requirements
else
  log "Airflow: present"
fi

if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
  log "installing web packages (npm ci)"
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
else
  log "web packages: all present"
fi
log "done"
