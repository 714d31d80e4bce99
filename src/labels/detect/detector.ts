/**
 * The detector: candidate stage on a working copy, a learned verifier/categoriser (stage 1), a second learned
 * stage that rescores the likely candidates seeing their overlapping alternatives and the full-resolution crop,
 * non-maximum suppression, and L/R reading.
 */
import { readFileSync } from 'node:fs';
import type { GrayImage } from '../../data/index.js';
import type { LabelBox, LabelCategory } from '../types.js';
import { boxOf, groupCandidates, prepare, type Candidate, type Working } from './candidates.js';
import { REAL_FILM_SIDE } from './working.js';
import { BOX_FEATURE_NAMES, boxFitFeatures, candidateFeatures, FEATURE_NAMES } from './features.js';
import { cropImage, glyphFeatures, GLYPH_FEATURE_NAMES } from './glyph.js';
import { readBox, takesReaderFeatures } from './reader.js';
import { predict, type MlpWeights } from './mlp.js';
import { closeLabelPool, elongation, openLabelPool } from './components.js';
import { readMarkerStyle, type DetectedMarkerStyle } from './marker-style.js';
import { readInitials } from './initials.js';
import { coveredArea, coveredShare } from './coverage.js';
import { findOverlayText, groupGlyphRects, overlayCopies, type OverlayBlock } from './overlay.js';
import { dropFlatCovers } from './flat-cover.js';
import { findEdgedText, type EdgedBlock } from './edged.js';
import { addPlateMarkers } from './plate-marker.js';
import { findGroundText } from './ground-text.js';
import { upsample, upsampleFactor } from './upsample.js';
import { extendLines } from './line-extend.js';

/** Principal-axis ratio above which a component is a wire or an edge, never a glyph (an "I" is about 5). */
export const MAX_ELONGATION = 10;

export interface DetectorModel {
  version: 1;
  /** How the weights were made (command, seeds, counts): provenance, not used at run time. */
  trained: Record<string, unknown>;
  /** Verifier/categoriser over candidate features; classes background, laterality, technologist. */
  verifier: MlpWeights;
  /**
   * Stage 2, over candidates whose stage-1 score reaches `rescoreFrom`: candidate features, context features
   * (the alternatives that enclose it, that it encloses, that overlap it) and the crop's glyph features; same classes.
   */
  rescorer: MlpWeights;
  /**
   * Box quality over stage 2's features: the predicted IoU of a candidate's refined box with the label it lies on
   * (class "fit"; classes miss, fit). Suppression ranks overlapping boxes by score times quality.
   */
  fitter: MlpWeights;
  rescoreFrom: number;
  /** Marker reader over glyph features; classes are letters (L, R; newer weights also D, I), each with a side (side.ts). */
  reader: MlpWeights;
  /** With a letter reader of D, I, S too: the L/R reader (glyph features) that reads what it takes for L or R (reader.ts). */
  lrReader?: MlpWeights;
  /**
   * Median offsets (fractions of width/height) from a candidate's box to the label's, left, top, right, bottom:
   * for boxes around components (letters, frames) and for holder boxes found around letters.
   */
  refiner: { components: number[]; holders: number[]; tabs: number[] };
  /** Default score threshold. */
  minScore: number;
  /** Reader confidence below which the reading is "unknown". */
  minReadConfidence: number;
}

export interface DetectedBox extends LabelBox {
  score: number;
  /** Probability of the chosen category given that the box is a label. */
  categoryScore: number;
  /** Laterality markers: how the marker is drawn (plain, box, circle, tab). */
  style?: DetectedMarkerStyle;
  /** Laterality markers read: the letter read (L, R, D, I, S), whose side is `text`. */
  glyph?: string;
}

export const DEFAULT_MODEL_URL = new URL('../../../../models/detector.json', import.meta.url);

