/**
 * Rendered marker letters for training the reader beside the phantom's markers: L and R, and the letters of
 * Spanish and Italian markers, D (derecha/destra = right), I (izquierda = left) and S (sinistra = left), which
 * the phantom never draws. Each is drawn with the phantom's stroke fonts in the styles real markers come in:
 * plain, in a square frame, in a ring, and as a white (often italic) letter and ring on a black disc (the
 * Spanish "D in circle"), at any size from a few pixels, sometimes mirrored or turned, blurred and noisy, then
 * cut out by a jittered box around it as a detected box would be. Only training reads these: the phantom's
 * images are drawn as before.
 */
import { drawLabel, FONT_NAMES, type DrawnLabel, type LabelShape } from '../../synth/index.js';
import { Rng } from '../../util/index.js';
import { cropImage, type Crop } from './glyph.js';

export const RENDERED_LETTERS = ['L', 'R', 'D', 'I', 'S'] as const;
const STYLES = ['plain', 'box', 'circle', 'disc'] as const;
type RenderStyle = (typeof STYLES)[number];

/** Canvas side the letters are drawn on (pixels). */
const CANVAS = 112;

/** One rendered marker, cut out and box-averaged as the reader's crop is. */
export function renderMarker(letter: string, rng: Rng): { crop: Crop; style: RenderStyle } {
  const style = rng.pick(STYLES);
  // the Spanish disc markers carry an italic letter (the stencil font is the italic one)
  const font = style === 'disc' && rng.bool(0.7) ? 'stencil' : rng.pick(FONT_NAMES);
  const small = rng.bool(0.3);
  const height = small ? rng.uniform(6, 14) : rng.uniform(14, style === 'plain' ? 60 : 34);
  // rings are drawn here, clear of the letter as on real markers (the phantom's ring hugs a narrow I)
  const shape: LabelShape = {
    category: 'laterality',
    text: letter,
    font,
    style: style === 'box' ? 'box' : 'plain',
    height,
    ...(rng.bool(0.5) ? { strokeRatio: rng.uniform(0.08, 0.32) } : {}),
  };
  const turn = rng.next();
  const angle =
    turn < 0.75 ? rng.normal(0, 0.1) : turn < 0.9 ? (rng.pick([-1, 1]) * Math.PI) / 2 : rng.uniform(-Math.PI, Math.PI);
  const c = CANVAS / 2 + rng.uniform(-2, 2);
  const blur = rng.bool(0.3) ? 0 : rng.uniform(0.3, 1.4);
  const d = drawLabel(shape, CANVAS, c, c, angle, rng, blur);
  // real marker fonts run from narrow to wide: stretch the letter across by 0.8 to 1.6 (the ring stays round)
  const stretch = rng.bool(0.6) ? rng.uniform(0.8, 1.6) : 1;
  const ringR = height * rng.uniform(0.8, 1.25),
    ringW = Math.max(0.8, height * rng.uniform(0.03, 0.1));
  const ringed = style === 'circle' || style === 'disc';
  const img = new Float32Array(CANVAS * CANVAS);
  const bg = rng.uniform(0.02, 0.75),
    gx = rng.normal(0, 0.002),
    gy = rng.normal(0, 0.002);
  const discLevel = rng.uniform(0, 0.08);
  const ink = style === 'disc' ? rng.uniform(0.55, 1) : Math.min(1, bg + rng.uniform(0.15, 0.7));
  let x0 = CANVAS,
    y0 = CANVAS,
    x1 = -1,
    y1 = -1;
  for (let y = 0; y < CANVAS; y++)
    for (let x = 0; x < CANVAS; x++) {
      const i = y * CANVAS + x;
      let v = bg + gx * (x - c) + gy * (y - c);
      const r = Math.hypot(x - c, y - c);
      if (style === 'disc') {
        const cover = clamp01(ringR + ringW / 2 + 0.5 - r);
        v = v * (1 - cover) + discLevel * cover;
      }
      let s = strokeAt(d, c + (x - c) / stretch, y);
      if (ringed) s = Math.max(s, clamp01(ringW / 2 + 0.5 - Math.abs(r - ringR)));
      img[i] = v * (1 - s) + ink * s;
      if (s > 0.3) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x);
        y1 = Math.max(y1, y);
      }
    }
  const noise = rng.uniform(0.003, 0.03);
  for (let i = 0; i < img.length; i++) img[i] += rng.normal(0, noise);
  const flip = rng.bool(0.15);
  if (flip) mirror(img);
  if (x1 < x0) return { crop: { width: 0, height: 0, data: new Float32Array(0) }, style };
  const bw = x1 - x0 + 1,
    bx = flip ? CANVAS - x0 - bw : x0;
  const bh = y1 - y0 + 1;
  // a detected box is off the marker by a few percent each side
  const j = () => rng.uniform(-0.08, 0.1);
  const [l, t, r, b] = [j(), j(), j(), j()];
  const box = { x: bx - l * bw, y: y0 - t * bh, w: bw * (1 + l + r), h: bh * (1 + t + b) };
  return { crop: cropImage({ width: CANVAS, height: CANVAS, data: img }, box, 1), style };
}

/** Flip the canvas left to right (a marker placed back to front). */
function mirror(img: Float32Array): void {
  for (let y = 0; y < CANVAS; y++) img.subarray(y * CANVAS, (y + 1) * CANVAS).reverse();
}

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

/** The drawn label's stroke coverage at canvas point (x, y), bilinear (0 outside its window). */
function strokeAt(d: DrawnLabel, x: number, y: number): number {
  const fx = x - d.x0,
    fy = y - d.y0;
  const ix = Math.floor(fx),
    iy = Math.floor(fy);
  if (ix < 0 || iy < 0 || ix + 1 >= d.w || iy + 1 >= d.h) return 0;
  const tx = fx - ix,
    ty = fy - iy,
    k = iy * d.w + ix;
  const top = d.stroke[k] * (1 - tx) + d.stroke[k + 1] * tx,
    bottom = d.stroke[k + d.w] * (1 - tx) + d.stroke[k + d.w + 1] * tx;
  return top * (1 - ty) + bottom * ty;
}

/** `perLetter` rendered markers of each of `letters` (of RENDERED_LETTERS), in a fixed order from `seed`. */
export function renderedMarkers(
  seed: number,
  perLetter: number,
  letters: readonly string[] = RENDERED_LETTERS,
): { crop: Crop; letter: string }[] {
  const out: { crop: Crop; letter: string }[] = [];
  for (const letter of letters) {
    const rng = new Rng(`reader-render:${seed}:${letter}`);
    for (let k = 0; k < perLetter; k++) out.push({ crop: renderMarker(letter, rng).crop, letter });
  }
  return out;
}
