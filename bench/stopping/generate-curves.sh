#!/usr/bin/env bash
# Regenerates the real gradient-descent curves that `./descentwatch bench stopping` judges stopping rules on:
# the shipped DL4J presets with their settings varied widely (seeds, learning rates, noise, feature scales,
# widths, epochs), every run trained to the end and evaluated on a log grid of 40 points per decade.
# Deterministic: the same settings and thread count give bit-identical losses (only the event times differ).
#   bench/stopping/generate-curves.sh [OUT]        (default: bench/src/main/resources/stopping/curves.jsonl.gz)
# About 25 minutes on 2 cores. Pass CHUNK=N (0-based) to run only the N-th of the sweeps below, appending to
# OUT's uncompressed work file; without CHUNK every sweep runs and OUT is written at the end. DW_LAUNCHER names
# another launcher (e.g. "java -jar /tmp/descentwatch.jar", to keep training while the sources change).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$root/bench/src/main/resources/stopping/curves.jsonl.gz}"
work="${out%.gz}.work"
eval_grid="log:40"

# one line per sweep: preset, then its settings (each becomes --KEY VALUE)
sweeps=(
  # epoch-wise double descent (Heckel & Yilmaz): the slow features' scale and signal decide whether and when
  # the second descent comes, and whether it beats the first minimum within the epochs given
  "two-scale-epochwise seeds=1,2,3 epochs=20000"
  "two-scale-epochwise seeds=4,5 epochs=20000 noise=0.5"
  "two-scale-epochwise seeds=6,7 epochs=20000 noise=1.5"
  "two-scale-epochwise seeds=8,9 epochs=20000 slow-signal=0.3"
  "two-scale-epochwise seeds=10,11 epochs=20000 slow-signal=0"
  "two-scale-epochwise seeds=12,13 epochs=40000 slow-scale=0.05"
  "two-scale-epochwise seeds=14,15 epochs=10000 slow-scale=0.2"
  "two-scale-epochwise seeds=16,17 epochs=5000 lr=0.05"
  "two-scale-epochwise seeds=18,19 epochs=20000 lr=0.01 slow-signal=2"
  "two-scale-epochwise seeds=20,21 epochs=3000 slow-signal=0.5"
  "two-scale-epochwise seeds=22,23 epochs=20000 fast-features=300 slow-features=20"
  "two-scale-epochwise seeds=24,25 epochs=20000 fast-signal=3 slow-signal=0.5 noise=2"
  # min-norm least squares per run: near p = n the test loss climbs as gradient descent reaches the min-norm fit
  "minnorm-linear seeds=1 widths=40,80,90,95,100,105,110,120,200 epochs=5000"
  "minnorm-linear seeds=2 widths=60,90,100,110,150 epochs=2000 noise=1"
  "minnorm-linear seeds=3 widths=85,95,105,130 epochs=10000 noise=0.25 lr-scale=0.5"
  # random ReLU features per run
  "rf-modelwise seeds=1 width-ratios=0.5,0.9,1,1.1,1.5,3 epochs=5000"
  "rf-modelwise seeds=2 width-ratios=0.8,1,1.2,2 epochs=3000 noise=1"
  "rf-modelwise seeds=3 width-ratios=0.9,1,1.3 epochs=8000 noise=0.25"
  # one-hidden-layer MLP with label noise: memorising the noisy labels lifts the test loss
  "mlp-label-noise seeds=1 widths=16,48,128,512 epochs=4000"
  "mlp-label-noise seeds=2 widths=32,64,256 epochs=3000 label-noise=0.4"
  "mlp-label-noise seeds=3 widths=24,96,256 epochs=4000 label-noise=0.1 lr=0.002"
  "mlp-label-noise seeds=4 widths=40,128 epochs=3000 optimizer=sgd lr=0.2 label-noise=0.3"
)

run_sweep() {
  local i="$1" line="${sweeps[$1]}"
  local preset="${line%% *}" args=()
  for kv in ${line#* }; do args+=("--${kv%%=*}" "${kv#*=}"); done
  ${DW_LAUNCHER:-"$root/descentwatch"} train --preset "$preset" --sweep-id "stop$(printf %02d "$i")-$preset" --eval "$eval_grid" \
    "${args[@]}" --out "$work.$i" >&2
}

mkdir -p "$(dirname "$out")"
if [ -n "${CHUNK:-}" ]; then
  run_sweep "$CHUNK"
  exit 0
fi
for i in "${!sweeps[@]}"; do [ -f "$work.$i" ] || run_sweep "$i"; done
for i in "${!sweeps[@]}"; do cat "$work.$i"; done | gzip -9n > "$out"
rm -f "$work".*
echo "wrote $out ($(zcat "$out" | wc -l) events)" >&2
