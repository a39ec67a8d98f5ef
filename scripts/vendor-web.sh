#!/usr/bin/env bash
# Copies the third-party files the console needs from node_modules/ (pinned in
# package-lock.json) into web/vendor/, which hamyar serves at /vendor/: Leaflet's
# script, style sheet and marker images, and the Vazirmatn variable font with a small
# style sheet of our own that declares it. The centre may run on a closed network, so
# nothing is ever loaded from a CDN. Called by scripts/install-deps.sh after `npm ci`.
# Idempotent and quiet: a file is copied only when it differs from the one in place.
set -euo pipefail
cd "$(dirname "$0")/.."

nm=node_modules
out=web/vendor
for need in "$nm/leaflet/dist/leaflet.js" "$nm/vazirmatn/fonts/webfonts"; do
  if [[ ! -e $need ]]; then
    echo "vendor-web: $need is missing; run scripts/install-deps.sh (npm ci) first" >&2
    exit 1
  fi
done

# put SRC DEST: copy SRC to DEST when DEST is absent or different.
put() {
  mkdir -p "$(dirname "$2")"
  cmp -s "$1" "$2" || cp "$1" "$2"
}

put "$nm/leaflet/dist/leaflet.js" "$out/leaflet/leaflet.js"
put "$nm/leaflet/dist/leaflet.css" "$out/leaflet/leaflet.css"
put "$nm/leaflet/LICENSE" "$out/leaflet/LICENSE"
for img in "$nm"/leaflet/dist/images/*.png; do
  put "$img" "$out/leaflet/images/$(basename "$img")"
done

# The variable font covers every weight in one file. It is renamed without the
# brackets of its upstream name ("Vazirmatn[wght].woff2") so that its URL needs no
# escaping.
put "$nm/vazirmatn/fonts/webfonts/Vazirmatn[wght].woff2" "$out/vazirmatn/vazirmatn-variable.woff2"
put "$nm/vazirmatn/OFL.txt" "$out/vazirmatn/OFL.txt"
css=$(cat <<'EOF'
/* Vazirmatn, the console's typeface: one variable font file for weights 100-900,
   written by scripts/vendor-web.sh next to this file (served from /vendor/). */
@font-face {
  font-family: 'Vazirmatn';
  src: url('vazirmatn-variable.woff2') format('woff2-variations'),
       url('vazirmatn-variable.woff2') format('woff2');
  font-weight: 100 900;
  font-style: normal;
  font-display: swap;
}
EOF
)
if [[ ! -f $out/vazirmatn/vazirmatn.css || $(cat "$out/vazirmatn/vazirmatn.css") != "$css" ]]; then
  printf '%s\n' "$css" >"$out/vazirmatn/vazirmatn.css"
fi
