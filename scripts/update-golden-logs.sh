#!/usr/bin/env bash
# Regenerates the golden event logs (Tests/ReasoningTests/Goldens) after a behaviour change that is
# meant: runs GoldenLogTests with AV_UPDATE_GOLDENS=1, which writes the logs instead of comparing.
#
#   scripts/update-golden-logs.sh [ISA…]     # default: auto, the best set this CPU runs
#
# Each ISA (auto, avx2, avxvnni, avx512vnni) writes Goldens/<isa>/ with that set's kernels, which
# this CPU must run: a CPU with AVX-512 VNNI writes both committed sets with `avx2 avx512vnni`.
# Read `git diff Tests/ReasoningTests/Goldens` before committing, and say in the commit why it moved.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- auto
for isa in "$@"; do
  case "$isa" in auto | scalar | avx2 | avxvnni | avx512vnni) ;; *)
    echo "update-golden-logs: '$isa' is not a kernel set: expected auto, scalar, avx2, avxvnni or avx512vnni" >&2
    exit 2 ;;
  esac
done
swift build -c release --build-tests
for isa in "$@"; do
  echo "update-golden-logs: $isa" >&2
  # The set is chosen for the whole test process (see goldenISA), so the suite runs alone.
  AV_GOLDEN_ISA="$isa" AV_UPDATE_GOLDENS=1 swift test -c release --skip-build --filter GoldenLogTests
done
git status --short Tests/ReasoningTests/Goldens
