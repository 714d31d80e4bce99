/**
 * Stroke fonts for burned-in labels. Letters are polylines on a 4 x 6 grid (y down); the renderer strokes them
 * with anti-aliased thick lines, so every label pixel is known exactly. Three fonts: an angular "block" skeleton,
 * a "rounded" one (the block skeleton smoothed by corner cutting), and a condensed italic "stencil".
 */
export type Point = readonly [number, number];
export type Polyline = readonly Point[];
export interface Glyph {
  strokes: Polyline[];
  width: number;
}
export interface StrokeFont {
  name: FontName;
  glyphs: Map<string, Glyph>;
  strokeRatio: number;
  advance: number;
}

export const FONT_NAMES = ['block', 'rounded', 'stencil'] as const;
export type FontName = (typeof FONT_NAMES)[number];

/** Letters available for technologist initials (plus L and R for laterality). */
export const INITIAL_LETTERS = 'ABCDEGHJKLMNPRSTW';

const P = (s: string): Polyline =>
  s
    .trim()
    .split(/\s+/)
    .map((pair) => {
      const [x, y] = pair.split(',').map(Number);
      return [x, y] as const;
    });

const BLOCK: Record<string, string[]> = {
  A: ['0,6 2,0 4,6', '0.7,4 3.3,4'],
  B: ['0,3 3,3 4,4 4,5 3,6 0,6 0,0 3,0 3.8,0.8 3.8,2.2 3,3'],
  C: ['4,1 3,0 1,0 0,1 0,5 1,6 3,6 4,5'],
  D: ['0,0 0,6 2.5,6 4,4.5 4,1.5 2.5,0 0,0'],
  E: ['4,0 0,0 0,6 4,6', '0,3 3,3'],
  G: ['4,1 3,0 1,0 0,1 0,5 1,6 3,6 4,5 4,3.5 2.3,3.5'],
  H: ['0,0 0,6', '4,0 4,6', '0,3 4,3'],
  // serif I: drawn only for the label detector's reader (Spanish izquierda = left), never by the phantom
  I: ['2,0 2,6', '1,0 3,0', '1,6 3,6'],
  J: ['4,0 4,5 3,6 1,6 0,5'],
  K: ['0,0 0,6', '4,0 0,3.8', '1.4,2.7 4,6'],
  L: ['0,0 0,6 4,6'],
  M: ['0,6 0,0 2,3.5 4,0 4,6'],
  N: ['0,6 0,0 4,6 4,0'],
  P: ['0,6 0,0 3,0 4,1 4,2.5 3,3.5 0,3.5'],
  R: ['0,6 0,0 3,0 4,1 4,2.5 3,3.5 0,3.5', '2,3.5 4,6'],
  S: ['4,1 3,0 1,0 0,1 0,2 1,3 3,3 4,4 4,5 3,6 1,6 0,5'],
  T: ['0,0 4,0', '2,0 2,6'],
  W: ['0,0 1,6 2,2.5 3,6 4,0'],
};

/** Chaikin corner cutting: each pass replaces every corner by two points at 1/4 and 3/4 of its edges. */
function smooth(line: Polyline, passes: number): Polyline {
  let pts = line;
  for (let k = 0; k < passes; k++) {
    if (pts.length < 3) return pts;
    const out: Point[] = [pts[0]];
    for (let i = 0; i < pts.length - 1; i++) {
      const [ax, ay] = pts[i];
      const [bx, by] = pts[i + 1];
      if (i > 0) out.push([0.75 * ax + 0.25 * bx, 0.75 * ay + 0.25 * by]);
      if (i < pts.length - 2) out.push([0.25 * ax + 0.75 * bx, 0.25 * ay + 0.75 * by]);
    }
    out.push(pts[pts.length - 1]);
    pts = out;
  }
  return pts;
}

function build(name: FontName): StrokeFont {
  const glyphs = new Map<string, Glyph>();
  for (const [ch, lines] of Object.entries(BLOCK)) {
    let strokes = lines.map(P);
    let width = 4;
    if (name === 'rounded') strokes = strokes.map((l) => smooth(l, 2));
    if (name === 'stencil') {
      // Condensed to 70 % width and sheared 0.22 to the right (italic), measured from the baseline.
      strokes = strokes.map((l) => l.map(([x, y]) => [x * 0.7 + (6 - y) * 0.22, y] as const));
      width = 4 * 0.7 + 6 * 0.22;
    }
    glyphs.set(ch, { strokes, width });
  }
  const strokeRatio = name === 'block' ? 0.16 : name === 'rounded' ? 0.12 : 0.2;
  return { name, glyphs, strokeRatio, advance: 1.6 };
}

export const FONTS: ReadonlyMap<FontName, StrokeFont> = new Map(FONT_NAMES.map((n) => [n, build(n)]));

/** Strokes of a text in font units (height 6), laid out left to right; returns the strokes and total width. */
export function layoutText(text: string, font: StrokeFont): { strokes: Polyline[]; width: number } {
  const strokes: Polyline[] = [];
  let x = 0;
  for (const ch of text) {
    const g = font.glyphs.get(ch);
    if (!g) throw new Error(`font ${font.name} has no glyph for ${JSON.stringify(ch)}`);
    for (const s of g.strokes) strokes.push(s.map(([px, py]) => [px + x, py] as const));
    x += g.width + font.advance;
  }
  return { strokes, width: Math.max(0, x - font.advance) };
}
