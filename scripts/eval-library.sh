#!/usr/bin/env bash
# The README's results table: every scenario of the library in every mode, in virtual time, as
# JOBS shards of one thread each on this machine, joined by `eval-merge`.
#
#   scripts/eval-library.sh OUTDIR [extra eval options…]
#
# Environment: JOBS (default: the number of CPUs), MODEL (default: the demo's default model),
# SCENARIOS (the scenario folder; default: Transcripts/scenarios, the library),
# ISA (the kernels, as --isa; default: the best here, or the set OUTDIR was started with),
# CLOCK_COSTS (default: measured once here with the live demo's threads, so measure on a quiet
# machine, and given to every shard so that all charge alike; the shards themselves run one
# thread each, and their speed does not change the virtual clock). Ctrl-C stops every shard after
# its current scenario; each shard's JSON is rewritten after every run, so even a killed shard
# keeps what finished, and running the script again on the same OUTDIR continues where it stopped
# (eval --resume, with the costs saved in OUTDIR). Each row names its model and kernels; a run
# continued on a CPU with other kernels warns (start with ISA=avx2, say, to keep one set: the AVX2
# kernels give the same bits on AMD and Intel). Prints the Markdown table and what made its rows;
# OUTDIR keeps each shard's JSON, its log, the costs, the commit and the binary's digest.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/eval-library.sh OUTDIR [eval options…]}
shift
bin=.build/release/asyncvoice
scenarios=${SCENARIOS:-Transcripts/scenarios}
[ -d "$scenarios" ] || { echo "eval-library: SCENARIOS=$scenarios is not a folder" >&2; exit 2; }
[ -x "$bin" ] || { echo "eval-library: $bin is missing: run 'swift build -c release' first" >&2; exit 1; }
jobs=${JOBS:-}
# A continued run keeps its shards.
[ -z "$jobs" ] && [ -s "$out/jobs" ] && jobs=$(cat "$out/jobs")
jobs=${jobs:-$(nproc)}
case "$jobs" in '' | *[!0-9]* | 0) echo "eval-library: JOBS must be a positive integer, got '$jobs'" >&2; exit 2 ;; esac
mkdir -p "$out"
model=()
[ -n "${MODEL:-}" ] && model=(--model "$MODEL")
costs=${CLOCK_COSTS:-}
[ -z "$costs" ] && [ -s "$out/clock-costs" ] && costs=$(cat "$out/clock-costs")
if [ -z "$costs" ]; then
  # One short run prints the measured costs as the option to pass on.
  costs=$("$bin" eval "$scenarios" "${model[@]}" --virtual-time --modes nothink --limit 1 2>&1 \
    | sed -n 's/.*(--clock-costs \([0-9.,]*\)).*/\1/p' | head -1)
  [ -n "$costs" ] || { echo "eval-library: could not measure the clock costs" >&2; exit 1; }
fi
# The kernel set (ISA: auto, avx2, …): kept in OUTDIR like the costs, so that a run continued on
# another CPU makes its rows with the same kernels (the AVX2 ones give the same bits everywhere).
isa=${ISA:-}
[ -z "$isa" ] && [ -s "$out/isa" ] && isa=$(cat "$out/isa")
isa_option=()
if [ -n "$isa" ]; then
  echo "$isa" >"$out/isa"
  isa_option=(--isa "$isa")
fi
echo "$costs" >"$out/clock-costs"
echo "$jobs" >"$out/jobs"
# The commit of each start (a continued run should show one commit) and the binary that made the
# rows: its digest and build time. A source file newer than the binary, or a change not committed,
# means the rows are not that commit's: say so.
git rev-parse HEAD >>"$out/commit" 2>/dev/null || true
echo "binary sha256 $(sha256sum "$bin" | cut -d' ' -f1), built $(date -u -r "$bin" +%FT%TZ)" >>"$out/binary"
if [ -n "$(find Sources Package.swift -newer "$bin" -print -quit)" ] || ! git diff --quiet HEAD -- Sources Package.swift 2>/dev/null; then
  echo "eval-library: warning: $bin is older than a file of Sources, or Sources has uncommitted changes: the rows may not be $(git rev-parse --short HEAD 2>/dev/null || echo "this checkout")'s" >&2
fi
echo "eval-library: $jobs shards, clock costs $costs, results in $out" >&2
pids=()
trap 'kill -INT "${pids[@]}" 2>/dev/null || true' INT TERM
for ((k = 0; k < jobs; k++)); do
  "$bin" eval "$scenarios" "${model[@]}" "${isa_option[@]}" --virtual-time --threads 1 --clock-costs "$costs" \
    --shard "$k/$jobs" --json "$out/shard-$k.json" --resume "$@" >"$out/shard-$k.out" 2>>"$out/shard-$k.err" &
  pids+=($!)
done
status=0
for p in "${pids[@]}"; do
  # A trapped signal ends `wait` early: wait again until the shard has written its JSON.
  while :; do
    wait "$p" && rc=0 || rc=$?
    kill -0 "$p" 2>/dev/null || break
  done
  [ "$rc" -eq 0 ] || status=1
done
trap - INT TERM
files=()
for ((k = 0; k < jobs; k++)); do [ -s "$out/shard-$k.json" ] && files+=("$out/shard-$k.json"); done
[ ${#files[@]} -gt 0 ] || { echo "eval-library: no shard wrote results (see $out/shard-*.err)" >&2; exit 1; }
"$bin" eval-merge "${files[@]}" --recheck "$scenarios" --markdown --json "$out/merged.json"
exit $status
