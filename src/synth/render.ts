/**
 * Pixels of one synthetic radiograph. Anatomy is turned into an attenuation map (projected thickness times
 * density), findings and hardware modify it, then exposure, collimation, blur and noise make the image, and
 * burned-in labels are blended on top with their exact pixel mask. One stage per file (render-*.ts); the stages
 * draw from the image's random stream in this order, which keeps a seed's pixels the same.
 */
import { Rng } from '../util/index.js';
import type { GrayImage } from '../data/index.js';
import { partModel, type Part } from './anatomy.js';
import type { SynthLabelCategory } from './labels.js';
import type { FindingSpec, MarkerStyle, MarkerStyleSet, Technologist } from './types.js';
import type { FontName } from './fonts.js';
import { makeTransform } from './render-geometry.js';
import { addBones, softTissue } from './render-anatomy.js';
import { drawHardware, MU_METAL } from './render-hardware.js';
import { blurAndNoise, collimate, expose } from './render-film.js';
import { burnLabels } from './render-labels.js';
export { LABEL_CODES } from './render-codes.js';

export interface RenderSpec {
  part: Part;
  view: 'ap' | 'lateral';
  laterality: 'L' | 'R';
  finding: FindingSpec | null;
  technologist: Pick<Technologist, 'initials' | 'font'>;
  markerStyle: MarkerStyle;
  markerFont: FontName;
  size: number;
  seed: number;
  /** false: no burned-in labels. */
  labels?: boolean;
  /** 'extended': bold markers and faint holders too, drawn from a random stream of their own (absent: standard). */
  markerStyles?: MarkerStyleSet;
}

export interface RenderedLabel {
  category: SynthLabelCategory;
  text: string;
  bbox: [number, number, number, number];
}

export interface RenderedImage {
  image: GrayImage;
  /** Per pixel: 0 no label, 1 laterality marker, 2 technologist initials. Exactly the pixels labels changed. */
  labelMask: Uint8Array;
  labels: RenderedLabel[];
  /** The same radiograph without its labels (ground truth for label removal). */
  clean: GrayImage;
}

/** Render one radiograph. Deterministic in the spec (the seed included). */
export function renderImage(spec: RenderSpec): RenderedImage {
  const { size } = spec;
  const rng = new Rng(spec.seed);
  const model = partModel(spec.part, spec.view, rng.fork('anatomy'));
  const tf = makeTransform(size, rng.fork('pose'), spec.laterality === 'R');
  const mu = softTissue(model, tf, size);
  const f = spec.finding;
  const site = addBones(mu, model, tf, size, f, rng);
  if (f && f.kind === 'hardware' && site) {
    const metal = new Float32Array(size * size);
    drawHardware(
      metal,
      size,
      f,
      site,
      rng.fork('hardware'),
      spec.markerStyles === 'extended' ? rng.fork('hardware-extended') : null,
    );
    for (let i = 0; i < mu.length; i++) mu[i] += metal[i] * MU_METAL;
  }
  const img = expose(mu, size, rng.fork('exposure'));
  const field = collimate(img, size, tf.theta, rng.fork('collimation'));
  const { blurred, sigma } = blurAndNoise(img, size, rng.fork('noise'));
  const clean = blurred.slice();
  const { labelMask, labels } = burnLabels(spec, rng, field, sigma, blurred, clean);
  for (const a of [blurred, clean]) for (let i = 0; i < a.length; i++) a[i] = a[i] < 0 ? 0 : a[i] > 1 ? 1 : a[i];
  return {
    image: { width: size, height: size, data: blurred, bits: 8 },
    labelMask,
    labels,
    clean: { width: size, height: size, data: clean, bits: 8 },
  };
}
