#!/usr/bin/env bash
# Reproduce the quick profile's starting weights (models/densenet-small-phantom.safetensors): densenet-small
# trained from random weights on label-free phantom radiographs (seed 8, no label/outcome confounding, obvious findings: --difficulty 0), the
# best epoch by validation AUC. The study's phantom uses other seeds, so no study image is seen here.
# About 20 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsc -p tsconfig.json
work="${1:-$(mktemp -d)}"
cli="node dist/src/cli/main.js"
$cli synth --out "$work/data" --studies 1500 --seed 8 --confound 0 --test-confound 0 --no-labels --difficulty 0
$cli train --data "$work/data" --out "$work/run" --profile quick --weights none --epochs 24 --threads 2
cp "$work/run/model.safetensors" models/densenet-small-phantom.safetensors