/** Load detector weights (default: the shipped models/detector.json). */
export function loadDetectorModel(path: string | URL = DEFAULT_MODEL_URL): DetectorModel {
  let m: DetectorModel;
  try {
    m = JSON.parse(readFileSync(path, 'utf8')) as DetectorModel;
  } catch (err) {
    throw new Error(
      `${String(path)}: cannot read detector weights (${(err as Error).message}); run \`confound detect-train\` to make them`,
    );
  }
  if (
    m.version !== 1 ||
    m.verifier?.features?.join() !== FEATURE_NAMES.join() ||
    (m.reader?.features?.join() !== GLYPH_FEATURE_NAMES.join() && !(m.reader && takesReaderFeatures(m.reader))) ||
    (m.lrReader && m.lrReader.features?.join() !== GLYPH_FEATURE_NAMES.join()) ||
    m.rescorer?.features?.join() !== RESCORER_FEATURE_NAMES.join() ||
    m.fitter?.features?.join() !== RESCORER_FEATURE_NAMES.join()
  ) {
    throw new Error(
      `${String(path)}: detector weights do not match this version's features; retrain with \`confound detect-train\``,
    );
  }
  return m;
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Apply offsets (fractions of width/height: left, top, right, bottom) to a box (any coordinate frame). */
export function refineBox(b: Rect, offsets: readonly number[]): Rect {
  const [l, t, r, d] = offsets;
  const w = Math.max(1, b.w * (1 + l + r)),
    h = Math.max(1, b.h * (1 + t + d));
  return { x: b.x - l * b.w, y: b.y - t * b.h, w, h };
}

/** The refiner's offsets for a candidate's kind of box. */
export function refinerOffsets(
  model: Pick<DetectorModel, 'refiner'>,
  c: { isHolder?: boolean; isTab?: boolean },
): number[] {
  return c.isTab ? model.refiner.tabs : c.isHolder ? model.refiner.holders : model.refiner.components;
}

export interface ScoredCandidate {
  cand: Candidate;
  box: Rect;
  probs: number[];
  score: number;
  features: number[];
  /** Stage 2's predicted IoU of the box with its label (absent before stage 2). */
  quality?: number;
}

const isWire = (m: Candidate['members'][number]) => elongation(m).ratio > MAX_ELONGATION;

/** Score every candidate (stage 1) and refine its box (in working pixels). */
export function scoreCandidates(w: Working, cands: Candidate[], model: DetectorModel): ScoredCandidate[] {
  const out: ScoredCandidate[] = [];
  for (const cand of cands) {
    // a member thinner than any letter stroke run (a wire, a plate edge) rules the candidate out (and it never
    // reaches stage 2, so its features are not needed)
    const wire = cand.members.some(isWire);
    const features = wire ? [] : candidateFeatures(w, cand);
    const probs = wire ? [1, 0, 0] : predict(model.verifier, features);
    const raw = { x: cand.x0, y: cand.y0, w: cand.x1 - cand.x0 + 1, h: cand.y1 - cand.y0 + 1 };
    out.push({ cand, box: refineBox(raw, refinerOffsets(model, cand)), probs, score: 1 - probs[0], features });
  }
  return out;
}

export const CONTEXT_FEATURE_NAMES = [
  'logit',
  'lat_share',
  'encl_logit',
  'encl_log_area',
  'encl_holder',
  'inside_logit',
  'inside_log_area',
  'inside_count',
  'peer_logit',
  'rank',
  'encl_tab_logit',
] as const;
export const RESCORER_FEATURE_NAMES = [
  ...FEATURE_NAMES,
  ...CONTEXT_FEATURE_NAMES,
  ...GLYPH_FEATURE_NAMES.map((n) => `crop_${n}`),
  ...BOX_FEATURE_NAMES,
];

/** What stage 2 knows of a candidate's neighbours: its refined box (any frame), stage-1 probabilities, whether it is a holder box (a flooded tab: tab too). */
export interface Alternative {
  box: Rect;
  probs: number[];
  holder: boolean;
  tab?: boolean;
}

const logit = (p: number) => Math.log(Math.max(p, 1e-4) / Math.max(1 - p, 1e-4));

/**
 * Context of each candidate among the others of its image (all with stage-1 score >= the rescoring floor):
 * its own logit and laterality share, the best-scoring candidate enclosing it (logit, log area ratio, holder),
 * the best one inside it (logit, log area ratio, count), the best other overlapping one, its score rank
 * among those overlapping it, and the best flooded tab enclosing it (logit: without it a letter's own box often
 * beat its tab's; tab markers missed on validation seeds 711-713: 23 before it, 14 with it). "Enclosing" is 70 %
 * of the smaller box inside the larger, 1.2x its area.
 */
export function contextFeatures(alts: readonly Alternative[]): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < alts.length; i++) out.push(contextOf(alts, i));
  return out;
}

