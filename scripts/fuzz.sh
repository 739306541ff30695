#!/usr/bin/env bash
# Seeded in-process fuzzing of the transcript readers: `scripts/fuzz.sh [CASES] [SEED]`
# (default 100,000 cases, seed 1). CI runs the tests' default slice (3,000 cases).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --build-tests
FUZZ_CASES="${1:-100000}" FUZZ_SEED="${2:-1}" swift test -c release --skip-build --filter FuzzTests
