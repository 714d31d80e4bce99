#!/usr/bin/env bash
# Reproduce the shipped label-detector weights (models/detector.json) from phantom data: `scripts/train-detector.sh [WORKDIR]`.
# Training seeds 101-112: two sets of six that mix sizes (256/512/1024 px), bit depths (8/16) and finding difficulty
# (0.2 has the most metal hardware); the second six (107-112) are drawn with `--marker-styles extended` (bold
# thick-stroke markers, faint plastic holders around markers, as on real radiographs: the reference GRAZPEDWRI-DX
# wrist's framed "L"; smaller markers; round-hooked K-wire pairs), the first six with the study's standard phantom.
# Weight seed 1 and the threshold 0.7 (MIN_SCORE in src/labels/detect/train.ts) were chosen on validation seed 701
# (confound synth --studies 60 --seed 701) and the reference radiograph: seed 1 P/R 0.960/0.950 at 0.7 on 701,
# reference L 0.98, no box on its K-wires at any score >= 0.05; seed 2 0.950/0.950, L 0.99, but a K-wire box at
# 0.43 (seeds 1-2 tried); 0.7 is the highest-recall threshold with precision >= 0.95 on 701. Retrained unchanged
# when the phantom's marker-style confound order changed (other studies are abnormal, so findings moved): seed 1
# P/R 0.963/0.957 on 701, reference L 0.998, a K-wire box at 0.52 (below the threshold). Seeds 702 (--bits 16)
# and 703 (--difficulty 0.2) and 704/705 (--marker-styles extended) served for design choices. The test seeds
# (901-903, the study's seed 0) were not used for any choice. Evaluate on any other seed, e.g.: confound synth --out /tmp/t901 --studies 60 --seed 901 &&
#   confound detect --data /tmp/t901 --out /tmp/t901.boxes.json --eval /tmp/t901/labels.coco.json
# The weights record the command with the data folders relative to WORKDIR, so any WORKDIR gives the same file.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
npx tsc -p tsconfig.json
work="${1:-$(mktemp -d)}"
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
cd "$work"
$cli detect-train --data s101 s102 s103 s104 s105 s106 s107 s108 s109 s110 s111 s112 --seed 1 --out "$root/models/detector.json"
