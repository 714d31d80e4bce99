#!/usr/bin/env bash
# Installs confound's system packages (Debian 12, as root) and its npm dependencies, and builds the engine addon.
#   scripts/setup.sh          runtime packages only
#   scripts/setup.sh --test   also the reference implementations and browser the tests use
set -euo pipefail
cd "$(dirname "$0")/.."
need=(libtorch-dev g++ make python3)
if [ "${1:-}" = "--test" ]; then
  need+=(r-cran-proc python3-sklearn chromium)
fi
missing=()
for p in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ -z "${LIBTORCH:-}" ] || [ "${#missing[@]}" -gt 0 ]; then
  if [ "${#missing[@]}" -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
fi
if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "confound needs Node.js >= 20 (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi
export ONNXRUNTIME_NODE_INSTALL=skip
npm ci --no-audit --no-fund
