#!/usr/bin/env bash
# Checks that the golden event logs differ from a git revision (default HEAD) only by added
# `layout` events: with every `"type":"layout"` line removed, each log must equal the old one
# byte for byte, and the old logs must hold no layout line. Prints a line per log and exits 1 on
# any other difference. Usage: scripts/check-golden-layout-diff.sh [REV]
set -euo pipefail
cd "$(dirname "$0")/.."
rev="${1:-HEAD}"
status=0
for f in Tests/ReasoningTests/Goldens/*/*.jsonl; do
  old=$(git show "$rev:$f")
  if grep -q '"type":"layout"' <<<"$old"; then echo "$f: the old log already has layout events"; status=1; continue; fi
  new_without=$(grep -v '"type":"layout"' "$f" || true)
  added=$(grep -c '"type":"layout"' "$f" || true)
  if [[ "$old" == "$new_without" ]]; then
    echo "$f: identical but for $added added layout events"
  else
    echo "$f: DIFFERS beyond layout events"; diff <(echo "$old") <(echo "$new_without") | head -5; status=1
  fi
done
exit $status
