#!/usr/bin/env bash
# The demo command of the README: set-up (apt packages, models), release build, live demo.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release 2>&1 | tail -1
exec .build/release/asyncvoice demo "$@"
