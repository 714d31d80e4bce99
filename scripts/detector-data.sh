#!/usr/bin/env bash
# The label detector's phantom training data in WORKDIR (s101-s112): `scripts/detector-data.sh WORKDIR`, for
# scripts/train-detector.sh and scripts/train-reader.sh (about 4 minutes on 2 idle cores). Seeds 101-112: two sets
# of six that mix sizes (256/512/1024 px), bit depths (8/16) and finding difficulty; the second six (107-112) are
# drawn with `--marker-styles extended`, the first six with the study's standard phantom.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
work="$1"
cli="node $root/dist/src/cli/main.js"
for base in 101 107; do
  ext=()
  if [ "$base" = 107 ]; then ext=(--marker-styles extended); fi
  $cli synth --out "$work/s$base" --studies 150 --size 256 --seed "$base" "${ext[@]}"
  $cli synth --out "$work/s$((base + 1))" --studies 100 --size 256 --seed "$((base + 1))" --bits 16 --difficulty 0.2 "${ext[@]}"
  $cli synth --out "$work/s$((base + 2))" --studies 40 --size 512 --seed "$((base + 2))" --difficulty 0.8 "${ext[@]}"
  $cli synth --out "$work/s$((base + 3))" --studies 12 --size 1024 --seed "$((base + 3))" "${ext[@]}"
  $cli synth --out "$work/s$((base + 4))" --studies 150 --size 256 --seed "$((base + 4))" --difficulty 0.2 "${ext[@]}"
  $cli synth --out "$work/s$((base + 5))" --studies 60 --size 512 --seed "$((base + 5))" --bits 16 "${ext[@]}"
done