// module-level, not closures made per call: V8 keeps a closure's optimised code only while the closure lives
const altScore = (a: Alternative) => 1 - a.probs[0];
const rectArea = (r: Rect) => r.w * r.h;

/** contextFeatures of alternative i. */
function contextOf(alts: readonly Alternative[], i: number): number[] {
  const a = alts[i];
  let encl = -1,
    enclTab = -1,
    inside = -1,
    peer = 0,
    insideCount = 0,
    rank = 0;
  for (let j = 0; j < alts.length; j++) {
    if (j === i) continue;
    const b = alts[j];
    const ix = Math.max(0, Math.min(a.box.x + a.box.w, b.box.x + b.box.w) - Math.max(a.box.x, b.box.x));
    const iy = Math.max(0, Math.min(a.box.y + a.box.h, b.box.y + b.box.h) - Math.max(a.box.y, b.box.y));
    const inter = ix * iy;
    if (inter <= 0) continue;
    const sa = rectArea(a.box),
      sb = rectArea(b.box);
    if (inter / sa >= 0.7 && sb >= 1.2 * sa) {
      if (encl < 0 || altScore(b) > altScore(alts[encl])) encl = j;
      if (b.tab && (enclTab < 0 || altScore(b) > altScore(alts[enclTab]))) enclTab = j;
    } else if (inter / sb >= 0.7 && sa >= 1.2 * sb) {
      insideCount++;
      if (inside < 0 || altScore(b) > altScore(alts[inside])) inside = j;
    } else if (inter / (sa + sb - inter) >= 0.2) peer = Math.max(peer, altScore(b));
    if (altScore(b) > altScore(a)) rank++;
  }
  const catTot = a.probs[1] + a.probs[2] || 1;
  const e = encl >= 0 ? alts[encl] : null,
    n = inside >= 0 ? alts[inside] : null;
  return [
    logit(altScore(a)),
    a.probs[1] / catTot,
    e ? logit(altScore(e)) : -10,
    e ? Math.log(rectArea(e.box) / rectArea(a.box)) : 0,
    e?.holder ? 1 : 0,
    n ? logit(altScore(n)) : -10,
    n ? Math.log(rectArea(a.box) / rectArea(n.box)) : 0,
    Math.min(insideCount, 5),
    logit(peer),
    Math.min(rank, 5),
    enclTab >= 0 ? logit(altScore(alts[enclTab])) : -10,
  ];
}

/** Stage 2: rescore the candidates with stage-1 score >= model.rescoreFrom (the rest are dropped). */
export function rescore(
  w: Working,
  _image: GrayImage,
  scored: ScoredCandidate[],
  model: DetectorModel,
): ScoredCandidate[] {
  const likely: ScoredCandidate[] = [];
  for (const s of scored) if (s.score >= model.rescoreFrom) likely.push(s);
  const ctx = contextFeatures(likely.map(alternativeOf));
  const out: ScoredCandidate[] = [];
  for (let i = 0; i < likely.length; i++) {
    const s = likely[i];
    const f = w.factor;
    const crop = cropImage(
      w.fine,
      { x: s.cand.x0 * f, y: s.cand.y0 * f, w: (s.cand.x1 - s.cand.x0 + 1) * f, h: (s.cand.y1 - s.cand.y0 + 1) * f },
      w.fineFactor,
    );
    const x = [...s.features, ...ctx[i], ...glyphFeatures(crop), ...boxFitFeatures(w, s.cand)];
    const probs = predict(model.rescorer, x);
    out.push({ ...s, probs, score: 1 - probs[0], quality: predict(model.fitter, x)[1] });
  }
  return out;
}

const alternativeOf = (s: ScoredCandidate): Alternative => ({
  box: s.box,
  probs: s.probs,
  holder: Boolean(s.cand.isHolder),
  tab: Boolean(s.cand.isTab),
});

