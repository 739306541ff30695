#!/usr/bin/env bash
# The test command of the README: the format lint, set-up (apt packages, models), one release
# build, all tests.
set -euo pipefail
cd "$(dirname "$0")/.."
# Lint first (a second or two): any swift-format finding fails, so CI does (`make format` fixes most).
swift format lint --strict --recursive Sources Tests
scripts/setup.sh
swift build -c release
swift test -c release "$@"
