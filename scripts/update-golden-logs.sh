#!/usr/bin/env bash
# Regenerates the golden event logs (Tests/ReasoningTests/Goldens) after a behaviour change that is
# meant: runs GoldenLogTests with AV_UPDATE_GOLDENS=1, which writes the logs instead of comparing.
# It writes the logs of this CPU's kernels (Goldens/<isa>/); the other sets' logs are written on
# machines that run them.
# Read `git diff Tests/ReasoningTests/Goldens` before committing, and say in the commit why it moved.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --build-tests
AV_UPDATE_GOLDENS=1 swift test -c release --skip-build --filter GoldenLogTests
git status --short Tests/ReasoningTests/Goldens
