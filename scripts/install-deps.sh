#!/usr/bin/env bash
# Installs the Debian 12 packages hamyar needs to build, test and run, if any are
# missing. Used by `make run`, `make check` on a fresh machine, and CI (.ci/run).
# Runs apt-get only when something is missing, so it is quick on a ready machine.
set -euo pipefail

packages=(
  build-essential cmake pkg-config          # toolchain
  libmicrohttpd-dev libjansson-dev libsqlite3-dev libicu-dev
  libsodium-dev liboath-dev                  # server libraries
  libcmocka-dev sqlite3 curl                 # tests (sqlite3: audit tamper test)
  clang libclang-rt-14-dev                   # libFuzzer harnesses (make fuzz)
)
command -v node >/dev/null 2>&1 || packages+=(nodejs)   # API tests (node:test)

missing=()
for p in "${packages[@]}"; do
  [[ $p == \#* ]] && continue
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "install-deps: these packages are missing and I am not root: ${missing[*]}" >&2
    echo "install-deps: run as root, or: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
