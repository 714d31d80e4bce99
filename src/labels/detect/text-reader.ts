/**
 * Reads the words of a found text box ("PORTABLE", "AP ERECT") with Debian's tesseract-ocr, run as a program on
 * the box's crop. Tesseract only reads here: it is not a detector (on its own it found 0 of 5 real markers).
 */
import { execFile, execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import sharp from 'sharp';
import { readImage, type GrayImage, type ImageRecord, type LoadIssue } from '../../data/index.js';
import type { LabelBox } from '../types.js';
import type { DetectedBox, Rect } from './detector.js';
import { otsu } from './glyph.js';
import { twoOrderStats } from './select.js';

/** Tesseract's program name (CONFOUND_TESSERACT overrides it, e.g. for a copy outside the PATH). */
export function tesseractCommand(): string {
  return process.env.CONFOUND_TESSERACT || 'tesseract';
}

let available: boolean | undefined;
/** Whether tesseract runs here (asked once per process). */
export function tesseractAvailable(): boolean {
  if (available === undefined) {
    try {
      execFileSync(tesseractCommand(), ['--version'], { stdio: 'ignore' });
      available = true;
    } catch {
      available = false;
    }
  }
  return available;
}

/** Pixels of margin kept around the box, and the line height the crop is scaled to (tesseract reads 20-40 px text best). */
const MARGIN = 6;
const LINE_PX = 36;

/** How a crop is drawn for tesseract: grey levels, black and white at Otsu's threshold, or only the extreme ink. */
export type CropMode = 'gray' | 'otsu' | 'extreme';
/**
 * The drawings tried, in turn: the last takes the other polarity (white type outlined in black on a light ground
 * looks dark-on-light to the border rule, but its ink is the white core).
 */
const DRAWINGS: readonly { mode: CropMode; flip: boolean }[] = [
  { mode: 'gray', flip: false },
  { mode: 'otsu', flip: false },
  { mode: 'extreme', flip: false },
  { mode: 'extreme', flip: true },
];

/** A box's crop (the box and a margin), with the stretch that takes its 2nd..98th percentiles to [0, 1]. */
export interface StretchedCrop {
  width: number;
  height: number;
  data: Float32Array;
  lo: number;
  span: number;
  /** Whether its text is taken to be light: the crop's border is darker than its middle (burned-in text usually is). */
  light: boolean;
}

/** Cut a box and a margin out of an image and find its stretch (once per box, whatever drawings are read). */
export function stretchedCrop(img: GrayImage, box: Rect): StretchedCrop {
  const x0 = Math.max(0, Math.floor(box.x) - MARGIN),
    y0 = Math.max(0, Math.floor(box.y) - MARGIN);
  const x1 = Math.min(img.width, Math.ceil(box.x + box.w) + MARGIN),
    y1 = Math.min(img.height, Math.ceil(box.y + box.h) + MARGIN);
  const w = Math.max(1, x1 - x0),
    h = Math.max(1, y1 - y0);
  const px = new Float32Array(w * h);
  for (let y = 0; y < h; y++)
    px.set(img.data.subarray((y0 + y) * img.width + x0, (y0 + y) * img.width + x0 + w), y * w);
  const [lo, hi] = twoOrderStats(px, Math.floor(0.02 * (px.length - 1)), Math.ceil(0.98 * (px.length - 1)));
  const span = Math.max(hi - lo, 1e-6);
  let border = 0,
    nBorder = 0,
    middle = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const v = px[y * w + x];
      middle += v;
      if (x === 0 || y === 0 || x === w - 1 || y === h - 1) {
        border += v;
        nBorder++;
      }
    }
  return { width: w, height: h, data: px, lo, span, light: border / nBorder < middle / (w * h) };
}

/**
 * One drawing of a stretched crop for tesseract: dark text on a light ground (light text inverted, or the other
 * way with `flip`), in `mode`, scaled so its text lines are about LINE_PX high, with a white border; and the number
 * of text lines found (bands of rows with ink, from the row profile).
 */
export async function drawCrop(
  crop: StretchedCrop,
  boxHeight: number,
  mode: CropMode = 'gray',
  flip = false,
): Promise<{ png: Buffer; lines: number }> {
  const { width: w, height: h, data, lo, span } = crop;
  const invert = crop.light !== flip;
  const out = Buffer.alloc(w * h);
  const inkRows = new Uint8Array(h);
  for (let i = 0; i < data.length; i++) {
    const t = Math.min(1, Math.max(0, (data[i] - lo) / span));
    const v = Math.round(255 * (invert ? 1 - t : t));
    out[i] = v;
    if (v < 128) inkRows[Math.floor(i / w)] = 1;
  }
  if (mode !== 'gray') {
    // 'extreme': only the crop's darkest tenth (after inversion) is ink: the white core of outlined type
    const t = mode === 'otsu' ? otsu(Float32Array.from(out)) : 26;
    for (let i = 0; i < out.length; i++) out[i] = out[i] <= t ? 0 : 255;
  }
  const bands = inkBands(inkRows);
  const lineHeight = bands.length ? median(bands) : boxHeight;
  const scale = Math.min(8, Math.max(1, LINE_PX / Math.max(1, lineHeight)));
  const png = await sharp(out, { raw: { width: w, height: h, channels: 1 } })
    .resize(Math.round(w * scale), Math.round(h * scale), { kernel: 'cubic' })
    .extend({ top: 16, bottom: 16, left: 16, right: 16, background: '#ffffff' })
    .png()
    .toBuffer();
  return { png, lines: Math.max(1, bands.length) };
}