function overlapRatio(a: Rect, b: Rect): { iou: number; inMin: number } {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  const inter = ix * iy;
  return { iou: inter / (a.w * a.h + b.w * b.h - inter), inMin: inter / Math.min(a.w * a.h, b.w * b.h) };
}

/** Suppression's ranking: score times predicted box quality (stage-2 scores saturate near 1 for a label's every box). */
export const rankOf = (s: ScoredCandidate) => s.score * (s.quality ?? 1);

const byRank = (a: ScoredCandidate, b: ScoredCandidate) => rankOf(b) - rankOf(a);

/**
 * Keep the candidates of highest rank (score times box quality) among those reaching minScore; drop any that
 * overlap a kept one (burned-in labels do not overlap each other).
 */
export function suppress(scored: ScoredCandidate[], minScore: number): ScoredCandidate[] {
  const order = scored.filter((s) => s.score >= minScore).sort(byRank);
  const kept: ScoredCandidate[] = [];
  for (const s of order) {
    if (
      kept.some((k) => {
        const o = overlapRatio(k.box, s.box);
        return o.iou > 0.2 || o.inMin > 0.15;
      })
    )
      continue;
    kept.push(s);
  }
  return kept;
}

export interface DetectOptions {
  minScore?: number;
}

/** Find burned-in labels in one image; boxes are in the image's own pixel coordinates. */
export function detectLabels(
  image: GrayImage,
  file: string,
  model: DetectorModel,
  opts: DetectOptions = {},
): DetectedBox[] {
  const pooled = openLabelPool();
  try {
    const u = upsampleFactor(image.width, image.height);
    const boxes = detectIn(upsample(image, u), file, model, opts);
    return u === 1 ? boxes : boxes.map((b) => shrinkBox(b, u));
  } finally {
    if (pooled) closeLabelPool();
  }
}

/** A box found on a film enlarged by `u`, in the film's own pixels. */
export function shrinkBox(b: DetectedBox, u: number): DetectedBox {
  return { ...b, x: round2(b.x / u), y: round2(b.y / u), w: round2(b.w / u), h: round2(b.h / u) };
}

function detectIn(image: GrayImage, file: string, model: DetectorModel, opts: DetectOptions): DetectedBox[] {
  const w = prepare(image);
  const scored = rescore(w, image, scoreCandidates(w, groupCandidates(w), model), model);
  const minScore = opts.minScore ?? model.minScore;
  // the ranking by box quality also settles what rules once did (a word's part against the whole word, two
  // labels side by side): those rules now cost recall (validation seeds 701-703), so there are none
  const boxes = suppress(scored, minScore).map((s) => toBox(w, s, file, model, image));
  const copies = overlayCopies(image);
  const edged = findEdgedText(image, copies);
  const add = (into: DetectedBox[], blocks: readonly EdgedBlock[] | readonly OverlayBlock[]) =>
    addOverlayText(into, blocks, w, image, file, model, minScore);
  // rings first: the overlay stage takes a ring and its letter for two glyphs of text
  const withRings = add(
    boxes,
    edged.filter((b) => b.ring),
  );
  const withOverlay = add(add(withRings, findOverlayText(image, copies)), findGroundText(image, copies));
  const found = dropFlatCovers(
    add(
      withOverlay,
      edged.filter((b) => !b.ring),
    ),
    image,
  );
  const all = addPlateMarkers(found, model, w.fine, w.fineFactor, image);
  return extendLines(all, image, (r, from) => ruleBox(r, 'other', from.score, file, w, image, model));
}

/**
 * A box a rule-based stage found: a marker is read for its side and style, anything else for its text. The learned
 * stages' category score does not apply (1).
 */
function ruleBox(
  r: Rect,
  category: LabelCategory,
  score: number,
  file: string,
  w: Working,
  image: GrayImage,
  model: DetectorModel,
): DetectedBox {
  const box: DetectedBox = { file, x: r.x, y: r.y, w: r.w, h: r.h, category, score, categoryScore: 1 };
  if (category === 'laterality') {
    readInto(box, w, box, model);
    box.style = readMarkerStyle(image, box, {});
  } else box.text = readInitials(image, box);
  return box;
}

