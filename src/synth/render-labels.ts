/** Burned-in labels: the laterality marker, then the technologist's initials, blended into the image with their mask. */
import type { Rng } from '../util/index.js';
import {
  compositeLabel,
  drawHolder,
  drawLabel,
  fieldToImage,
  labelBox,
  labelRadius,
  placeLabel,
  type Field,
  type Holder,
  type LabelShape,
} from './labels.js';
import type { RenderedLabel, RenderSpec } from './render.js';
import { LABEL_CODES } from './render-codes.js';

/**
 * Draw the labels of `spec` on `blurred` (a holder, being plastic, on `clean` too), inside the collimated field.
 * `lead` blur comes from the detector's sigma. `rng` is the image's root stream, which only forks here.
 */
export function burnLabels(
  spec: RenderSpec,
  rng: Rng,
  field: Field,
  sigma: number,
  blurred: Float32Array,
  clean: Float32Array,
): { labelMask: Uint8Array; labels: RenderedLabel[] } {
  const { size } = spec;
  const lr = rng.fork('labels');
  const labelMask = new Uint8Array(size * size);
  const labels: RenderedLabel[] = [];
  const lead = lr.bool(0.6) ? sigma * 0.8 : 0;
  const shapes: LabelShape[] = [
    {
      category: 'laterality',
      text: spec.laterality,
      font: spec.markerFont,
      style: spec.markerStyle,
      height: size * lr.uniform(0.09, 0.14),
    },
    {
      category: 'technologist',
      text: spec.technologist.initials,
      font: spec.technologist.font,
      style: 'plain',
      height: size * lr.uniform(0.075, 0.1),
    },
  ];
  // The extended set draws from its own stream (a fork does not advance `rng`), so standard images are unchanged.
  let holder: Holder | null = null;
  if (spec.markerStyles === 'extended') {
    const ext = rng.fork('marker-extended');
    // smaller letters than the standard set's (a real marker can be 5 % of the image side; initials too)
    if (ext.bool(0.4)) shapes[0] = { ...shapes[0], height: size * ext.uniform(0.05, 0.09) };
    if (ext.bool(0.3)) shapes[1] = { ...shapes[1], height: size * ext.uniform(0.05, 0.075) };
    const m = shapes[0];
    // bold lead letters: strokes of a quarter to a third of the letter height (a real "L" in a holder), often unframed
    if (ext.bool(0.45))
      shapes[0] = { ...m, strokeRatio: ext.uniform(0.22, 0.34), style: ext.bool(0.6) ? 'plain' : m.style };
    if (ext.bool(0.5)) {
      const hh = shapes[0].height,
        a = hh * ext.uniform(0.55, 0.95),
        b = a * ext.uniform(1, 2.8);
      holder = {
        halfAcross: a,
        halfAlong: b,
        offset: ext.uniform(-1, 1) * Math.max(0, b - hh * 0.6),
        level: ext.uniform(0.025, 0.12),
        outline: ext.bool(0.3),
        hole: ext.bool(0.4) ? a * ext.uniform(0.2, 0.35) : 0,
      };
    }
  }
  const taken: [number, number, number][] = [];
  const baseAngle = field.angle + (lr.bool(0.1) ? (lr.pick([-1, 1]) * Math.PI) / 2 : 0);
  if (spec.labels !== false)
    shapes.forEach((shape, k) => {
      const r = labelRadius(shape);
      const near = k === 1 && lr.bool(0.6) ? taken[0] : undefined;
      const [u, v] = placeLabel(field, r, taken, lr, near);
      taken.push([u, v, r]);
      const [cx, cy] = fieldToImage(field, u, v);
      const jitter = lr.bool(0.7) ? lr.normal(0, 0.08) : lr.uniform(-0.45, 0.45);
      if (k === 0 && holder) {
        // the holder is part of the radiograph (plastic), under the marker: in the clean image too, not in the mask
        const hd = drawHolder(holder, size, cx, cy, baseAngle + jitter, sigma);
        for (let y = 0; y < hd.h; y++)
          for (let x = 0; x < hd.w; x++) {
            const c = hd.cov[y * hd.w + x];
            if (c === 0) continue;
            const i = (y + hd.y0) * size + x + hd.x0;
            blurred[i] += holder.level * c;
            clean[i] += holder.level * c;
          }
      }
      const drawn = drawLabel(shape, size, cx, cy, baseAngle + jitter, lr, lead);
      const box = labelBox(drawn);
      if (!box) return;
      compositeLabel(blurred, size, labelMask, drawn, LABEL_CODES[shape.category], lr);
      labels.push({ category: shape.category, text: shape.text, bbox: box });
    });
  return { labelMask, labels };
}
