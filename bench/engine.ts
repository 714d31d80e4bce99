/**
 * The engine against PyTorch: densenet121 training and inference img/s and Grad-CAM ms at 128x128x1 and
 * 224x224x1, batch 8, 2 threads. When /usr/bin/python3 has torch, ../shared/anchors/torch_densenet_bench.py
 * runs the same work in the same invocation, alternating with ours, and the ratios ours/PyTorch are reported.
 * onnxruntime's inference (src/infer, the same weights exported to ONNX) is timed beside ours: onnx_infer_ratio.
 * Options: --steps N (timed steps, default 5), --rounds N (alternations, best of each kept, default 1),
 * --precision=bf16 (our forward passes under bfloat16 autocast; the default fp32 is what the ratios mean).
 * The CPU, its vector extensions and the kernel levels in use are printed with the figures: ATEN_CPU_CAPABILITY
 * and ONEDNN_MAX_CPU_ISA (e.g. avx2 / AVX2, to imitate an AVX2-only CPU) reach PyTorch too, as its environment.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { engineInfo, measureThroughput, Model, PRECISIONS, type Precision } from '../src/engine/index.js';
import { OnnxDenseNet } from '../src/infer/index.js';
import { checkChoice } from '../src/util/index.js';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
// ../shared next to the checkout (dist/bench/ is three folders down), or next to the folder of worktrees.
const ANCHOR =
  [
    process.env.CONFOUND_TORCH_ANCHOR,
    '../../../shared/anchors/torch_densenet_bench.py',
    '../../../../shared/anchors/torch_densenet_bench.py',
  ]
    .map((p) => (p && !p.startsWith('.') ? p : p && fileURLToPath(new URL(p, import.meta.url))))
    .find((p) => p && existsSync(p)) ??
  fileURLToPath(new URL('../../../shared/anchors/torch_densenet_bench.py', import.meta.url));
const SIZES = [128, 224];
const BATCH = 8;
const THREADS = 2;

interface Rates {
  train: number;
  infer: number;
  gradcam: number;
}

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  return i >= 0 && Number.isInteger(Number(args[i + 1])) ? Number(args[i + 1]) : fallback;
}

async function torchAvailable(): Promise<boolean> {
  if (!existsSync(ANCHOR)) return false;
  try {
    await run(PYTHON, ['-c', 'import torch, torchvision']);
    return true;
  } catch {
    return false;
  }
}

async function torchRates(size: number, steps: number): Promise<Rates> {
  const { stdout } = await run(
    PYTHON,
    [
      ANCHOR,
      '--size',
      String(size),
      '--channels',
      '1',
      '--batch',
      String(BATCH),
      '--steps',
      String(steps),
      '--threads',
      String(THREADS),
    ],
    { maxBuffer: 1 << 20 },
  );
  const r = JSON.parse(stdout.trim().split('\n').pop()!) as {
    train_img_s: number;
    infer_img_s: number;
    gradcam_ms: number;
  };
  return { train: r.train_img_s, infer: r.infer_img_s, gradcam: r.gradcam_ms };
}

/** onnxruntime inference img/s on densenet121 (seed-0 weights saved and exported), as measureThroughput times ours. */
async function onnxInferRate(size: number, steps: number): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'confound-bench-onnx-'));
  try {
    const file = join(dir, 'densenet121.safetensors');
    {
      using model = await Model.create({ arch: 'densenet121', seed: 0, threads: THREADS });
      await model.save(file);
    }
    const onnx = await OnnxDenseNet.load(file, { threads: THREADS });
    try {
      const images = Float32Array.from({ length: BATCH * size * size }, (_, i) => Math.sin(i * 0.37));
      const shape = { n: BATCH, height: size, width: size };
      await onnx.predict(images, shape);
      const t0 = performance.now();
      for (let s = 0; s < steps; s++) await onnx.predict(images, shape);
      return (BATCH * steps) / ((performance.now() - t0) / 1000);
    } finally {
      await onnx.dispose();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function ourRates(size: number, steps: number, precision: Precision): Promise<Rates> {
  const r = await measureThroughput({ arch: 'densenet121', size, batch: BATCH, steps, threads: THREADS, precision });
  return { train: r.train_img_s, infer: r.infer_img_s, gradcam: r.gradcam_ms };
}

const best = (a: Rates | undefined, b: Rates): Rates =>
  a
    ? { train: Math.max(a.train, b.train), infer: Math.max(a.infer, b.infer), gradcam: Math.min(a.gradcam, b.gradcam) }
    : b;

/** The CPU model, which of the vector extensions that matter here it has, and the load when measured. */
function cpuDescription(): Record<string, string | number> {
  let flags = new Set<string>();
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('flags'));
    flags = new Set((line ?? '').split(':')[1]?.trim().split(/\s+/) ?? []);
  } catch {
    /* not Linux */
  }
  const isa = ['avx2', 'avx512f', 'avx512_bf16', 'amx_bf16'].filter((f) => flags.has(f));
  return {
    cpu_model: cpus()[0]?.model ?? 'unknown',
    cpu_cores: cpus().length,
    cpu_isa: isa.join(' ') || 'unknown',
    onednn_max_isa: process.env.ONEDNN_MAX_CPU_ISA ?? process.env.DNNL_MAX_CPU_ISA ?? 'all',
    load_1min: Number(loadavg()[0].toFixed(2)),
  };
}