/**
 * Least contrast of a lone overlay glyph taken for a marker on a film without overlay text: white letters on a dark
 * ground (real-extra, figure1: lone L/R at 0.89 and 0.94); at 0.7 bright specks pass on the phantom (seeds 902 and
 * 903 lose 0.003 and 0.006 precision), at 0.85 none do.
 */
export const MIN_LONE_CONTRAST = 0.85;
/**
 * The same on films of REAL_FILM_SIDE or more (not the phantom's 256 px): real-all, COVID-00040b's lone L stands out
 * 0.70 from grey tissue; at 0.69 it is found, and one metal snap (0.83) on an Actualmed film is boxed too (real-all
 * 180/197 covered, 186/205 right, against 179/197 and 185/203 at 0.85).
 */
export const MIN_LONE_CONTRAST_REAL = 0.69;

/** MIN_LONE_CONTRAST or, on a film of REAL_FILM_SIDE or more, MIN_LONE_CONTRAST_REAL. */
export const minLoneContrast = (width: number, height: number) =>
  Math.max(width, height) >= REAL_FILM_SIDE ? MIN_LONE_CONTRAST_REAL : MIN_LONE_CONTRAST;

/** Overlay boxes' score: the rule's, from the block's contrast (the learned stages never see these boxes). */
export const overlayScore = (b: OverlayBlock) => round4(Math.min(0.99, 0.5 + 0.5 * b.contrast));

/**
 * Merge the overlay stage's blocks into the learned stages' boxes, which take precedence: a block they already
 * cover (80 % of it) adds nothing; otherwise its glyphs that no learned box touches are grouped again and added,
 * as "other" text or, for a lone glyph, as a laterality marker read by the L/R reader. (Replacing the learned
 * boxes a block holds instead cost the phantom: a marker and its initials make a line of type.)
 */
export function addOverlayText(
  boxes: DetectedBox[],
  blocks: readonly (OverlayBlock & { ring?: boolean })[],
  w: Working,
  image: GrayImage,
  file: string,
  model: DetectorModel,
  minScore: number,
): DetectedBox[] {
  const out = [...boxes];
  // a lone white glyph is taken for a marker only on a film that carries overlay text the learned stages missed
  // (real-dev: the four markers only this stage finds stand beside "AP ERECT" and the like), or where it stands out
  // strongly (MIN_LONE_CONTRAST; the edged stage's glyphs, full white on full black, always do); elsewhere it was
  // as often metal or a letter on a tab that the learned stages had boxed otherwise (phantom seed 902)
  const hasText = blocks.some((b) => b.glyphs > 1 && overlayScore(b) >= minScore && coveredShare(b, boxes) < 0.8);
  const minLone = minLoneContrast(image.width, image.height);
  for (const b of blocks) {
    const score = overlayScore(b);
    const lone = b.glyphs === 1 && !b.ring && !hasText && b.contrast < minLone;
    if (score < minScore || lone || coveredShare(b, boxes) >= 0.8) continue;
    const free = b.glyphBoxes.filter((g) => !boxes.some((k) => coveredArea(g, [k]) > 0));
    // a letter in a ring is one marker, boxed whole; so is a block of type too long to be a marker and its
    // initials, whose pieces the learned stages boxed apart: they are one label, and the block replaces them
    const block =
      !b.ring &&
      b.glyphs >= MIN_BLOCK_GLYPHS &&
      b.contrast >= MIN_BLOCK_CONTRAST &&
      free.length < b.glyphBoxes.length &&
      !holdsRing(b.glyphBoxes);
    if (block) dropPieces(out, b);
    const whole = b.ring || block || free.length === b.glyphBoxes.length;
    const groups = whole ? [{ box: b, glyphs: b.ring ? 1 : b.glyphs }] : groupGlyphRects(free);
    for (const { box: r, glyphs } of groups)
      out.push(ruleBox(r, glyphs > 1 ? 'other' : 'laterality', score, file, w, image, model));
  }
  return out;
}

/**
 * Least glyph count of an overlay block that is boxed whole over the learned stages' pieces of it. A marker and
 * its initials make a line of up to four (the phantom's plates: a letter, a ring, two or three initials), which
 * must stay two boxes; real overlay words the learned stages cut apart ("MOBILE / AP / ERECT", "UPRIGHT") have
 * six and more.
 */
