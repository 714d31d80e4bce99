import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { encodeGrayPng } from '../src/data/image.js';
import { readImage } from '../src/data/read-image.js';
import type { ImageRecord } from '../src/data/types.js';
import { detectDataset, detectLabels, loadDetectorModel } from '../src/labels/detect/index.js';
import { defaultDetectThreads } from '../src/labels/detect/run.js';
import { renderImage, renderSpecFor, resolveOptions, sampleMetadata } from '../src/synth/index.js';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadDataset } from '../src/data/index.js';
import type { DetectorModel } from '../src/labels/detect/index.js';

/** The real development set, when it lies beside the checkout (or beside its folder of worktrees). */
function realDev(): string | undefined {
  const repo = fileURLToPath(new URL('../..', import.meta.url));
  return [process.env.CONFOUND_REAL_DEV, join(repo, '../shared/real-dev'), join(repo, '../../shared/real-dev')].find(
    (d): d is string => Boolean(d) && existsSync(join(d!, 'boxes.csv')),
  );
}

/**
 * The real development set end to end (26 chest films, mixed sizes up to 2,500 px, JPEG and PNG): decode and
 * detect as `confound detect` runs it (the calling thread and a worker per further core, at most 8), 4 passes, and
 * the same on one thread with the CPU time per image.
 */
async function benchRealDev(model: DetectorModel): Promise<Record<string, number>> {
  const dir = realDev();
  if (!dir) return {};
  const ds = await loadDataset(dir);
  await detectDataset(ds.records.slice(0, 2), model, {}, undefined, 1); // warm up the JIT
  const passes = 4;
  const n = passes * ds.records.length;
  const t0 = performance.now();
  for (let p = 0; p < passes; p++) await detectDataset(ds.records, model);
  const wall = (performance.now() - t0) / 1000;
  const t1 = performance.now(),
    cpu0 = process.cpuUsage();
  for (let p = 0; p < passes; p++) await detectDataset(ds.records, model, {}, undefined, 1);
  const cpu = process.cpuUsage(cpu0);
  const wall1 = (performance.now() - t1) / 1000;
  return {
    detect_real_dev_images: ds.records.length,
    detect_real_dev_threads: defaultDetectThreads(ds.records.length),
    detect_real_dev_images_per_s: Math.round((n / wall) * 10) / 10,
    detect_real_dev_images_per_s_1thread: Math.round((n / wall1) * 10) / 10,
    detect_real_dev_cpu_ms_per_image: Math.round(((cpu.user + cpu.system) / 1000 / n) * 10) / 10,
  };
}

const DISTINCT = 8;
/** 256 images: a worker's start (its imports, then its first images while the JIT warms) is paid once per dataset. */
const PASSES = 32;
const SIDE = 1024;

/**
 * Label detector throughput on 1024 x 1024 8-bit PNGs (phantoms rendered at 512 and upscaled): whole pipeline
 * (decode + detect) as `confound detect` runs it (the calling thread and a worker per further core, the workers'
 * start included) and on one thread (images decoded ahead), the CPU time per image of the one-thread run, and
 * detection alone on decoded images.
 */
export async function bench(): Promise<Record<string, number>> {
  const dir = await mkdtemp(join(tmpdir(), 'confound-bench-detect-'));
  try {
    const model = loadDetectorModel();
    const meta = sampleMetadata(resolveOptions({ studies: DISTINCT, seed: 5150, size: 512 }));
    const records: ImageRecord[] = [];
    for (const study of meta.studies) {
      const im = study.images[0];
      const png = await encodeGrayPng(renderImage(renderSpecFor(study, im, 512)).image, 8);
      // single-channel 8-bit PNGs, as radiographs are (sharp writes RGB unless told the colourspace)
      const big = await sharp(png).resize(SIDE, SIDE).toColourspace('b-w').png().toBuffer();
      const id = `img${records.length}.png`;
      await writeFile(join(dir, id), big);
      records.push({ id, path: join(dir, id), patient: id, study: id });
    }
    const all = Array.from({ length: PASSES }, () => records).flat();
    await detectDataset(records.slice(0, 2), model, {}, undefined, 1); // warm up the JIT
    const threads = defaultDetectThreads(all.length);
    const t0 = performance.now();
    const res = await detectDataset(all, model);
    const pipeline = all.length / ((performance.now() - t0) / 1000);
    const t1 = performance.now(),
      cpu0 = process.cpuUsage();
    const one = await detectDataset(all, model, {}, undefined, 1);
    const single = all.length / ((performance.now() - t1) / 1000);
    // CPU time of the whole process (decode threads included): on a shared machine wall-clock speed depends on
    // the load, this does much less
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000 / all.length;
    if (JSON.stringify(one.boxes) !== JSON.stringify(res.boxes))
      throw new Error('worker threads and one thread found different boxes');
    const decoded = await Promise.all(records.map((r) => readImage(r.path)));
    const t2 = performance.now();
    for (let p = 0; p < PASSES; p++) for (const img of decoded) detectLabels(img, 'x', model);
    const detectMs = (performance.now() - t2) / (PASSES * decoded.length);
    return {
      detect_images_per_s_1024: Math.round(pipeline * 10) / 10,
      detect_threads: threads,
      detect_images_per_s_1024_1thread: Math.round(single * 10) / 10,
      detect_cpu_ms_per_image_1024: Math.round(cpuMs * 10) / 10,
      detect_ms_per_image_1024_decoded: Math.round(detectMs * 10) / 10,
      detect_boxes_per_image: Math.round((res.boxes.length / all.length) * 100) / 100,
      ...(await benchRealDev(model)),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
