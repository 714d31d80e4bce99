/**
 * Training the box refiner, the verifier/categoriser and the L/R reader from images with true boxes (the
 * phantom's labels.coco.json). Candidates are collected once; the refiner is fitted on candidates that overlap
 * a true box, and each candidate is then labelled by the overlap of its refined box.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GrayImage } from '../../data/index.js';
import { readImage } from '../../data/index.js';
import { parseCoco } from '../formats/coco.js';
import type { LabelBox } from '../types.js';
import { groupCandidates, prepare } from './candidates.js';
import { boxFitFeatures, candidateFeatures, FEATURE_NAMES } from './features.js';
import { cropImage, glyphFeatures, GLYPH_FEATURE_NAMES, readerFeatures, READER_FEATURE_NAMES } from './glyph.js';
import { renderedMarkers } from './glyph-render.js';
import { fineCopy } from './working.js';
import type { Raster } from './morph.js';
import {
  contextFeatures,
  MAX_ELONGATION,
  refineBox,
  refinerOffsets,
  RESCORER_FEATURE_NAMES,
  type DetectorModel,
  type Rect,
} from './detector.js';
import { elongation } from './components.js';
import { mergeMlps, predict, trainMlp, type MlpWeights } from './mlp.js';
import { iou } from './evaluate.js';

export const VERIFIER_CLASSES = ['background', 'laterality', 'technologist'];
/**
 * The reader's letters (side.ts gives each its side): L, R, Spanish/Italian D (right), Spanish I (left). Not the
 * Italian S: with it, the letter reader took a few of the phantom's R markers for an S (left).
 */
export const READER_CLASSES = ['L', 'R', 'D', 'I'];
/** Rendered markers per letter (glyph-render.ts) added to the phantom's L/R markers to train the reader. */
export const RENDERED_PER_LETTER = 1500;
const LR_CLASSES = ['L', 'R'];
export const FITTER_CLASSES = ['miss', 'fit'];

interface Row {
  /** Index of the image in the training set (stage 2 sees the candidates of one image together). */
  image: number;
  features: number[];
  raw: Rect;
  holder: boolean;
  tab: boolean;
  truths: LabelBox[];
  /** Ruled out as a wire before the verifier. */
  wire: boolean;
  /** Glyph features of the full-resolution crop of the raw box. */
  crop: number[];
  /** How the raw box fits what it holds (boxFitFeatures). */
  fit: number[];
}

/** Reader training example: reader features of a marker's (jittered) true box and its letter. */
interface GlyphRow {
  features: number[];
  text: string;
}

export interface TrainingSet {
  rows: Row[];
  glyphs: GlyphRow[];
  images: number;
  truths: number;
}

/** Offsets (fractions of width/height: left, top, right, bottom) applied to true marker boxes for the reader. */
const GLYPH_JITTER: readonly (readonly [number, number, number, number])[] = [
  [0, 0, 0, 0],
  [0.08, 0.08, 0.08, 0.08],
  [-0.06, -0.06, -0.06, -0.06],
  [0.1, -0.05, -0.05, 0.1],
  [-0.05, 0.1, 0.1, -0.05],
];

export function emptyTrainingSet(): TrainingSet {
  return { rows: [], glyphs: [], images: 0, truths: 0 };
}

/** Add one image's candidates to the training set. */
export function addImage(set: TrainingSet, image: GrayImage, truths: readonly LabelBox[]): void {
  const w = prepare(image);
  const f = w.factor;
  const index = set.images++;
  set.truths += truths.length;
  for (const c of groupCandidates(w)) {
    const raw = { x: c.x0 * f, y: c.y0 * f, w: (c.x1 - c.x0 + 1) * f, h: (c.y1 - c.y0 + 1) * f };
    const near = truths.filter((t) => iou(raw, t) > 0);
    set.rows.push({
      image: index,
      features: candidateFeatures(w, c),
      raw,
      holder: Boolean(c.isHolder),
      tab: Boolean(c.isTab),
      truths: near,
      wire: c.members.some((m) => elongation(m).ratio > MAX_ELONGATION),
      crop: glyphFeatures(cropImage(w.fine, raw, w.fineFactor)),
      fit: boxFitFeatures(w, c),
    });
  }
  addGlyphs(set, w.fine, w.fineFactor, truths);
}

