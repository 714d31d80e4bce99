import { join } from 'node:path';
import type { ImageRecord, LoadIssue } from '../data/index.js';
import { readImageOrSkip } from '../data/index.js';
import { toModelBox, toModelInput } from '../data/index.js';
import type { LabelBox } from '../labels/index.js';
import type { Model } from '../engine/index.js';
import { writeFileAtomic } from '../util/index.js';
import { progress } from '../util/index.js';
import { CAM_METHODS, type CamMethod, type CamTarget } from './cam.js';
import { emptyFilmActivations, relativeToBaseline, type CamBaseline } from './baseline.js';
import { upsample, labelAttention } from './attention.js';
import { overlayRgb, encodeRgbPng } from './overlay.js';
import { encodeNpy } from './npy.js';

export interface CamImageResult {
  id: string;
  label?: 0 | 1;
  n_boxes: number;
  label_attention: number;
  pointing_hit: boolean;
  box_area_share: number;
  /** Attention per label category, for images with boxes of that category. */
  by_category: Record<string, number>;
  overlay?: string;
  map?: string;
}

/**
 * How the study measures label attention: gradient x activation at the stride-8 layer (features.denseblock2 in
 * every DenseNet here), against an empty film, for each image's predicted class. Chosen on the phantom's known
 * truth. Grad-CAM at the final layer could not localise labels in the quick profile: each cell of its 8x8 map
 * sees the whole 128 px image, so a model shown nothing but labels put 7-20% of its mass on them (chance 7%),
 * and an original model whose answers moved by |dp| 0.2 when its labels were covered scored at chance. At the
 * stride-8 layer receptive fields are local; per-position gradients (not Grad-CAM's channel means, which lit up
 * every letter edge even in a model trained without a confound) keep the map to where the score is sensitive.
 * At the final layer of a GAP + linear head this measure equals Grad-CAM's. It tracks reliance only when the
 * model's start has seen uninformative text (the shipped quick weights have): from a text-naive start a
 * --confound 0 original arm scored 15.5% (covered 2.7%), as much as a confounded one. Covered arms keep a floor
 * of a few per cent (4-10% on the phantom): the black boxes' edges are in the receptive fields.
 */
export const STUDY_ATTENTION = {
  method: 'gradxact',
  layer: 'features.denseblock2',
  baseline: 'black',
  target: 'predicted',
} as const satisfies {
  method: CamMethod;
  layer: string;
  baseline: CamBaseline;
  target: CamTarget;
};

export interface CamRunOptions {
  size: number;
  mean: number;
  std: number;
  method?: CamMethod;
  /** Whose evidence (default: each image's predicted class). */
  target?: CamTarget;
  /** Activations measured against an empty film (default) or as they are. */
  baseline?: CamBaseline;
  layer?: string;
  batch?: number;
  /** Folder for overlays (PNG) and raw maps (.npy); nothing is written when absent. */
  outDir?: string;
  /** Write files for at most this many images (all when absent). */
  maxFiles?: number;
  /** Images that do not decode are left out and added here (named on stderr when absent). */
  skipped?: LoadIssue[];
}

/**
 * Grad-CAM (or Grad-CAM++) for each record at the model's input resolution, with label attention measured
 * against the record's boxes mapped into the same letterboxed frame.
 */
export async function camRecords(
  model: Pick<Model, 'capture'>,
  records: readonly ImageRecord[],
  boxes: ReadonlyMap<string, readonly LabelBox[]>,
  opts: CamRunOptions,
): Promise<CamImageResult[]> {
  const method = new CAM_METHODS[opts.method ?? 'gradcam']();
  const batch = opts.batch ?? 8;
  const S = opts.size;
  const out: CamImageResult[] = [];
  const empty =
    (opts.baseline ?? 'black') === 'black'
      ? await emptyFilmActivations(model, S, opts.mean, opts.std, opts.layer)
      : null;
  const bar = progress('grad-cam', records.length);
  for (let start = 0; start < records.length; start += batch) {
    const read = await Promise.all(
      records.slice(start, start + batch).map(async (r) => ({ r, img: await readImageOrSkip(r, opts.skipped) })),
    );
    // Each image is decoded and letterboxed once: the normalised input for the model, the pixels for overlays.
    const prepared = read.flatMap(({ r, img }) => {
      if (!img) return [];
      const m = toModelInput(img, { size: S, mean: opts.mean, std: opts.std });
      return [
        { r, input: m.input, gray: m.pixels, boxes: (boxes.get(r.id) ?? []).map((b) => toModelBox(b, m.transform)) },
      ];
    });
    bar.tick(read.length);
    if (prepared.length === 0) continue;
    const chunk = prepared.map((p) => p.r);
    const images = new Float32Array(chunk.length * S * S);
    prepared.forEach((p, k) => {
      images.set(p.input, k * S * S);
    });
    const captured = await model.capture(images, { n: chunk.length, height: S, width: S }, opts.layer);
    const cap = empty ? relativeToBaseline(captured, empty) : captured;
    const cams = method.compute(cap, opts.target ?? 'predicted');
    for (let k = 0; k < chunk.length; k++) {
      const { r, gray, boxes: bs } = prepared[k];
      const map = upsample(cams.maps.subarray(k * cams.h * cams.w, (k + 1) * cams.h * cams.w), cams.h, cams.w, S, S);
      const score = labelAttention(map, S, S, bs);
      const byCategory: Record<string, number> = {};
      for (const cat of new Set(bs.map((b) => b.category))) {
        byCategory[cat] = labelAttention(
          map,
          S,
          S,
          bs.filter((b) => b.category === cat),
        ).labelAttention;
      }
      const res: CamImageResult = {
        id: r.id,
        label: r.label,
        n_boxes: bs.length,
        label_attention: score.labelAttention,
        pointing_hit: score.pointingHit,
        box_area_share: score.boxAreaShare,
        by_category: byCategory,
      };
      if (opts.outDir && (opts.maxFiles === undefined || out.length < opts.maxFiles)) {
        const stem = r.id.replace(/[\\/]/g, '__').replace(/\.[^.]+$/, '');
        res.overlay = `${stem}.png`;
        res.map = `${stem}.npy`;
        await writeFileAtomic(
          join(opts.outDir, res.overlay),
          await encodeRgbPng(overlayRgb(gray, map, S, S, bs), S, S),
        );
        await writeFileAtomic(join(opts.outDir, res.map), encodeNpy(map, [S, S]));
      }
      out.push(res);
    }
  }
  bar.stop();
  return out;
}
