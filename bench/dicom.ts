import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import sharp from 'sharp';
import { readImage } from '../src/data/read-image.js';
import { derivedUid, grayDataset, writeNaturalDataset } from '../src/data/dicom/write.js';
import { renderImage, renderSpecFor, resolveOptions, sampleMetadata } from '../src/synth/index.js';

const COLS = 2048,
  ROWS = 2500,
  DISTINCT = 6,
  PASSES = 20;

/**
 * DICOM decoding throughput: 2,048 x 2,500 16-bit radiographs (phantoms upscaled, with 6 bits of noise as a
 * detector's) in JPEG lossless SV1 made by gdcmconv, read and decoded to [0, 1] as every command reads them:
 * on one thread, and on two worker threads (the project's 2-core target: 30 images/s), in steady state and with the
 * threads' start (imports, one warm-up decode each) included.
 */
export async function bench(): Promise<Record<string, number>> {
  const dir = await mkdtemp(join(tmpdir(), 'confound-bench-dicom-'));
  try {
    const meta = sampleMetadata(resolveOptions({ studies: DISTINCT, seed: 4242, size: 512 }));
    const paths: string[] = [];
    for (const study of meta.studies) {
      const small = renderImage(renderSpecFor(study, study.images[0], 512)).image;
      const u16 = Uint16Array.from(small.data, (v) => Math.round(v * 65535));
      const big = await sharp(u16, { raw: { width: 512, height: 512, channels: 1 } })
        .resize(COLS, ROWS)
        .raw({ depth: 'ushort' })
        .toBuffer();
      const words = new Uint16Array(big.buffer, big.byteOffset, COLS * ROWS);
      const data = new Float32Array(COLS * ROWS);
      let s = paths.length + 1;
      for (let i = 0; i < data.length; i++) {
        s = (s * 1103515245 + 12345) >>> 0;
        data[i] = Math.min(1, (words[i] + ((s >>> 16) & 63)) / 65535);
      }
      const raw = join(dir, `raw${paths.length}.dcm`);
      const name = `img${paths.length}.dcm`;
      await writeFile(
        raw,
        writeNaturalDataset(
          grayDataset({ width: COLS, height: ROWS, data }, 16, {
            SOPInstanceUID: derivedUid('bench', name),
            Modality: 'DX',
          }),
        ),
      );
      execFileSync('gdcmconv', ['--jpeg', raw, join(dir, name)]);
      paths.push(join(dir, name));
    }
    const all = Array.from({ length: PASSES }, () => paths).flat();
    await readImage(paths[0]); // warm up the JIT
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (const p of all) await readImage(p);
    const one = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    // Two threads: timed from their start (imports and a warm-up decode each included), and in steady state, from
    // the moment both are warm (as the one-thread figure, whose warm-up is outside its timing).
    const t1 = performance.now();
    let t2 = 0;
    await new Promise<void>((resolve, reject) => {
      const workers = [0, 1].map(
        (k) =>
          new Worker(new URL('./dicom-worker.js', import.meta.url), { workerData: all.filter((_, i) => i % 2 === k) }),
      );
      let ready = 0,
        done = 0;
      for (const w of workers) {
        w.on('error', reject);
        w.on('message', (m: string) => {
          if (m === 'ready' && ++ready === workers.length) {
            t2 = performance.now();
            for (const x of workers) x.postMessage('go');
          }
          if (m === 'done' && ++done === workers.length) {
            resolve();
            for (const x of workers) void x.terminate();
          }
        });
      }
    });
    const end = performance.now();
    const two = (end - t2) / 1000;
    const twoWithStart = (end - t1) / 1000;
    return {
      dicom_jpeg_lossless_16bit_images_per_s_1_thread: all.length / one,
      dicom_jpeg_lossless_16bit_cpu_ms_per_image: (cpu.user + cpu.system) / 1000 / all.length,
      dicom_jpeg_lossless_16bit_images_per_s_2_threads: all.length / two,
      dicom_jpeg_lossless_16bit_images_per_s_2_threads_with_start: all.length / twoWithStart,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
