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
export async function makeAuditData(
  dir: string,
  n = 24,
  size = 64,
  seed = 1,
  label: 'bright' | 'striped' = 'bright',
): Promise<{ manifest: string; boxes: string }> {
  await mkdir(join(dir, 'img'), { recursive: true });
  const rng = new Rng(seed);
  const rows = ['path,label,patient'];
  const boxRows = ['path,x,y,w,h,category'];
  const s = size / 64;
  for (let i = 0; i < n; i++) {
    const cls = i % 2;
    const data = new Float32Array(size * size);
    const cx = size / 2,
      cy = size / 2,
      r = 13 * s;
    const anatomy = 0.45 + 0.2 * cls + rng.normal(0, 0.08);
    const background = 0.15;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const inDisc = (x - cx) ** 2 + (y - cy) ** 2 < r * r;
        data[y * size + x] = Math.min(1, Math.max(0, (inDisc ? anatomy : background) + rng.normal(0, 0.03)));
      }
    }
    const b = { x: LABEL_BOX.x * s, y: LABEL_BOX.y * s, w: LABEL_BOX.w * s, h: LABEL_BOX.h * s };
    for (let y = b.y; y < b.y + b.h; y++) {
      for (let x = b.x; x < b.x + b.w; x++) {
        // bright: the patch's brightness tells the class. striped: thin bright strokes (1 px of 0.9 in 6, like a
        // lead marker's), vertical for abnormal, horizontal for normal, at the background's mean brightness (0.15),
        // so covering the label takes away no more brightness than covering background does.
        const v = label === 'bright' ? (cls ? 0.95 : 0.55) : (cls ? x - b.x : y - b.y) % 6 === 2 ? 0.9 : 0;
        data[y * size + x] = Math.max(0, v + rng.normal(0, 0.02));
      }
    }
    const name = `img/case${String(i).padStart(3, '0')}.png`;
    await writeGrayPng(join(dir, name), { width: size, height: size, data, bits: 8 });
    rows.push(`${name},${cls},p${i}`);
    boxRows.push(`${name},${b.x},${b.y},${b.w},${b.h},laterality`);
  }
  const manifest = join(dir, 'manifest.csv');
  const boxes = join(dir, 'boxes.csv');
  await writeFile(manifest, rows.join('\n') + '\n');
  await writeFile(boxes, boxRows.join('\n') + '\n');
  return { manifest, boxes };
}

/** The over-anatomy phantom: image side, the anatomy disc, and the label box side. */
export const OVER = { size: 96, cx: 48, cy: 48, r: 30, box: 10 } as const;

/**
 * A dataset whose label sits over the anatomy and carries no information about the label: the central disc is
 * a little brighter in abnormal images; a 10 x 10 label (a checkerboard of 0.95 and 0.15 strokes, mean 0.55, the
 * anatomy's own mean brightness) sits at a random place on the disc in every image, whatever its class.
 */
export async function makeOverAnatomyData(dir: string, n = 40, seed = 2): Promise<{ manifest: string; boxes: string }> {
  await mkdir(join(dir, 'img'), { recursive: true });
  const rng = new Rng(seed);
  const { size, cx, cy, r, box } = OVER;
  const rows = ['path,label,patient'];
  const boxRows = ['path,x,y,w,h,category'];
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const data = new Float32Array(size * size);
    const anatomy = 0.45 + 0.2 * label + rng.normal(0, 0.08);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const inDisc = (x - cx) ** 2 + (y - cy) ** 2 < r * r;
        data[y * size + x] = Math.min(1, Math.max(0, (inDisc ? anatomy : 0.15) + rng.normal(0, 0.03)));
      }
    }
    const angle = rng.uniform(0, 2 * Math.PI),
      dist = rng.uniform(0, 14);
    const bx = Math.round(cx + dist * Math.cos(angle) - box / 2),
      by = Math.round(cy + dist * Math.sin(angle) - box / 2);
    for (let y = by; y < by + box; y++) {
      for (let x = bx; x < bx + box; x++) data[y * size + x] = ((x >> 1) + (y >> 1)) % 2 ? 0.95 : 0.15;
    }
    const name = `img/over${String(i).padStart(3, '0')}.png`;
    await writeGrayPng(join(dir, name), { width: size, height: size, data, bits: 8 });
    rows.push(`${name},${label},p${i}`);
    boxRows.push(`${name},${bx},${by},${box},${box},laterality`);
  }
  const manifest = join(dir, 'manifest.csv');
  const boxes = join(dir, 'boxes.csv');
  await writeFile(manifest, rows.join('\n') + '\n');
  await writeFile(boxes, boxRows.join('\n') + '\n');
  return { manifest, boxes };
}

/** Logistic regression on one feature by Newton's method: p = sigmoid(a x + b). */
export function fitLogistic(x: readonly number[], y: readonly number[]): { a: number; b: number } {
  let a = 0,
    b = 0;
  for (let it = 0; it < 50; it++) {
    let ga = 0,
      gb = 0,
      haa = 0,
      hab = 0,
      hbb = 0;
    for (let i = 0; i < x.length; i++) {
      const p = 1 / (1 + Math.exp(-(a * x[i] + b)));
      const w = p * (1 - p) + 1e-9;
      ga += (y[i] - p) * x[i];
      gb += y[i] - p;
      haa += w * x[i] * x[i];
      hab += w * x[i];
      hbb += w;
    }
    // A small ridge keeps the fit finite if the classes separate.
    haa += 1e-3;
    ga -= 1e-3 * a;
    const det = haa * hbb - hab * hab;
    const da = (hbb * ga - hab * gb) / det,
      db = (haa * gb - hab * ga) / det;
    a += da;
    b += db;
    if (Math.abs(da) + Math.abs(db) < 1e-10) break;
  }
  return { a, b };
}