export async function bench(args: string[]): Promise<Record<string, number | string>> {
  const steps = option(args, '--steps', 5);
  const rounds = option(args, '--rounds', 1);
  // --precision=bf16 in one word: run.ts takes a bare word for a benchmark's name.
  const given = args.find((a) => a.startsWith('--precision='))?.slice('--precision='.length);
  const precision = checkChoice('--precision', given ?? 'fp32', PRECISIONS);
  const withTorch = await torchAvailable();
  const info = await engineInfo();
  const out: Record<string, number | string> = {
    ...cpuDescription(),
    engine_libtorch: info.libtorch,
    engine_cpu_kernels: info.cpu_kernels,
    engine_threads: THREADS,
    engine_precision: precision,
  };
  for (const size of SIZES) {
    let ours: Rates | undefined;
    let theirs: Rates | undefined;
    let onnx = 0;
    for (let r = 0; r < rounds; r++) {
      // Alternate which goes first, so a neighbour's load does not always fall on the same side.
      const order = r % 2 === 0 ? ['ours', 'torch'] : ['torch', 'ours'];
      for (const who of order) {
        if (who === 'ours') {
          ours = best(ours, await ourRates(size, steps, precision));
          onnx = Math.max(onnx, await onnxInferRate(size, steps));
        } else if (withTorch) theirs = best(theirs, await torchRates(size, steps));
      }
    }
    const suffix = size === 128 ? '' : `_${size}`;
    out[`train_img_s${suffix}`] = ours!.train;
    out[`infer_img_s${suffix}`] = ours!.infer;
    out[`gradcam_ms${suffix}`] = ours!.gradcam;
    out[`onnx_infer_img_s${suffix}`] = onnx;
    if (theirs) {
      out[`torch_train_img_s${suffix}`] = theirs.train;
      out[`torch_infer_img_s${suffix}`] = theirs.infer;
      out[`torch_gradcam_ms${suffix}`] = theirs.gradcam;
      out[`train_ratio${suffix}`] = ours!.train / theirs.train;
      out[`infer_ratio${suffix}`] = ours!.infer / theirs.infer;
      out[`onnx_infer_ratio${suffix}`] = onnx / theirs.infer;
    }
  }
  out.load_1min_after = Number(loadavg()[0].toFixed(2));
  if (!withTorch) out.torch = `unavailable (${PYTHON} without torch/torchvision, or ${ANCHOR} missing)`;
  return out;
}
