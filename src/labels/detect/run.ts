/**
 * Detection over a whole dataset, shared by the calling thread and worker threads; images are decoded ahead while
 * the previous one is processed; bad files are skipped and counted.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ImageRecord, LoadIssue } from '../../data/index.js';
import { formatCoco, parseCoco } from '../formats/coco.js';
import type { ImageSize } from '../formats/common.js';
import { detectBoxFormat, readBoxes } from '../formats/io.js';
import type { LabelBox } from '../types.js';
import type { DetectedBox, DetectorModel, DetectOptions } from './detector.js';
import { detectRecord, type WorkerReply, type WorkerTask } from './record.js';

export interface DatasetDetection {
  boxes: DetectedBox[];
  sizes: ImageSize[];
  issues: LoadIssue[];
  seconds: number;
}

/**
 * Threads detectDataset uses by default: one per core, at most 8; a single thread for fewer than 64 images. The
 * calling thread detects too, so a worker's start (its imports, then its first images while the JIT warms) overlaps
 * the caller's work; on a loaded machine that start still cost more than it gave on real-dev's 26 films (end to
 * end 0.61x of one thread at load 17), so small sets keep to one thread.
 */
export function defaultDetectThreads(images: number): number {
  return images < 64 ? 1 : Math.max(1, Math.min(8, availableParallelism()));
}

/**
 * Detect labels in every image. With `threads` > 1 (default: defaultDetectThreads) the calling thread and
 * `threads` - 1 worker threads share the images, each with its own copy of the detector, each reading its images
 * itself; the results are put back in input order, so the output is the same as with one thread, whatever the
 * timing. One thread reads two images ahead while it detects.
 */