/** The reader's examples of one image: its L/R markers' true boxes, shifted as detected boxes are. */
function addGlyphs(set: TrainingSet, fine: Raster, fineFactor: number, truths: readonly LabelBox[]): void {
  // the reader sees detected boxes, which are off the true box by a few percent: train it on shifted copies too
  for (const t of truths) {
    if (t.category !== 'laterality' || (t.text !== 'L' && t.text !== 'R')) continue;
    for (const [l, u, r, d] of GLYPH_JITTER) {
      const box = { x: t.x - l * t.w, y: t.y - u * t.h, w: t.w * (1 + l + r), h: t.h * (1 + u + d) };
      set.glyphs.push({ features: readerFeatures(cropImage(fine, box, fineFactor)), text: t.text });
    }
  }
}

/** Add only the reader's examples of one image (for refitting the reader alone): the same as addImage adds. */
export function addImageGlyphs(set: TrainingSet, image: GrayImage, truths: readonly LabelBox[]): void {
  const { fine, fineFactor } = fineCopy(image);
  set.images++;
  set.truths += truths.length;
  addGlyphs(set, fine, fineFactor, truths);
}

/** Read a dataset with a COCO file of true boxes (paths relative to `dir`) into the training set. */
export async function addCocoDataset(
  set: TrainingSet,
  dir: string,
  cocoFile = join(dir, 'labels.coco.json'),
  onImage?: (done: number, total: number) => void,
  glyphsOnly = false,
): Promise<void> {
  let coco: { images: { file_name: string }[] };
  try {
    coco = JSON.parse(await readFile(cocoFile, 'utf8'));
  } catch (err) {
    throw new Error(`${cocoFile}: cannot read COCO truth (${(err as Error).message})`);
  }
  const boxes = parseCoco(coco, cocoFile);
  const byFile = new Map<string, LabelBox[]>();
  for (const b of boxes) (byFile.get(b.file) ?? byFile.set(b.file, []).get(b.file)!).push(b);
  const files = coco.images.map((im) => im.file_name.replace(/\\/g, '/'));
  for (let i = 0; i < files.length; i++) {
    (glyphsOnly ? addImageGlyphs : addImage)(set, await readImage(join(dir, files[i])), byFile.get(files[i]) ?? []);
    onImage?.(i + 1, files.length);
  }
}

const median = (a: number[]) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length ? s[s.length >> 1] : 0;
};

function best(box: Rect, truths: readonly LabelBox[]): { truth?: LabelBox; iou: number } {
  let truth: LabelBox | undefined,
    v = 0;
  for (const t of truths) {
    const u = iou(box, t);
    if (u > v) {
      v = u;
      truth = t;
    }
  }
  return { truth, iou: v };
}

/**
 * Fit the refiner, the L/R reader, and an ensemble of `members` verifiers, stage-2 rescorers and box-quality
 * heads (seeds seed .. seed + members - 1), each kind merged into one network that averages its members' logits.
 * Deterministic for a given seed, member count and training set.
 */
