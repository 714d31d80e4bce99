#!/usr/bin/env bash
# Sourced by scripts/train-detector.sh and scripts/train-reader.sh, with their WORKDIR argument: builds the project,
# draws the phantom training data into WORKDIR (scripts/detector-data.sh; a temporary folder when none is given), and
# leaves the shell in WORKDIR with `cli` (the built CLI), `root` (the checkout) and `data` (the folders s101-s112).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd)"
npx tsc -p tsconfig.json
work="${1:-$(mktemp -d)}"
scripts/detector-data.sh "$work"
cli="node $root/dist/src/cli/main.js"
data=(s101 s102 s103 s104 s105 s106 s107 s108 s109 s110 s111 s112)
cd "$work"
