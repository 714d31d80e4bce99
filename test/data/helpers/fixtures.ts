import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { encodeGrayPng, type GrayImage } from '../../../src/data/image.js';

export async function tempDir(prefix = 'confound-data-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** A small gradient image, different per seed value so files are distinguishable. */
export function gradient(width: number, height: number, k = 1, bits: 8 | 16 = 8): GrayImage {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = ((x * k + y * 3) % 97) / 96;
  return { width, height, data, bits };
}

export async function writePng(path: string, img: GrayImage = gradient(8, 6)): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, await encodeGrayPng(img));
}

export async function writeText(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

/** A MURA-shaped tree: 2 parts x 2 patients x 1 study x 2 images in train, 1 patient in valid. */
export async function makeMura(root: string, withCsv: boolean): Promise<string[]> {
  const rel: string[] = [];
  let k = 1;
  for (const part of ['XR_WRIST', 'XR_HAND'])
    for (const p of ['patient00001', 'patient00002']) {
      const study = p.endsWith('1') ? 'study1_positive' : 'study1_negative';
      for (const img of ['image1.png', 'image2.png']) rel.push(`train/${part}/${p}/${study}/${img}`);
    }
  rel.push('valid/XR_WRIST/patient11185/study1_negative/image1.png');
  for (const r of rel) await writePng(join(root, r), gradient(8, 6, k++));
  if (withCsv) {
    const name = root.split('/').pop()!;
    const train =
      rel
        .filter((r) => r.startsWith('train/'))
        .map((r) => `${name}/${r}`)
        .join('\n') + '\n';
    // valid list uses paths relative to the dataset folder itself: both must be accepted.
    const valid = rel.filter((r) => r.startsWith('valid/')).join('\n') + '\n';
    await writeText(join(root, 'train_image_paths.csv'), train);
    await writeText(join(root, 'valid_image_paths.csv'), valid);
  }
  return rel;
}