export function fitDetector(
  set: TrainingSet,
  seed: number,
  provenance: Record<string, unknown>,
  members = 1,
  renderedPerLetter = RENDERED_PER_LETTER,
): DetectorModel {
  // 1. box refiner: median offsets (fractions of the candidate's width/height) from candidate to its true box
  const offsets = (holder: boolean, tab: boolean) => {
    const rows = set.rows
      .filter((r) => r.holder === holder && r.tab === tab)
      .map((r) => ({ r, b: best(r.raw, r.truths) }))
      .filter((x) => x.b.truth)
      .filter((x) => x.b.iou >= 0.4);
    if (rows.length < 5) return [0, 0, 0, 0];
    return [0, 1, 2, 3].map(
      (k) =>
        Math.round(
          median(
            rows.map(({ r, b }) => {
              const t = b.truth!,
                c = r.raw;
              return [
                (c.x - t.x) / c.w,
                (c.y - t.y) / c.h,
                (t.x + t.w - c.x - c.w) / c.w,
                (t.y + t.h - c.y - c.h) / c.h,
              ][k];
            }),
          ) * 1e4,
        ) / 1e4,
    );
  };
  const refiner = { components: offsets(false, false), holders: offsets(true, false), tabs: offsets(true, true) };
  // 2. label candidates by their refined boxes
  const xs: number[][] = [],
    ys: number[] = [],
    used: Row[] = [];
  const reached = new Set<string>();
  const refined = (r: Row) => refineBox(r.raw, refinerOffsets({ refiner }, { isHolder: r.holder, isTab: r.tab }));
  for (const r of set.rows) {
    const b = best(refined(r), r.truths);
    let y: number;
    if (b.truth && b.iou >= 0.5) {
      y = VERIFIER_CLASSES.indexOf(b.truth.category);
      if (y < 0) continue;
      reached.add(`${b.truth.file}|${b.truth.x}|${b.truth.y}|${b.truth.w}|${b.truth.h}`);
    } else y = 0; // includes near misses (letters inside a tab, part of a word): the box must be the label's
    xs.push(r.features);
    ys.push(y);
    used.push(r);
  }
  const reachable = reached.size;
  if (!ys.some((y) => y > 0)) throw new Error('no candidate matched a true box: nothing to learn from');
  const fits = Array.from({ length: members }, (_, k) => fitMember({ xs, ys, used, refined }, seed + k));
  const fitted = fits.map((f) => f.weights);
  const { reader, lrReader, rows: glyphs } = fitReader(set, seed + 1, renderedPerLetter);
  const merged = (k: keyof MemberWeights) => mergeMlps(fitted.map((f) => f[k]));
  return {
    version: 1,
    trained: {
      ...provenance,
      seed,
      members,
      images: set.images,
      truths: set.truths,
      candidate_recall: Math.round((reachable / Math.max(set.truths, 1)) * 1e4) / 1e4,
      candidates: xs.length,
      positives: ys.filter((y) => y > 0).length,
      stage2_candidates: fits.map((f) => f.stage2Rows),
      stage2_positives: fits.map((f) => f.stage2Positives),
      glyphs,
      fitter_rows: fits.map((f) => f.fitterRows),
    },
    // the threshold is chosen on unseen validation seeds; scripts/train-detector.sh records the shipped weights' figures there
    verifier: merged('verifier'),
    rescorer: merged('rescorer'),
    fitter: merged('fitter'),
    rescoreFrom: RESCORE_FROM,
    reader,
    lrReader,
    refiner,
    minScore: MIN_SCORE,
    minReadConfidence: 0.6,
  };
}

/**
 * The readers, each one network (a merged one is less confident, and more markers fall below minReadConfidence
 * unread): the letter reader over the phantom's L/R markers and RENDERED_PER_LETTER rendered markers of each letter
 * (from `seed`), and the L/R reader over the phantom's markers alone (glyph features), which reads what the letter
 * reader takes for L or R.
 */
export function fitReader(
  set: TrainingSet,
  seed: number,
  renderedPerLetter = RENDERED_PER_LETTER,
): { reader: MlpWeights; lrReader: MlpWeights; rows: number } {
  if (set.glyphs.length < 4)
    throw new Error(`only ${set.glyphs.length} L/R markers found: not enough to train the reader`);
  const lrReader = trainMlp(
    set.glyphs.map((g) => g.features.slice(0, GLYPH_FEATURE_NAMES.length)),
    set.glyphs.map((g) => LR_CLASSES.indexOf(g.text)),
    LR_CLASSES,
    [...GLYPH_FEATURE_NAMES],
    { hidden: 8, epochs: 400, learningRate: 0.02, l2: 1e-4, seed },
  );
  const rendered = renderedMarkers(seed, renderedPerLetter, READER_CLASSES).map((m) => ({
    features: readerFeatures(m.crop),
    text: m.letter,
  }));
  const rows = [...set.glyphs, ...rendered];
  const reader = trainMlp(
    rows.map((g) => g.features),
    rows.map((g) => READER_CLASSES.indexOf(g.text)),
    READER_CLASSES,
    [...READER_FEATURE_NAMES],
    { hidden: 24, epochs: 400, learningRate: 0.02, l2: 1e-4, seed },
  );
  return { reader, lrReader, rows: rows.length };
}

/**
 * `base` with its reader refitted on `set` (addImageGlyphs rows) as fitDetector fits it with seed `seed` + 1:
 * from the same data, the reader fitDetector would make. `provenance` is recorded as trained.reader.
 */