/** Heights of the runs of rows with ink, runs under 3 rows (specks, underlines) left out. */
export function inkBands(inkRows: ArrayLike<number>): number[] {
  const bands: number[] = [];
  let run = 0;
  for (let y = 0; y <= inkRows.length; y++) {
    if (y < inkRows.length && inkRows[y]) run++;
    else {
      if (run >= 3) bands.push(run);
      run = 0;
    }
  }
  return bands;
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** A word tesseract read, with its confidence (0-100). */
export interface ReadWord {
  text: string;
  conf: number;
}

/** Words of tesseract's TSV output (level 5 rows), in reading order, with their confidences. */
export function parseTsv(tsv: string): ReadWord[] {
  const words: ReadWord[] = [];
  for (const line of tsv.split('\n').slice(1)) {
    const f = line.split('\t');
    if (f.length < 12 || f[0] !== '5') continue;
    const text = f[11].trim();
    if (text) words.push({ text, conf: Number(f[10]) });
  }
  return words;
}

/** Below this confidence a word is taken for noise (tesseract reads texture as "ee", "oa" at 20-40). */
export const MIN_WORD_CONF = 60;

/** The confident words as one string: letters, digits and a little punctuation; '' when none. */
export function cleanText(words: readonly ReadWord[]): string {
  return words
    .filter((w) => w.conf >= MIN_WORD_CONF)
    .map((w) => w.text.replace(/[^A-Za-z0-9:./\-()]/g, ''))
    .filter(Boolean)
    .join(' ');
}

/** Run tesseract on one PNG (stdin to TSV on stdout): page segmentation 6 (a block) or 7 (one line), English. */
function runTesseract(png: Buffer, oneLine: boolean): Promise<ReadWord[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      tesseractCommand(),
      ['stdin', 'stdout', '--psm', oneLine ? '7' : '6', '-l', 'eng', 'tsv'],
      { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, maxBuffer: 1 << 20 },
      (err, stdout) => (err ? reject(err) : resolve(parseTsv(stdout))),
    );
    child.stdin?.end(png);
  });
}

/** The text of one box of an image ('' when tesseract reads nothing it is sure of). */
export async function readBoxText(img: GrayImage, box: Rect): Promise<string> {
  // blurred or noisy text often reads better in black and white, outlined type as its core alone: until tesseract
  // is sure, try the next drawing and keep the reading it is surest of
  const stretched = stretchedCrop(img, box);
  let words: ReadWord[] = [];
  for (const { mode, flip } of DRAWINGS) {
    const crop = await drawCrop(stretched, box.h, mode, flip);
    const read = await runTesseract(crop.png, crop.lines === 1);
    if (meanConf(read) > meanConf(words)) words = read;
    if (meanConf(words) >= SURE_CONF) break;
  }
  return cleanText(words);
}

/** Mean word confidence of a reading at which the black-and-white crop is not tried. */
const SURE_CONF = 85;

function meanConf(words: readonly ReadWord[]): number {
  return words.length ? words.reduce((s, w) => s + w.conf, 0) / words.length : -1;
}

/** Boxes whose words are read: text, and initials (a "technologist" box is often a word of overlay text). */
const READ_CATEGORIES = new Set(['other', 'technologist']);
/** Initials are one to three letters: a box read as a longer word is overlay text. */
const MAX_INITIALS = 3;

/**
 * Read the words of every "other" and "technologist" box of a dataset into its `text` (each image read once;
 * `concurrency` images at a time, each box's tesseract runs one after another); a "technologist" box read as a
 * word longer than initials becomes "other", and one read as nothing keeps its initials reading. Images that
 * cannot be read are reported, not thrown.
 */
export async function readOtherText(
  records: readonly ImageRecord[],
  boxes: readonly DetectedBox[],
  onImage?: () => void,
  concurrency = Math.max(1, availableParallelism()),
): Promise<LoadIssue[]> {
  const byFile = new Map<string, DetectedBox[]>();
  for (const b of boxes)
    if (READ_CATEGORIES.has(b.category)) (byFile.get(b.file) ?? byFile.set(b.file, []).get(b.file)!).push(b);
  const todo = records.filter((r) => byFile.has(r.id));
  const issues: LoadIssue[] = [];
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const r = todo[next++];
      try {
        const img = await readImage(r.path, { frame: r.frame });
        for (const b of byFile.get(r.id)!) {
          const text = await readBoxText(img, b);
          if (b.category === 'other') b.text = text;
          else if (text.split(' ').some((w) => w.replace(/[^A-Za-z]/g, '').length > MAX_INITIALS)) {
            b.category = 'other';
            b.text = text;
          }
        }
      } catch (err) {
        issues.push({ file: r.path, message: `cannot read its text: ${(err as Error).message}` });
      }
      onImage?.();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, todo.length) }, worker));
  return issues;
}

/** How many images have boxes whose words readOtherText reads (the progress bar's length). */
export function imagesWithText(boxes: readonly LabelBox[]): number {
  return new Set(boxes.filter((b) => READ_CATEGORIES.has(b.category)).map((b) => b.file)).size;
}
