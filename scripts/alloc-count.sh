#!/usr/bin/env bash
# Counts heap allocations inside the engine's token loop: builds a counting allocator
# (Tools/malloc_count.c), preloads it into `asyncvoice bench`, which reports the allocation calls
# made during its decode steps (forward + sampler). Usage: scripts/alloc-count.sh [bench options]
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .build
cc -O2 -shared -fPIC -o .build/libmalloc_count.so Tools/malloc_count.c
swift build -c release --product asyncvoice >/dev/null
LD_PRELOAD="$PWD/.build/libmalloc_count.so" .build/release/asyncvoice bench --repetitions 1 "$@"
