#!/usr/bin/env bash
# The test command of the README: set-up (apt packages, models), one release build, all tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release
swift test -c release "$@"
