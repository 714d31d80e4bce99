/** The candidate stage's working copies of an image: downsampled, top-hat, thresholded at several levels, labelled. */
import type { GrayImage } from '../../data/index.js';
import { downsample, whiteTopHat, type Raster } from './morph.js';
import { labelComponents, type Component } from './components.js';

/** Longest side of the working copy: larger images are box-downsampled by an integer factor to about this. */
export const WORKING_SIDE = 256;
/** Longest side of the fine copy that crops (stage 2, L/R reading) are taken from. */
export const FINE_SIDE = 512;
/**
 * Least longest side of a film that is not a phantom's (256 px; real films are 556 px and more, and a thumbnail is
 * enlarged to 512 or more first, upsample.ts). Rules developed on real films only apply from here: the learned
 * stages were trained on the phantom's films and box their labels whole, and there the line walk only found marks
 * beside them (phantom 901-903 precision 0.970, 0.953, 0.958 fell to 0.967, 0.946, 0.952, under the 0.95 bar).
 */
export const REAL_FILM_SIDE = 512;

export interface Working {
  /** Downsample factor from the source image to the working copy. */
  factor: number;
  img: Raster;
  /** The fine copy (the source downsampled by fineFactor), for crops. */
  fine: Raster;
  fineFactor: number;
  top: Raster;
  /** Components at each threshold level (low to high), so labels fused to neighbours at a low level separate at a higher one. */
  levels: Level[];
  /** Robust image statistics used to normalise intensities (working copy). */
  p01: number;
  p50: number;
  p99: number;
  pmax: number;
  /** Top-hat structuring element size in working pixels. */
  k: number;
  /** Summed-area tables of img and of top, (width+1) x (height+1), so any rectangle's mean costs four reads. */
  sat: Float64Array;
  satTop: Float64Array;
}

export interface Level {
  threshold: number;
  labels: Int32Array;
  components: Component[];
}

/**
 * Threshold levels, as fractions of the image's dynamic range (p1 to max): a top-hat threshold and a floor on
 * intensity. The intensity-gated levels separate near-white letters from the bone they lie on.
 */
export const LEVELS: readonly { top: number; peak: number; value: number }[] = [
  { top: 0.06, peak: 0.11, value: 0 },
  { top: 0.12, peak: 0.25, value: 0 },
  { top: 0.25, peak: 0.4, value: 0 },
  { top: 0.4, peak: 0.5, value: 0 },
  { top: 0.08, peak: 0.2, value: 0.7 },
  { top: 0.08, peak: 0.2, value: 0.85 },
];

/** A candidate: a set of components (from any threshold level) and its box in working pixels (inclusive bounds). */
export interface Candidate {
  members: Component[];
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** Set when the box is a holder/tab found around the members rather than the members' own box. */
  isHolder?: boolean;
  /** Set (with isHolder) when the holder was found by flooding (floodHolder) rather than by walking its sides. */
  isTab?: boolean;
  /** Contrast of a holder found around the members (0 when none), and how many of its sides showed an edge. */
  holderContrast?: number;
  holderSides?: number;
  /** Word-linked components left out of the candidate (a word cut short has some). */
  linkOut?: number;
  /** Whether another component's box encloses this candidate (letters inside a frame). */
  enclosed?: boolean;
}

function percentiles(data: Float32Array, qs: number[]): number[] {
  const bins = 1024;
  const hist = new Uint32Array(bins);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    hist[v <= 0 ? 0 : v >= 1 ? bins - 1 : Math.floor(v * bins)]++;
  }
  const out: number[] = [];
  for (const q of qs) out.push(histQuantile(hist, q * data.length));
  return out;
}

/** The centre of the histogram bin where the running count reaches `target` (1 when it never does). */
function histQuantile(hist: Uint32Array, target: number): number {
  let acc = 0;
  for (let b = 0; b < hist.length; b++) {
    acc += hist[b];
    if (acc >= target) return (b + 0.5) / hist.length;
  }
  return 1;
}

/** The fine copy the detector reads markers from: the source downsampled to about FINE_SIDE. */
export function fineCopy(image: GrayImage): { fine: Raster; fineFactor: number } {
  const fineFactor = Math.max(1, Math.floor(Math.max(image.width, image.height) / FINE_SIDE));
  return { fine: downsample({ width: image.width, height: image.height, data: image.data }, fineFactor), fineFactor };
}

