#!/usr/bin/env bash
# Installs confound's system packages (Debian 12, as root) and its npm dependencies, and builds the engine addon.
# libgdcm-tools: gdcmconv decodes 12-bit JPEG extended DICOM (no maintained npm decoder); dcmtk: the tests make DICOMs;
# tesseract-ocr: `confound detect --read-text` reads the words of the text boxes the detector found.
#   scripts/setup.sh          what the tool needs
#   scripts/setup.sh --test   also the reference implementations and the browser the tests use
#   (--test: dcmtk's dump2dcm writes the DICOM files test/data/dicom-table.test.ts reads; fonts-dejavu-core draws the
#   overlay text test/labels/text-reader.test.ts reads)
# With LIBTORCH=/path/to/libtorch set, Debian's libtorch-dev is not installed.
set -euo pipefail
cd "$(dirname "$0")/.."
need=(g++ make python3 libgdcm-tools tesseract-ocr)
[ -n "${LIBTORCH:-}" ] || need+=(libtorch-dev libgloo-dev)  # Gloo headers: data-parallel training
if [ "${1:-}" = "--test" ]; then
  need+=(r-cran-proc python3-sklearn python3-torch python3-torchvision chromium dcmtk fonts-dejavu-core)
fi
missing=()
for p in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "setup: confound needs Node.js >= 20 (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi
# onnxruntime-node ships its CPU binaries; its install script would only fetch CUDA ones from the network.
export ONNXRUNTIME_NODE_INSTALL=skip
npm ci --no-audit --no-fund