export async function detectDataset(
  records: readonly ImageRecord[],
  model: DetectorModel,
  opts: DetectOptions = {},
  onImage?: (done: number) => void,
  threads = defaultDetectThreads(records.length),
): Promise<DatasetDetection> {
  const start = performance.now();
  const replies = new Array<WorkerReply | undefined>(records.length);
  let next = 0,
    emitted = 0;
  const claim = (): WorkerTask | undefined => {
    if (next >= records.length) return undefined;
    const i = next++;
    return { index: i, path: records[i].path, id: records[i].id, frame: records[i].frame };
  };
  const done = (r: WorkerReply) => {
    replies[r.index] = r;
    // (not onImage?.(++emitted): an absent callback would skip the increment too)
    while (emitted < records.length && replies[emitted]) {
      emitted++;
      onImage?.(emitted);
    }
  };
  const workers = Array.from(
    { length: Math.max(0, Math.min(threads, records.length) - 1) },
    () => new Worker(new URL('./worker.js', import.meta.url), { workerData: { model, opts } }),
  );
  try {
    const inWorkers = new Promise<void>((resolvePromise, reject) => {
      let busy = 0;
      const send = (w: Worker) => {
        const task = claim();
        if (!task) return;
        busy++;
        w.postMessage(task);
      };
      for (const w of workers) {
        w.on('error', reject);
        w.on('exit', (code) => {
          if (busy > 0) reject(new Error(`detection worker stopped (exit code ${code})`));
        });
        w.on('message', (r: WorkerReply) => {
          busy--;
          done(r);
          send(w);
          if (busy === 0 && next >= records.length) resolvePromise();
        });
        // two images in flight per worker (queued while it starts): the next one is read while this one is detected
        send(w);
        send(w);
      }
      if (busy === 0) resolvePromise();
    });
    // the calling thread's own share, two reads ahead; it yields at each read, when the workers' replies come in
    const ahead: Promise<WorkerReply>[] = [];
    const more = () => {
      const task = claim();
      if (task) ahead.push(detectRecord(task, model, opts));
    };
    more();
    more();
    while (ahead.length) {
      done(await ahead.shift()!);
      more();
    }
    await inWorkers;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  const boxes: DetectedBox[] = [],
    sizes: ImageSize[] = [],
    issues: LoadIssue[] = [];
  replies.forEach((r, i) => {
    if (!r || 'error' in r) issues.push({ file: records[i].path, message: r && 'error' in r ? r.error : 'no result' });
    else {
      boxes.push(...r.boxes);
      sizes.push({ id: records[i].id, width: r.width, height: r.height });
    }
  });
  return { boxes, sizes, issues, seconds: (performance.now() - start) / 1000 };
}

/** COCO output: the shared writer plus each box's category probability. */
export function detectionsToCoco(boxes: readonly DetectedBox[], sizes: readonly ImageSize[]): unknown {
  const coco = formatCoco(boxes, sizes) as unknown as { annotations: Record<string, unknown>[] };
  coco.annotations.forEach((a, i) => {
    a.category_score = boxes[i].categoryScore;
    if (boxes[i].glyph) a.glyph = boxes[i].glyph;
  });
  return coco;
}

/**
 * True boxes for --eval: COCO (its image list included, so images without labels count) or a box CSV
 * (path,x,y,w,h,category[,text]; its images are those it names).
 */
export async function readTruth(file: string): Promise<{ boxes: LabelBox[]; images: string[] }> {
  const format = await detectBoxFormat(file);
  if (format === 'coco') return readCocoTruth(file);
  if (format !== 'csv')
    throw new Error(`${file}: true boxes must be COCO JSON or a box CSV (path,x,y,w,h,category,text), not ${format}`);
  const boxes = await readBoxes(file, { format: 'csv' });
  return { boxes, images: [...new Set(boxes.map((b) => b.file))] };
}

export async function readCocoTruth(file: string): Promise<{ boxes: LabelBox[]; images: string[] }> {
  let v: { images?: { file_name: string }[] };
  try {
    v = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: cannot read COCO truth (${(err as Error).message})`);
  }
  if (!v || !Array.isArray(v.images)) throw new Error(`${file}: not a COCO file (no "images" list)`);
  return { boxes: parseCoco(v, file), images: v.images.map((im) => im.file_name.replace(/\\/g, '/')) };
}

/** The columns read from the pixels (what a screen should advise covering rather than stratifying). */
export const DETECTED_COLUMNS = [
  'has_laterality',
  'laterality_read',
  'marker_style',
  'has_technologist',
  'initials_read',
  'n_other',
  'other_text',
] as const;
/** The columns of the detector's table (`detect --table`, and the detector's part of `confound table`), in order. */
export const DETECTION_TABLE_COLUMNS = ['path', ...DETECTED_COLUMNS, 'patient', 'study', 'part', 'label'] as const;

export interface TableRow {
  path: string;
  has_laterality: 0 | 1;
  laterality_read: 'L' | 'R' | 'unknown';
  /** The best laterality marker's style ('' when there is none). */
  marker_style: string;
  has_technologist: 0 | 1;
  /** The best initials box's reading ('' when there is none). */
  initials_read: string;
  n_other: number;
  /** The other text boxes' readings, left to right, space-separated. */
  other_text: string;
  patient: string;
  study: string;
  part: string;
  label: string;
}

/** One row per image: what the detector found, with the record's own fields. */
export function detectionTable(records: readonly ImageRecord[], boxes: readonly DetectedBox[]): TableRow[] {
  const byFile = new Map<string, DetectedBox[]>();
  for (const b of boxes) (byFile.get(b.file) ?? byFile.set(b.file, []).get(b.file)!).push(b);
  return records.map((r) => {
    const bs = byFile.get(r.id) ?? [];
    const best = (cat: string) => bs.filter((b) => b.category === cat).sort((a, b) => b.score - a.score);
    const lat = best('laterality'),
      tech = best('technologist');
    const other = bs.filter((b) => b.category === 'other').sort((a, b) => a.x - b.x);
    const read = lat.find((b) => b.text === 'L' || b.text === 'R')?.text as 'L' | 'R' | undefined;
    return {
      path: r.id,
      has_laterality: lat.length ? 1 : 0,
      laterality_read: read ?? 'unknown',
      marker_style: lat[0]?.style ?? '',
      has_technologist: tech.length ? 1 : 0,
      initials_read: tech[0]?.text ?? '',
      n_other: other.length,
      other_text: other
        .map((b) => b.text ?? '')
        .filter(Boolean)
        .join(' '),
      patient: r.patient,
      study: r.study,
      part: r.part ?? '',
      label: r.label === undefined ? '' : String(r.label),
    };
  });
}