export const MIN_BLOCK_GLYPHS = 5;
/**
 * Least contrast of such a block: digital overlay text is drawn at the white level on a dark ground (real-all: the
 * words cut apart 0.76-0.99), while a marker plate stacked over its initials, imaged through tissue, stands out less
 * (phantom 901 and 903: two such plates read as one block at 0.58 and 0.52, and were merged into one box).
 */
export const MIN_BLOCK_CONTRAST = 0.7;
/** Share of a box's area inside a block above which it is a piece of the block's text. */
export const PIECE_SHARE = 0.7;

/** Whether a glyph encloses another: a ringed marker, which a block of type beside it does not swallow. */
function holdsRing(gs: readonly Rect[]): boolean {
  return gs.some((a) =>
    gs.some((g) => g !== a && g.x >= a.x && g.y >= a.y && g.x + g.w <= a.x + a.w && g.y + g.h <= a.y + a.h),
  );
}

/** Remove from `boxes` those lying mostly inside `block` (PIECE_SHARE of their area). */
function dropPieces(boxes: DetectedBox[], block: Rect): void {
  for (let i = boxes.length - 1; i >= 0; i--) if (coveredShare(boxes[i], [block]) >= PIECE_SHARE) boxes.splice(i, 1);
}

/** Read the marker in `at` (source pixels) and give `box` its side as text and the letter read as glyph. */
function readInto(box: DetectedBox, w: Working, at: Rect, model: DetectorModel): void {
  const r = readBox(model, w.fine, at, w.fineFactor);
  if (r.side) {
    box.text = r.side;
    box.glyph = r.letter;
  }
}

const CATS: LabelCategory[] = ['laterality', 'technologist'];

function toBox(w: Working, s: ScoredCandidate, file: string, model: DetectorModel, image: GrayImage): DetectedBox {
  const { cand, box: b } = s;
  const f = w.factor;
  const x0 = Math.max(0, b.x * f),
    y0 = Math.max(0, b.y * f);
  const x1 = Math.min(image.width, (b.x + b.w) * f),
    y1 = Math.min(image.height, (b.y + b.h) * f);
  const catProbs = s.probs.slice(1);
  const catTot = catProbs.reduce((a, b) => a + b, 0) || 1;
  const ci = catProbs[1] > catProbs[0] ? 1 : 0;
  let category: LabelCategory = CATS[ci];
  // the phantom has no free text to learn from: a long line of many glyphs is called "other" text by rule
  const long = Math.max(b.w, b.h) / Math.min(b.w, b.h);
  if (cand.members.length >= 5 && long >= 3.5) category = 'other';
  const box: DetectedBox = {
    file,
    x: round2(x0),
    y: round2(y0),
    w: round2(x1 - x0),
    h: round2(y1 - y0),
    category,
    score: round4(s.score),
    categoryScore: round4(category === 'other' ? 1 - catProbs[0] / catTot : catProbs[ci] / catTot),
  };
  if (category === 'laterality') {
    readInto(box, w, cand.isTab ? lettersBox(cand, f) : box, model);
    box.style = readMarkerStyle(image, box, cand);
  }
  if (category !== 'laterality') box.text = readInitials(image, box);
  return box;
}

/**
 * A tab's letters with a working pixel around them, in source pixels: the reader is not shown a flooded tab's box,
 * which can take in a strip of bright tissue beside the tab that the reader then takes for the letter.
 */
function lettersBox(c: Candidate, f: number): { x: number; y: number; w: number; h: number } {
  const m = boxOf(c.members);
  const x0 = m.x0 - 1,
    y0 = m.y0 - 1,
    x1 = m.x1 + 1,
    y1 = m.y1 + 1;
  return { x: Math.max(0, x0 * f), y: Math.max(0, y0 * f), w: (x1 - x0 + 1) * f, h: (y1 - y0 + 1) * f };
}

const round2 = (v: number) => Math.round(v * 100) / 100;
const round4 = (v: number) => Math.round(v * 1e4) / 1e4;
