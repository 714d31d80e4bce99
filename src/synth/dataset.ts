/**
 * Write a synthetic dataset in MURA-v1.1 layout: images under DIR/{train,valid,test}/XR_<PART>/patientNNNNN/
 * studyM_{positive,negative}/imageK.png, MURA's CSVs (paths start with the dataset folder's own name, as MURA's
 * start with "MURA-v1.1/", i.e. they are relative to the folder that contains DIR), labels.coco.json, truth.csv
 * and synth.json (the options, to regenerate it).
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { encodeGrayPng } from '../data/index.js';
import { SPLITS } from '../data/index.js';
import { writeFileAtomic, writeJsonAtomic } from '../util/index.js';
import { makeDirs } from '../util/index.js';
import { toCsv } from '../util/index.js';
import { sampleMetadata } from './metadata.js';
import { resolveOptions } from './options.js';
import type { RenderSpec } from './render.js';
import { renderInOrder } from './render-pool.js';
import { labelsOnlyAuc, summarizeTruth, truthRows, TRUTH_COLUMNS, type SplitSummary } from './truth.js';
import { auc } from './auc.js';
import { encodePhantomDicom } from './dicom.js';
import type { DatasetMeta, ImageSpec, MarkerStyleSet, StudySpec, SynthOptions } from './types.js';

/** Files and folders a previous run of the generator leaves in DIR (removed before regenerating there). */
const OWN_ENTRIES = [
  ...SPLITS,
  ...SPLITS.flatMap((s) => [`${s}_image_paths.csv`, `${s}_labeled_studies.csv`]),
  'labels.coco.json',
  'truth.csv',
  'synth.json',
];

export interface SynthSummary {
  out: string;
  /** First component of the paths in the MURA CSVs. */
  prefix: string;
  options: SynthOptions;
  images: number;
  studies: number;
  patients: number;
  labels: number;
  splits: Record<string, SplitSummary>;
  /** Ideal labels-only classifier (rates per technologist x marker style estimated on train), image level. */
  labels_only_auc: number;
  labels_only_auc_train: number;
  /** Same, scored with the generating probabilities instead of train estimates. */
  labels_only_auc_generating: number;
}

export type Progress = (done: number, total: number) => void;

export function renderSpecFor(
  study: StudySpec,
  image: ImageSpec,
  size: number,
  labels = true,
  markerStyles?: MarkerStyleSet,
): RenderSpec {
  return {
    part: study.part,
    view: image.view,
    laterality: study.laterality,
    finding: study.finding,
    technologist: study.technologist,
    markerStyle: study.markerStyle,
    markerFont: study.markerFont,
    size,
    seed: image.seed,
    labels,
    markerStyles,
  };
}