/** Downsample, top-hat, threshold and label one image. */
export function prepare(image: GrayImage): Working {
  const side = Math.max(image.width, image.height);
  const factor = Math.max(1, Math.floor(side / WORKING_SIDE));
  const { fine, fineFactor } = fineCopy(image);
  // floor(floor(n / a) / b) = floor(n / ab), and block means of block means are block means
  const img =
    factor % fineFactor === 0
      ? downsample(fine, factor / fineFactor)
      : downsample({ width: image.width, height: image.height, data: image.data }, factor);
  const wside = Math.max(img.width, img.height);
  const k = Math.max(7, Math.min(25, 2 * Math.round(wside / 48) + 1));
  const top = whiteTopHat(img, k);
  const [p01, p50, p99] = percentiles(img.data, [0.01, 0.5, 0.99]);
  let pmax = 0;
  for (let i = 0; i < img.data.length; i++) if (img.data[i] > pmax) pmax = img.data[i];
  const range = Math.max(pmax - p01, 1e-3);
  const n = img.width * img.height;
  const mask = new Uint8Array(n);
  const levels: Level[] = [];
  const w0 = (frac: number) => (frac > 0 ? p01 + frac * range : -Infinity);
  // a plain loop, not a callback: V8 keeps a closure's optimised code only while the closure lives, so a callback
  // made per image ran its pixel loops unoptimised, then recompiled, on every image
  for (let li = 0; li < LEVELS.length; li++) {
    const lv = LEVELS[li];
    const t = lv.top * range,
      v = w0(lv.value);
    // hysteresis: a component must reach a higher top-hat response somewhere
    const peakNeeded = lv.peak * range;
    levels.push(thresholdLevel(img, top, mask, t, v, peakNeeded, li));
  }
  return {
    factor,
    img,
    fine,
    fineFactor,
    top,
    levels,
    p01,
    p50,
    p99,
    pmax,
    k,
    sat: summedArea(img),
    satTop: summedArea(top),
  };
}

/** One threshold level: pixels over top-hat `t` and intensity `v`, labelled, in components that reach `peakNeeded`. */
function thresholdLevel(
  img: Raster,
  top: Raster,
  mask: Uint8Array,
  t: number,
  v: number,
  peakNeeded: number,
  li: number,
): Level {
  const n = img.width * img.height,
    td = top.data,
    id = img.data;
  for (let i = 0; i < n; i++) mask[i] = td[i] > t && id[i] >= v ? 1 : 0;
  const lab = labelComponents(mask, img.width, img.height, id, td);
  const peak = new Float32Array(lab.components.length + 1);
  for (let i = 0; i < n; i++) {
    const l = lab.labels[i];
    if (l && td[i] > peak[l]) peak[l] = td[i];
  }
  const components: Component[] = [];
  for (const c of lab.components)
    if (c.area >= 3 && peak[c.id] > peakNeeded) {
      c.uid = li * 1_000_000 + c.id;
      components.push(c);
    }
  return { threshold: t, labels: lab.labels, components };
}

/** Summed-area table: sat[(y+1)*(w+1) + x+1] is the sum of img over [0..x] x [0..y]. */
export function summedArea(img: Raster): Float64Array {
  const w = img.width,
    h = img.height,
    W1 = w + 1;
  const sat = new Float64Array(W1 * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += img.data[y * w + x];
      sat[(y + 1) * W1 + x + 1] = sat[y * W1 + x + 1] + row;
    }
  }
  return sat;
}

/** Sum over the inclusive rectangle [x0..x1] x [y0..y1] (clipped to the image) of a summed-area table's raster. */
export function rectSum(
  sat: Float64Array,
  width: number,
  height: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): { sum: number; n: number } {
  x0 = Math.max(0, x0);
  y0 = Math.max(0, y0);
  x1 = Math.min(width - 1, x1);
  y1 = Math.min(height - 1, y1);
  if (x1 < x0 || y1 < y0) return { sum: 0, n: 0 };
  const W1 = width + 1;
  return {
    sum: sat[(y1 + 1) * W1 + x1 + 1] - sat[y0 * W1 + x1 + 1] - sat[(y1 + 1) * W1 + x0] + sat[y0 * W1 + x0],
    n: (x1 - x0 + 1) * (y1 - y0 + 1),
  };
}
