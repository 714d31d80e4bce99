#!/usr/bin/env bash
# The CUDA check, for a machine with an NVIDIA GPU (not run in CI: CI has no GPU). It
#   1. builds the engine addon against a CUDA libtorch: LIBTORCH=/path (a pytorch.org libtorch folder, or a pip
#      torch's site-packages/torch: python3 -c 'import torch, os; print(os.path.dirname(torch.__file__))');
#   2. runs the engine tests with CONFOUND_DEVICE=cuda (models the tests create land on the GPU; tests that compare
#      with Debian's CPU PyTorch to 1e-5 may exceed that on a GPU: the counts are reported, the script goes on);
#   3. makes a 2,000-image phantom at 320 px and times one paper-profile epoch (DenseNet-121, 320 px, batch 8, MURA
#      recipe, decoding and augmentation included) in confound and in PyTorch ($PYTHON's torch on the same GPU,
#      torchvision DataLoader with the same letterbox, flips and rotations), plus the bare engine's step rate;
#   4. prints one JSON line on stdout (progress goes to stderr).
# Usage: LIBTORCH=... [PYTHON=python3] [WORK=dir] [STUDIES=800] bash scripts/device-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
log() { echo "device-check: $*" >&2; }
: "${LIBTORCH:?set LIBTORCH to a CUDA libtorch folder, or the site-packages/torch folder of a pip torch}"
PYTHON=${PYTHON:-python3}
STUDIES=${STUDIES:-800}   # about 2,000 images (1-4 per study)
WORK=${WORK:-$(mktemp -d)}
CORES=$(nproc)
export ONNXRUNTIME_NODE_INSTALL=skip
command -v nvidia-smi >/dev/null && nvidia-smi -L >&2 || { log "no NVIDIA GPU visible (nvidia-smi)"; exit 1; }
[ -n "$(ls "$LIBTORCH"/lib/libtorch_cuda.so 2>/dev/null)" ] || { log "$LIBTORCH/lib has no libtorch_cuda.so: not a CUDA libtorch"; exit 1; }
# A pip torch's CUDA libraries (cudnn, cublas, nccl...) sit in site-packages/nvidia/*/lib.
for d in "$LIBTORCH"/../nvidia/*/lib; do [ -d "$d" ] && LD_LIBRARY_PATH="$d:${LD_LIBRARY_PATH:-}"; done
export LD_LIBRARY_PATH="$LIBTORCH/lib:${LD_LIBRARY_PATH:-}"

npx tsc -p tsconfig.json >&2
log "phantom: $STUDIES studies at 320 px in $WORK/phantom (in the background)"
node dist/src/cli/main.js synth --out "$WORK/phantom" --studies "$STUDIES" --size 320 --seed 17 --json > "$WORK/synth.json" 2> "$WORK/synth.err" &
SYNTH=$!

log "building the addon against $LIBTORCH"
t0=$(date +%s)
JOBS=$CORES LIBTORCH="$LIBTORCH" node scripts/build-addon.mjs >&2
build_s=$(( $(date +%s) - t0 ))
node -e 'import("./dist/src/engine/index.js").then(async (e) => { const i = await e.engineInfo();
  if (i.cuda !== "available") { console.error("device-check: the addon sees no GPU: " + JSON.stringify(i)); process.exit(1); }
  console.error("device-check: engine " + JSON.stringify({ ...i, gpus: e.cudaDeviceCount(), dist: e.distBackends() })); })'

log "engine tests on CUDA"
set +e
CONFOUND_DEVICE=cuda node --test --test-concurrency=1 --test-reporter=tap dist/test/engine/ > "$WORK/engine-tests.tap" 2>&1
set -e
tests_pass=$(grep -c '^ok ' "$WORK/engine-tests.tap" || true)
tests_fail=$(grep -c '^not ok ' "$WORK/engine-tests.tap" || true)
grep '^not ok ' "$WORK/engine-tests.tap" >&2 || true

log "bare engine: densenet121, 320 px, batch 8"
node dist/src/cli/main.js engine-check --arch densenet121 --size 320 --batch 8 --steps 20 --device cuda --json > "$WORK/engine-check.json"

wait "$SYNTH" || { cat "$WORK/synth.err" >&2; log "phantom generation failed"; exit 1; }
log "confound: one paper-profile epoch"
node dist/src/cli/main.js train --data "$WORK/phantom" --out "$WORK/run" --profile paper --epochs 1 --device cuda \
  --weights none --json > "$WORK/train.json"

log "PyTorch: the same epoch"
"$PYTHON" - "$WORK/phantom" "$CORES" > "$WORK/torch.json" <<'PY'
import csv, json, math, os, sys, time
import numpy as np, torch, torchvision
from PIL import Image
root, cores = sys.argv[1], int(sys.argv[2])
size, batch = 320, 8
# MURA's CSV: one path a line, relative to the folder above the dataset (MURA-v1.1/train/...).
rows = [r[0] for r in csv.reader(open(os.path.join(root, 'train_image_paths.csv'))) if r]
paths = [os.path.join(os.path.dirname(os.path.abspath(root)), p) for p in rows]
assert all(os.path.exists(p) for p in paths), 'phantom image paths not found'
assert len(paths) > 0
labels = [1.0 if 'positive' in p else 0.0 for p in paths]
pos = sum(labels) / len(labels)
class Phantom(torch.utils.data.Dataset):
    def __len__(self): return len(paths)
    def __getitem__(self, i):
        img = Image.open(paths[i])
        a = np.asarray(img, dtype=np.float32) / (65535.0 if img.mode.startswith('I') else 255.0)
        h, w = a.shape
        s = size / max(h, w)
        t = torch.from_numpy(a)[None, None]
        t = torch.nn.functional.interpolate(t, size=(max(1, round(h * s)), max(1, round(w * s))), mode='bilinear', align_corners=False)[0]
        out = torch.zeros(1, size, size)
        y0, x0 = (size - t.shape[1]) // 2, (size - t.shape[2]) // 2
        out[:, y0:y0 + t.shape[1], x0:x0 + t.shape[2]] = t
        if torch.rand(()) < 0.5: out = out.flip(2)
        out = torchvision.transforms.functional.rotate(out, float(torch.empty(()).uniform_(-30, 30)))
        return (out - 0.5) / 0.25, torch.tensor(labels[i])
dev = torch.device('cuda')
net = torchvision.models.densenet121(weights=None, num_classes=1)
net.features.conv0 = torch.nn.Conv2d(1, 64, 7, 2, 3, bias=False)
net = net.to(dev).train()
opt = torch.optim.Adam(net.parameters(), 1e-4)
loader = torch.utils.data.DataLoader(Phantom(), batch_size=batch, shuffle=True, num_workers=min(8, cores), pin_memory=True)
torch.cuda.synchronize(); t = time.perf_counter()
for x, y in loader:
    x, y = x.to(dev, non_blocking=True), y.to(dev, non_blocking=True)
    w = torch.where(y > 0.5, 1 - pos, pos)
    opt.zero_grad()
    torch.nn.functional.binary_cross_entropy_with_logits(net(x).squeeze(1), y, weight=w).backward()
    opt.step()
torch.cuda.synchronize(); s = time.perf_counter() - t
print(json.dumps({'torch': torch.__version__, 'images': len(paths), 'epoch_s': s, 'img_s': len(paths) / s}))
PY

node -e '
const fs = require("fs"), w = process.argv[1];
const read = (f) => JSON.parse(fs.readFileSync(w + "/" + f, "utf8"));
const tr = read("train.json"), tc = read("torch.json"), ec = read("engine-check.json"), sy = read("synth.json");
const e = tr.epochs[0];
console.log(JSON.stringify({ check: "device", gpu: process.argv[2], libtorch: ec.libtorch, torch: tc.torch, build_s: Number(process.argv[3]),
  engine_tests_pass: Number(process.argv[4]), engine_tests_fail: Number(process.argv[5]), phantom_images: sy.images ?? null,
  engine_train_img_s: ec.train_img_s, engine_infer_img_s: ec.infer_img_s, engine_gradcam_ms: ec.gradcam_ms,
  confound_epoch_img_s: e.images_per_s, confound_epoch_s: e.seconds, torch_epoch_img_s: tc.img_s, torch_epoch_s: tc.epoch_s,
  confound_vs_torch: e.images_per_s / tc.img_s }));
' "$WORK" "$(nvidia-smi --query-gpu=name --format=csv,noheader | head -1)" "$build_s" "$tests_pass" "$tests_fail"
