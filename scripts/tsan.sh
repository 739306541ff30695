#!/usr/bin/env bash
# The live path under ThreadSanitizer: a debug build with `--sanitize=thread` in .build-tsan (the
# release build in .build is left alone), then the tests that drive it — the runner's loop on a
# hand-moved clock (LivePathTests, UserScheduleTests), the voice's timer and the driver's voice
# (VoiceTests, LiveVoiceTests), the screen state (ViewStateTests), the
# runner's loop with typed interjections and `n` from other threads (LiveRunTests), and the built binary's live demo in tmux: typed keys, pause, next, quit
# (LiveDemoTests; its REC FAILED test is left out: TSan's runtime stops with SIGBUS under
# `ulimit -f`). Any report fails the script (TSan writes a file per reporting process; a TSan
# binary that reported exits 66, which fails its test too).
# `scripts/tsan.sh [EXTRA FILTER]`; needs tmux and the small model (Assets/).
set -euo pipefail
cd "$(dirname "$0")/.."
filter="LivePathTests|LiveVoiceTests|VoiceTests|UserScheduleTests|ViewStateTests|LiveRunTests|LiveDemoTests/typedPauseNextQuit${1:+|$1}"
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
swift build --sanitize=thread --build-path .build-tsan --build-tests
status=0
TSAN_OPTIONS="log_path=$logs/tsan halt_on_error=0" \
  swift test --sanitize=thread --build-path .build-tsan --skip-build --filter "$filter" || status=$?
if compgen -G "$logs/tsan.*" > /dev/null; then
  cat "$logs"/tsan.*
  echo "tsan.sh: ThreadSanitizer reported (above)" >&2
  exit 1
fi
[ "$status" -eq 0 ] || { echo "tsan.sh: tests failed" >&2; exit "$status"; }
echo "tsan.sh: no races reported ($filter)"
