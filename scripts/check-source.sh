#!/usr/bin/env bash
# The written part of hamyar's code style that a machine can check (see STYLE.md):
# banned functions, a header comment saying what each header is for, and file length.
# Run by CTest as `source_style`; prints each offence as FILE:LINE: why.
set -uo pipefail
cd "${1:-$(dirname "$0")/..}"

status=0
banned='\b(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|atof|strtok|tmpnam)[[:space:]]*\('
while IFS= read -r hit; do
  echo "$hit: banned function (use snprintf, strtol, struct buf or strtok_r)"
  status=1
done < <(grep -rnE "$banned" src fuzz bench --include='*.c' --include='*.h' | grep -vE '^\S+:[0-9]+:\s*(/\*|\*)')

for h in $(find src -name '*.h'); do
  if ! head -n 1 "$h" | grep -q '^/\*'; then
    echo "$h:1: a header opens with a comment saying what the module is for"
    status=1
  fi
done

for f in $(find src -name '*.c' -o -name '*.h'); do
  n=$(wc -l < "$f")
  if ((n > 800)); then
    echo "$f: $n lines; a file this long usually holds two ideas — split it"
    status=1
  fi
done

if ((status == 0)); then echo "source style: 1 passed, 0 failed"; else echo "source style: 0 passed, 1 failed"; fi
exit $status
