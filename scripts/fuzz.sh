#!/usr/bin/env bash
# Runs each cargo-fuzz target (fuzz/fuzz_targets) for a bounded time; any crash,
# panic or timeout fails the run, and libFuzzer leaves the input that did it in
# fuzz/artifacts/TARGET/ (replay it: cargo +nightly fuzz run TARGET FILE).
# Installs what is missing: the nightly toolchain (rustup, minimal profile) and
# cargo-fuzz (crates.io). Seeds: the committed fuzz/seeds/TARGET/ plus, for the
# `inputs` target, the bundled examples, exercises and test fixtures; what the
# fuzzer finds goes to fuzz/corpus/TARGET/ (not committed).
#   scripts/fuzz.sh            each target for FUZZ_SECONDS (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
seconds="${FUZZ_SECONDS:-60}"
if ! rustup toolchain list | grep -q '^nightly'; then
  rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz
fi
cd fuzz
for target in inputs engine; do
  mkdir -p "corpus/$target" "seeds/$target"
  extra=()
  if [ "$target" = inputs ]; then extra=(../examples ../exercises ../tests/fixtures); fi
  log="$(mktemp)"
  # -timeout: one input over 60 s is a failure (a hang), as is any crash.
  # A busy loop is fast-forwarded (src/core/shell/spin.rs): the seed
  # tests/fixtures/busy-wait.yaml runs its ten simulated minutes in 0.03 s
  # natively in release. When the fast-forward silently stopped firing (a
  # program the image lacks counted as one that ran; fixed 2026-12-06) it
  # took 2.8 s natively and over 60 s here: this limit is what caught it.
  # -s none: no AddressSanitizer. The crate forbids unsafe code, so ASan
  # had nothing of ours to check, and it made each input about 21 times
  # slower than a release build (4.6 times without it): a loop that cannot
  # be fast-forwarded because each pass appends to a file (a mutation of
  # the adapter example: `…>> raw.log; $sleep 2`) runs 7.9 s natively, 166 s
  # under ASan and 36 s without (2026-12-06). Panics, overflows (debug
  # assertions) and stack overflows are still caught.
  if ! cargo +nightly fuzz run -s none "$target" "corpus/$target" "seeds/$target" "${extra[@]}" -- \
      -max_total_time="$seconds" -timeout=60 -print_final_stats=1 >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz: target $target FAILED; the input is in fuzz/artifacts/$target/"
    exit 1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
  echo "fuzz: $target ran $runs inputs in ${seconds} s, no crash"
done
