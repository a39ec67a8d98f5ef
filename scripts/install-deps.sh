#!/usr/bin/env bash
# Installs the Debian 12 packages hamyar needs to build, test and run, if any are
# missing, then the npm packages the API and browser tests use (package-lock.json, into
# node_modules/). Used by `make run`, `make check` on a fresh machine, and CI (.ci/run).
# Runs apt-get only when something is missing and `npm ci` only when node_modules is
# missing or the lock file changed since it was installed, so it is quick and quiet on
# a ready machine.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config          # toolchain
  libmicrohttpd-dev libjansson-dev libsqlite3-dev libicu-dev
  libsodium-dev liboath-dev                  # server libraries
  libcmocka-dev sqlite3 curl                 # tests (sqlite3: audit tamper test)
  clang libclang-rt-14-dev                   # libFuzzer harnesses (make fuzz)
  chromium                                   # browser tests (tests/browser, playwright-core)
)
command -v node >/dev/null 2>&1 || packages+=(nodejs)   # API tests (node:test)
command -v npm >/dev/null 2>&1 || packages+=(npm)         # their npm packages

missing=()
for p in "${packages[@]}"; do
  [[ $p == \#* ]] && continue
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} > 0)); then
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
fi

# npm packages: exactly what package-lock.json pins, without install scripts. The
# stamp holds the lock's hash as of the last install, so a changed lock reinstalls.
stamp=node_modules/.hamyar-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  echo "install-deps: npm ci (package-lock.json)" >&2
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2
  echo "$want" >"$stamp"
fi

# The console's third-party assets (Leaflet, Vazirmatn) from node_modules/ into
# web/vendor/, served locally (no CDN).
scripts/vendor-web.sh
