/**
 * Training the box refiner, the verifier/categoriser and the L/R reader from images with true boxes (the
 * phantom's labels.coco.json). Candidates are collected once; the refiner is fitted on candidates that overlap
 * a true box, and each candidate is then labelled by the overlap of its refined box.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GrayImage } from '../../data/image.js';
import { readImage } from '../../data/read-image.js';
import { parseCoco } from '../formats/coco.js';
import type { LabelBox } from '../types.js';
import { groupCandidates, prepare } from './candidates.js';
import { candidateFeatures, FEATURE_NAMES } from './features.js';
import { glyphFeatures, GLYPH_FEATURE_NAMES } from './glyph.js';
import { trainMlp } from './mlp.js';
import { refineBox, type DetectorModel, type Rect } from './detector.js';
import { iou } from './evaluate.js';

export const VERIFIER_CLASSES = ['background', 'laterality', 'technologist'];
export const READER_CLASSES = ['L', 'R'];

interface Row { features: number[]; raw: Rect; holder: boolean; truths: LabelBox[]; glyph?: number[] }

export interface TrainingSet { rows: Row[]; images: number; truths: number }

export function emptyTrainingSet(): TrainingSet { return { rows: [], images: 0, truths: 0 }; }

/** Add one image's candidates to the training set. */
export function addImage(set: TrainingSet, image: GrayImage, truths: readonly LabelBox[]): void {
  const w = prepare(image);
  const f = w.factor;
  set.images++;
  set.truths += truths.length;
  for (const c of groupCandidates(w)) {
    const raw = { x: c.x0 * f, y: c.y0 * f, w: (c.x1 - c.x0 + 1) * f, h: (c.y1 - c.y0 + 1) * f };
    const near = truths.filter((t) => iou(raw, t) > 0);
    const row: Row = { features: candidateFeatures(w, c), raw, holder: Boolean(c.isHolder), truths: near };
    if (near.some((t) => t.category === 'laterality' && iou(raw, t) >= 0.15)) row.glyph = glyphFeatures(w, c);
    set.rows.push(row);
  }
}

/** Read a dataset with a COCO file of true boxes (paths relative to `dir`) into the training set. */
export async function addCocoDataset(set: TrainingSet, dir: string, cocoFile = join(dir, 'labels.coco.json'),
  onImage?: (done: number, total: number) => void): Promise<void> {
  let coco: { images: { file_name: string }[] };
  try { coco = JSON.parse(await readFile(cocoFile, 'utf8')); } catch (err) {
    throw new Error(`${cocoFile}: cannot read COCO truth (${(err as Error).message})`);
  }
  const boxes = parseCoco(coco, cocoFile);
  const byFile = new Map<string, LabelBox[]>();
  for (const b of boxes) (byFile.get(b.file) ?? byFile.set(b.file, []).get(b.file)!).push(b);
  const files = coco.images.map((im) => im.file_name.replace(/\\/g, '/'));
  for (let i = 0; i < files.length; i++) {
    addImage(set, await readImage(join(dir, files[i])), byFile.get(files[i]) ?? []);
    onImage?.(i + 1, files.length);
  }
}

const median = (a: number[]) => { const s = [...a].sort((x, y) => x - y); return s.length ? s[s.length >> 1] : 0; };

function best(box: Rect, truths: readonly LabelBox[]): { truth?: LabelBox; iou: number } {
  let truth: LabelBox | undefined, v = 0;
  for (const t of truths) { const u = iou(box, t); if (u > v) { v = u; truth = t; } }
  return { truth, iou: v };
}

/** Fit the refiner, verifier and reader. Deterministic for a given seed and training set. */
export function fitDetector(set: TrainingSet, seed: number, provenance: Record<string, unknown>): DetectorModel {
  // 1. box refiner: median offsets (fractions of the candidate's width/height) from candidate to its true box
  const offsets = (holder: boolean) => {
    const rows = set.rows.filter((r) => r.holder === holder).map((r) => ({ r, b: best(r.raw, r.truths) })).filter((x) => x.b.truth)
      .filter((x) => x.b.iou >= 0.4);
    if (rows.length < 5) return [0, 0, 0, 0];
    return [0, 1, 2, 3].map((k) => Math.round(median(rows.map(({ r, b }) => {
      const t = b.truth!, c = r.raw;
      return [(c.x - t.x) / c.w, (c.y - t.y) / c.h, (t.x + t.w - c.x - c.w) / c.w, (t.y + t.h - c.y - c.h) / c.h][k];
    })) * 1e4) / 1e4);
  };
  const refiner = { components: offsets(false), holders: offsets(true) };
  // 2. label candidates by their refined boxes
  const xs: number[][] = [], ys: number[] = [], gx: number[][] = [], gy: number[] = [];
  const reached = new Set<string>();
  for (const r of set.rows) {
    const b = best(refineBox(r.raw, r.holder ? refiner.holders : refiner.components), r.truths);
    let y: number;
    if (b.truth && b.iou >= 0.5) {
      y = VERIFIER_CLASSES.indexOf(b.truth.category);
      if (y < 0) continue;
      reached.add(`${b.truth.file}|${b.truth.x}|${b.truth.y}|${b.truth.w}|${b.truth.h}`);
      if (r.glyph && b.truth.category === 'laterality' && (b.truth.text === 'L' || b.truth.text === 'R')) {
        gx.push(r.glyph); gy.push(READER_CLASSES.indexOf(b.truth.text));
      }
    } else y = 0; // includes near misses (letters inside a tab, part of a word): the box must be the label's
    xs.push(r.features); ys.push(y);
  }
  const reachable = reached.size;
  if (!ys.some((y) => y > 0)) throw new Error('no candidate matched a true box: nothing to learn from');
  const verifier = trainMlp(xs, ys, VERIFIER_CLASSES, [...FEATURE_NAMES], { hidden: 24, epochs: 600, learningRate: 0.02, l2: 1e-4, seed });
  if (gy.length < 4) throw new Error(`only ${gy.length} L/R markers found: not enough to train the reader`);
  const reader = trainMlp(gx, gy, READER_CLASSES, [...GLYPH_FEATURE_NAMES], { hidden: 8, epochs: 400, learningRate: 0.02, l2: 1e-4, seed: seed + 1 });
  return {
    version: 1,
    trained: { ...provenance, seed, images: set.images, truths: set.truths, candidate_recall: Math.round((reachable / Math.max(set.truths, 1)) * 1e4) / 1e4,
      candidates: xs.length, positives: ys.filter((y) => y > 0).length, glyphs: gx.length },
    // a high default threshold: on unseen phantoms it trades little recall for much precision
    verifier, reader, refiner, minScore: 0.95, minReadConfidence: 0.6,
  };
}
