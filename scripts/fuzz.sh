#!/usr/bin/env bash
# Seeded in-process fuzzing of the transcript readers and the GGUF loader:
# `scripts/fuzz.sh [CASES] [SEED]` (default 100,000 cases of each, seed 1). The tests run a
# default slice (3,000 transcripts, 2,000 GGUF files).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --build-tests
FUZZ_CASES="${1:-100000}" FUZZ_SEED="${2:-1}" swift test -c release --skip-build --filter FuzzTests