async function prepareOut(out: string): Promise<void> {
  let entries: string[] = [];
  try {
    if (!(await stat(out)).isDirectory()) throw new Error(`${out}: exists and is not a folder`);
    entries = (await readdir(out)).filter((e) => !e.startsWith('.'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  // Made up front, so an output that cannot be a folder (/proc/x, under a file) fails before any image is drawn.
  await makeDirs(out);
  if (entries.length === 0) return;
  if (!entries.includes('synth.json')) {
    throw new Error(
      `${out}: folder is not empty and holds no synth.json (not a previous synthetic dataset); choose an empty or new folder`,
    );
  }
  for (const e of entries) if (OWN_ENTRIES.includes(e)) await rm(join(out, e), { recursive: true, force: true });
}

/** Generate and write a dataset. Same options (seed included) and same folder name give byte-identical files. */
export async function generateDataset(
  outDir: string,
  partial: Partial<SynthOptions> = {},
  progress?: Progress,
): Promise<SynthSummary> {
  const options = resolveOptions(partial);
  const out = resolve(outDir);
  const prefix = basename(out);
  await prepareOut(out);
  const meta = sampleMetadata(options);
  const coco = await writeImages(out, meta, progress);
  await writeFileAtomic(join(out, 'labels.coco.json'), JSON.stringify(coco) + '\n');

  const rows = truthRows(meta);
  await writeFileAtomic(
    join(out, 'truth.csv'),
    toCsv([TRUTH_COLUMNS, ...rows.map((r) => TRUTH_COLUMNS.map((c) => r[c]))]),
  );
  for (const split of SPLITS) {
    const studies = meta.studies.filter((s) => s.split === split);
    await writeFileAtomic(
      join(out, `${split}_image_paths.csv`),
      toCsv(studies.flatMap((s) => s.images.map((im) => [`${prefix}/${im.path}`]))),
    );
    await writeFileAtomic(
      join(out, `${split}_labeled_studies.csv`),
      toCsv(studies.map((s) => [`${prefix}/${s.folder}`, s.abnormal ? 1 : 0])),
    );
  }
  await writeJsonAtomic(join(out, 'synth.json'), { generator: 'confound synth', options });

  const test = rows.filter((r) => r.split === 'test');
  const round = (x: number) => Number(x.toFixed(4));
  return {
    out,
    prefix,
    options,
    images: rows.length,
    studies: meta.studies.length,
    patients: new Set(rows.map((r) => r.patient)).size,
    labels: coco.annotations.length,
    splits: summarizeTruth(rows),
    labels_only_auc: round(labelsOnlyAuc(rows, 'test')),
    labels_only_auc_train: round(labelsOnlyAuc(rows, 'train')),
    labels_only_auc_generating: round(
      auc(
        test.map((r) => Number(r.p_abnormal)),
        test.map((r) => Number(r.abnormal)),
      ),
    ),
  };
}

interface Coco {
  info: Record<string, unknown>;
  images: { id: number; file_name: string; width: number; height: number }[];
  annotations: {
    id: number;
    image_id: number;
    category_id: number;
    bbox: number[];
    area: number;
    iscrowd: 0;
    text: string;
  }[];
  categories: { id: number; name: string; supercategory: string }[];
}

export const COCO_CATEGORIES = [
  { id: 1, name: 'laterality', supercategory: 'label' },
  { id: 2, name: 'technologist', supercategory: 'label' },
];

async function writeImages(out: string, meta: DatasetMeta, progress?: Progress): Promise<Coco> {
  const { size, bits } = meta.options;
  const jobs = meta.studies.flatMap((s) => s.images.map((im) => ({ s, im })));
  const coco: Coco = {
    info: { description: 'confound synthetic radiographs: burned-in labels', seed: meta.options.seed },
    images: [],
    annotations: [],
    categories: COCO_CATEGORIES,
  };
  const inFlight = new Set<Promise<void>>();
  let done = 0;
  const specs = jobs.map(({ s, im }) =>
    renderSpecFor(s, im, size, meta.options.labels !== false, meta.options.markerStyles),
  );
  let k = 0;
  for await (const r of renderInOrder(specs)) {
    const { s, im } = jobs[k];
    const id = ++k;
    coco.images.push({ id, file_name: im.path, width: size, height: size });
    for (const l of r.labels) {
      coco.annotations.push({
        id: coco.annotations.length + 1,
        image_id: id,
        category_id: l.category === 'laterality' ? 1 : 2,
        bbox: l.bbox,
        area: l.bbox[2] * l.bbox[3],
        iscrowd: 0,
        text: l.text,
      });
    }
    // Encoding and writing run on libuv threads while the next image renders.
    const encoded =
      meta.options.format === 'dicom'
        ? Promise.resolve(encodePhantomDicom(meta.options.seed, bits, s, im, r))
        : encodeGrayPng(r.image, bits);
    const p = encoded
      .then((bytes) => writeFileAtomic(join(out, im.path), bytes))
      .then(() => {
        done++;
        progress?.(done, jobs.length);
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= 4) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return coco;
}
