import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeGrayPng } from '../../src/data/image.js';
import { Rng } from '../../src/util/rng.js';

/** Where the test images carry their "label": a bright patch in the top-left corner (image pixels). */
export const LABEL_BOX = { x: 4, y: 4, w: 16, h: 16 };
/** The central anatomy region the anatomy-only model reads. */
export const ANATOMY = { x: 24, y: 24, w: 16, h: 16 };

/**
 * A small labelled dataset (manifest.csv + boxes.csv) of size x size 8-bit images: noisy background, a central
 * "anatomy" disc a little brighter in abnormal images, and a corner label patch whose brightness gives the
 * label away (bright for abnormal, dim for normal) — the shortcut a model can learn.
 */
export async function makeAuditData(dir: string, n = 24, size = 64, seed = 1): Promise<{ manifest: string; boxes: string }> {
  await mkdir(join(dir, 'img'), { recursive: true });
  const rng = new Rng(seed);
  const rows = ['path,label,patient'];
  const boxRows = ['path,x,y,w,h,category'];
  const s = size / 64;
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const data = new Float32Array(size * size);
    const cx = size / 2, cy = size / 2, r = 13 * s;
    const anatomy = 0.45 + 0.2 * label + rng.normal(0, 0.08);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const inDisc = (x - cx) ** 2 + (y - cy) ** 2 < r * r;
        data[y * size + x] = Math.min(1, Math.max(0, (inDisc ? anatomy : 0.15) + rng.normal(0, 0.03)));
      }
    }
    const patch = label ? 0.95 : 0.55;
    const b = { x: LABEL_BOX.x * s, y: LABEL_BOX.y * s, w: LABEL_BOX.w * s, h: LABEL_BOX.h * s };
    for (let y = b.y; y < b.y + b.h; y++) for (let x = b.x; x < b.x + b.w; x++) data[y * size + x] = patch + rng.normal(0, 0.02);
    const name = `img/case${String(i).padStart(3, '0')}.png`;
    await writeGrayPng(join(dir, name), { width: size, height: size, data, bits: 8 });
    rows.push(`${name},${label},p${i}`);
    boxRows.push(`${name},${b.x},${b.y},${b.w},${b.h},laterality`);
  }
  const manifest = join(dir, 'manifest.csv');
  const boxes = join(dir, 'boxes.csv');
  await writeFile(manifest, rows.join('\n') + '\n');
  await writeFile(boxes, boxRows.join('\n') + '\n');
  return { manifest, boxes };
}
