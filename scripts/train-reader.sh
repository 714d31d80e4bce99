#!/usr/bin/env bash
# Refit only the marker readers of the shipped weights (models/detector.json), keeping its other networks:
# `scripts/train-reader.sh [WORKDIR]` (about 5 minutes on 2 idle cores, most of it drawing the phantom data). The
# letter reader (classes L, R, D, I; side.ts gives each its side) learns from the phantom's L/R markers of the
# detector's training data (scripts/detector-data.sh) and 1500 rendered markers per letter (glyph-render.ts: plain,
# framed, ringed, white on a black disc as the Spanish "D in circle"; any size, turned or mirrored); the L/R reader
# from the phantom's markers alone, as before. Seed 2, as scripts/train-detector.sh's full fit (--seed 1) uses, so
# both give the same readers; run again on its own output, it gives the same file. The Italian S is left out: with
# it, a few phantom R markers read as S (left). Measure on real films with the readers alone on the true boxes:
#   confound detect --data real-dev --out /tmp/x.json --eval real-dev/boxes.csv   ("read on true boxes")
source "$(dirname "$0")/detector-work.sh"
cp "$root/models/detector.json" "$work/detector.json"
$cli detect-train --data "${data[@]}" --seed 1 --reader-only detector.json --out "$root/models/detector.json"