export function refitReader(
  base: DetectorModel,
  set: TrainingSet,
  seed: number,
  provenance: Record<string, unknown>,
): DetectorModel {
  const { reader, lrReader, rows } = fitReader(set, seed + 1);
  return {
    ...base,
    lrReader,
    trained: { ...base.trained, glyphs: rows, reader: { ...provenance, seed, images: set.images, glyphs: rows } },
    reader,
  };
}

type MemberWeights = Pick<DetectorModel, 'verifier' | 'rescorer' | 'fitter'>;

/** The candidates' features and classes (by their refined boxes), shared by the members. */
interface Labelled {
  xs: number[][];
  ys: number[];
  used: Row[];
  refined: (r: Row) => Rect;
}

/**
 * One member of the ensemble, all its networks from one seed: the verifier, stage 2 (cross-fitted on the
 * verifier's out-of-fold scores) and the box-quality head.
 */
function fitMember(
  { xs, ys, used, refined }: Labelled,
  seed: number,
): { weights: MemberWeights; stage2Rows: number; stage2Positives: number; fitterRows: number } {
  const fit1 = (rows: number[], s: number) =>
    trainMlp(
      rows.map((i) => xs[i]),
      rows.map((i) => ys[i]),
      VERIFIER_CLASSES,
      [...FEATURE_NAMES],
      STAGE1(s),
    );
  const all = xs.map((_, i) => i);
  const verifier = fit1(all, seed);
  // stage 2 learns from stage-1 scores the way they come on unseen images: each half of the images is scored
  // by a verifier fitted on the other half (cross-fitting)
  const oof = new Array<number[]>(xs.length);
  for (const fold of [0, 1]) {
    const m: MlpWeights = fit1(
      all.filter((i) => used[i].image % 2 !== fold),
      seed + 10 + fold,
    );
    for (const i of all) if (used[i].image % 2 === fold) oof[i] = used[i].wire ? [1, 0, 0] : predict(m, xs[i]);
  }
  const byImage = new Map<number, number[]>();
  for (const i of all)
    if (1 - oof[i][0] >= RESCORE_FROM)
      (byImage.get(used[i].image) ?? byImage.set(used[i].image, []).get(used[i].image)!).push(i);
  const x2: number[][] = [],
    y2: number[] = [],
    q2: number[] = [];
  for (const rows of byImage.values()) {
    const ctx = contextFeatures(
      rows.map((i) => ({ box: refined(used[i]), probs: oof[i], holder: used[i].holder, tab: used[i].tab })),
    );
    rows.forEach((i, k) => {
      x2.push([...xs[i], ...ctx[k], ...used[i].crop, ...used[i].fit]);
      y2.push(ys[i]);
      q2.push(best(refined(used[i]), used[i].truths).iou);
    });
  }
  const rescorer = trainMlp(x2, y2, VERIFIER_CLASSES, [...RESCORER_FEATURE_NAMES], { ...STAGE1(seed + 2), hidden: 32 });
  // box quality: the IoU of the refined box with the label it lies on (soft target [1 - IoU, IoU]), learnt on the
  // boxes that overlap a label, so that among overlapping boxes of one label the best-fitting one wins suppression
  const onLabel = q2.map((q, k) => (q > 0 ? k : -1)).filter((k) => k >= 0);
  const fitter = trainMlp(
    onLabel.map((k) => x2[k]),
    onLabel.map((k) => [1 - q2[k], q2[k]]),
    FITTER_CLASSES,
    [...RESCORER_FEATURE_NAMES],
    { ...STAGE1(seed + 3), hidden: 32 },
  );
  return {
    weights: { verifier, rescorer, fitter },
    stage2Rows: x2.length,
    stage2Positives: y2.filter((y) => y > 0).length,
    fitterRows: onLabel.length,
  };
}

/** Stage-1 score from which candidates go to stage 2, and the default final score threshold. */
const RESCORE_FROM = 0.3,
  MIN_SCORE = 0.5;

/** Mini-batch Adam for the verifiers: 40 passes of 256-row steps. */
const STAGE1 = (seed: number) => ({ hidden: 24, epochs: 40, batchSize: 256, learningRate: 0.003, l2: 1e-4, seed });
