#!/usr/bin/env bash
# The engine's work counted in instructions, which a busy or shared machine
# does not change (wall time here varies 2-4x from hour to hour). Runs the
# bench binary's untimed workloads (benches/engine.rs, PODPLAY_BENCH_ONCE)
# under Valgrind's cachegrind and prints:
#   - instructions per event at 1,000 Pods with probes: the third of three
#     ten-minute spans after a warm-up, as the difference between a run of
#     three spans and one of two, divided by the events of the third;
#   - instructions for the 100-node, 10,000-Pod hour (apply included).
# Needs valgrind (apt install valgrind). A benchmark: prints, exits 0.
#   scripts/bench-instructions.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bin=$(cargo bench --bench engine --no-run 2>&1 | grep -o 'target/[^ )]*/deps/engine-[0-9a-f]*' | tail -n 1)
[ -x "$bin" ] || { echo "bench-instructions: no bench binary found" >&2; exit 1; }
count() { # WORKLOAD -> "instructions events"
  local out
  out=$(PODPLAY_BENCH_ONCE="$1" valgrind --tool=cachegrind --cache-sim=no \
    --cachegrind-out-file=/dev/null "$bin" 2>&1)
  local ir events
  ir=$(grep -o 'I *refs: *[0-9,]*' <<<"$out" | grep -o '[0-9,]*$' | tr -d ,)
  events=$(grep -o 'events [0-9]*' <<<"$out" | grep -o '[0-9]*$')
  echo "$ir $events"
}
read -r ir2 ev2 < <(count pods1000:2)
read -r ir3 ev3 < <(count pods1000:3)
echo "1,000 Pods with probes: $(( (ir3 - ir2) / (ev3 - ev2) )) instructions per event ($(( ev3 - ev2 )) events in the third span)"
read -r irc evc < <(count cluster)
echo "100 nodes, 10,000 Pods, 1 h virtual: $(( irc / 1000000 )) M instructions ($evc timers run)"
