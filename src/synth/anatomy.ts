/**
 * Body-part models in a canonical unit field (x right, y down, 0..1; the image is the field after rotation,
 * scaling and mirroring). Long bones are chains of tapered tubes with a cortex (a hollow cylinder projects to
 * bright edges and a darker medulla); carpals, heads and condyles are ellipsoid shells; soft tissue is a union
 * of solid tubes. Radii are in field units.
 */
import type { Rng } from '../util/index.js';

export const PARTS = ['ELBOW', 'FINGER', 'FOREARM', 'HAND', 'HUMERUS', 'SHOULDER', 'WRIST'] as const;
export type Part = (typeof PARTS)[number];

/** [x, y, radius] */
export type Knot = [number, number, number];
export interface TubeBone {
  kind: 'tube';
  knots: Knot[];
  cortex: number;
  density: number;
  primary: boolean;
}
export interface BlobBone {
  kind: 'blob';
  cx: number;
  cy: number;
  rx: number;
  ry: number;
  angle: number;
  cortex: number;
  density: number;
  primary: boolean;
}
export type Bone = TubeBone | BlobBone;
export interface PartModel {
  bones: Bone[];
  soft: Knot[][];
}

const tube = (knots: Knot[], primary = false, cortex = 0.3, density = 1): TubeBone => ({
  kind: 'tube',
  knots,
  cortex,
  density,
  primary,
});
const blob = (cx: number, cy: number, rx: number, ry: number, angle = 0, cortex = 0.22, density = 0.9): BlobBone => ({
  kind: 'blob',
  cx,
  cy,
  rx,
  ry,
  angle,
  cortex,
  density,
  primary: false,
});

/** A finger as phalanx tubes from a base point along an angle; joint gaps between bones. */
function digit(
  bx: number,
  by: number,
  angleDeg: number,
  lengths: number[],
  r: number,
  primary: boolean,
): { bones: Bone[]; tip: [number, number] } {
  const a = (angleDeg * Math.PI) / 180;
  const dx = Math.sin(a),
    dy = -Math.cos(a);
  const gap = r * 0.55;
  let x = bx,
    y = by;
  const bones: Bone[] = [];
  lengths.forEach((len, i) => {
    const rr = r * (1 - i * 0.12);
    const ex = x + dx * len,
      ey = y + dy * len;
    bones.push(
      tube(
        [
          [x, y, rr * 1.25],
          [x + dx * len * 0.2, y + dy * len * 0.2, rr * 0.85],
          [x + dx * len * 0.8, y + dy * len * 0.8, rr * 0.85],
          [ex, ey, rr * 1.15],
        ],
        primary,
        0.32,
      ),
    );
    x = ex + dx * gap;
    y = ey + dy * gap;
  });
  return { bones, tip: [x, y] };
}

function hand(rng: Rng, scale: number, ox: number, oy: number): PartModel {
  const bones: Bone[] = [];
  const soft: Knot[][] = [];
  const j = () => rng.uniform(-0.01, 0.01);
  const s = (v: number) => v * scale;
  // Fingers 2-5: metacarpal + three phalanges, fanning out from the carpus.
  const fingers: [number, number, number[]][] = [
    [0.4, -8, [0.21, 0.12, 0.075, 0.055]],
    [0.49, -1, [0.2, 0.135, 0.085, 0.06]],
    [0.575, 6, [0.19, 0.125, 0.08, 0.055]],
    [0.65, 14, [0.17, 0.1, 0.065, 0.05]],
  ];
  for (const [x, ang, lens] of fingers) {
    const bx = ox + s(x - 0.5) + j(),
      by = oy + s(0.2) + j();
    const d = digit(bx, by, ang + rng.uniform(-3, 3), lens.map(s), s(0.021), true);
    bones.push(...d.bones);
    soft.push([
      [bx, by, s(0.05)],
      [d.tip[0], d.tip[1], s(0.034)],
    ]);
  }
  // Thumb: metacarpal + two phalanges, angled out.
  const t = digit(
    ox + s(0.34 - 0.5),
    oy + s(0.3),
    -38 + rng.uniform(-5, 5),
    [s(0.13), s(0.1), s(0.065)],
    s(0.024),
    true,
  );
  bones.push(...t.bones);
  soft.push([
    [ox + s(0.36 - 0.5), oy + s(0.32), s(0.07)],
    [t.tip[0], t.tip[1], s(0.04)],
  ]);
  // Carpals: two rows.
  const carp: [number, number, number, number, number][] = [
    [0.37, 0.28, 0.035, 0.032, 20],
    [0.44, 0.265, 0.03, 0.032, 0],
    [0.505, 0.265, 0.035, 0.04, 0],
    [0.58, 0.27, 0.035, 0.035, -10],
    [0.39, 0.34, 0.045, 0.028, 35],
    [0.48, 0.345, 0.035, 0.03, 0],
    [0.56, 0.34, 0.03, 0.028, 0],
    [0.6, 0.32, 0.018, 0.018, 0],
  ];
  for (const [x, y, rx, ry, ang] of carp)
    bones.push(blob(ox + s(x - 0.5) + j() * 0.5, oy + s(y) + j() * 0.5, s(rx), s(ry), ang));
  // Distal radius and ulna.
  bones.push(
    tube(
      [
        [ox + s(-0.1), oy + s(0.39), s(0.07)],
        [ox + s(-0.09), oy + s(0.47), s(0.045)],
        [ox + s(-0.08), oy + s(0.75), s(0.04)],
      ],
      true,
    ),
  );
  bones.push(
    tube(
      [
        [ox + s(0.11), oy + s(0.4), s(0.035)],
        [ox + s(0.1), oy + s(0.47), s(0.03)],
        [ox + s(0.09), oy + s(0.75), s(0.03)],
      ],
      false,
    ),
  );
  soft.push([
    [ox, oy + s(0.2), s(0.21)],
    [ox, oy + s(0.38), s(0.19)],
    [ox, oy + s(0.8), s(0.2)],
  ]);
  return { bones, soft };
}

function model(part: Part, rng: Rng): PartModel {
  const j = (a = 0.01) => rng.uniform(-a, a);
  switch (part) {
    case 'HAND':
      return hand(rng, 1, 0.5, 0.18);
    case 'WRIST':
      return hand(rng, 1.6, 0.5 + j(), -0.12);
    case 'FINGER': {
      const bones: Bone[] = [];
      const soft: Knot[][] = [];
      const main = digit(0.5 + j(), 1.02, rng.uniform(-4, 4), [0.36, 0.26, 0.17, 0.12], 0.05, true);
      bones.push(...main.bones);
      soft.push([
        [0.5, 1.05, 0.12],
        [main.tip[0], main.tip[1] + 0.02, 0.085],
      ]);
      for (const side of [-1, 1]) {
        const n = digit(0.5 + side * 0.3, 1.1, side * 7, [0.38, 0.26, 0.16, 0.12], 0.046, false);
        bones.push(...n.bones);
        soft.push([
          [0.5 + side * 0.3, 1.1, 0.11],
          [n.tip[0], n.tip[1] + 0.02, 0.08],
        ]);
      }
      return { bones, soft };
    }
    case 'FOREARM': {
      const bones: Bone[] = [
        tube(
          [
            [0.37 + j(), 0.06, 0.075],
            [0.39, 0.17, 0.045],
            [0.42, 0.5, 0.035],
            [0.43, 0.86, 0.032],
            [0.43, 0.95, 0.045],
          ],
          true,
        ),
        tube(
          [
            [0.62 + j(), 0.08, 0.04],
            [0.61, 0.18, 0.033],
            [0.585, 0.5, 0.036],
            [0.57, 0.84, 0.045],
            [0.56, 0.96, 0.065],
          ],
          true,
        ),
        blob(0.4, -0.01, 0.05, 0.03, 10),
        blob(0.52, -0.02, 0.045, 0.035),
        tube(
          [
            [0.47, 1.07, 0.09],
            [0.48, 1.2, 0.06],
          ],
          false,
        ),
      ];
      return {
        bones,
        soft: [
          [
            [0.5, -0.1, 0.25],
            [0.5, 0.5, 0.22],
            [0.5, 1.1, 0.27],
          ],
        ],
      };
    }
    case 'HUMERUS': {
      const bones: Bone[] = [
        blob(0.47 + j(), 0.07, 0.13, 0.12, 0, 0.15),
        tube(
          [
            [0.5, 0.14, 0.085],
            [0.5 + j(), 0.25, 0.055],
            [0.51, 0.6, 0.05],
            [0.51, 0.82, 0.07],
            [0.51, 0.93, 0.12],
          ],
          true,
          0.33,
        ),
        blob(0.45, 0.97, 0.06, 0.04),
        blob(0.57, 0.97, 0.055, 0.04),
        tube(
          [
            [0.12, -0.05, 0.02],
            [0.2, 0.1, 0.02],
          ],
          false,
          0.4,
          0.6,
        ),
      ];
      return {
        bones,
        soft: [
          [
            [0.5, -0.05, 0.3],
            [0.5, 0.5, 0.26],
            [0.5, 1.05, 0.28],
          ],
        ],
      };
    }
    case 'ELBOW': {
      const bones: Bone[] = [
        tube(
          [
            [0.5 + j(), -0.1, 0.055],
            [0.5, 0.2, 0.06],
            [0.5, 0.36, 0.1],
            [0.5, 0.43, 0.15],
          ],
          true,
        ),
        blob(0.43, 0.46, 0.06, 0.045),
        blob(0.56, 0.47, 0.065, 0.05),
        tube(
          [
            [0.41, 0.555, 0.05],
            [0.415, 0.62, 0.035],
            [0.42, 0.8, 0.035],
            [0.42, 1.1, 0.04],
          ],
          true,
        ),
        tube(
          [
            [0.6, 0.54, 0.06],
            [0.59, 0.62, 0.045],
            [0.57, 0.8, 0.035],
            [0.56, 1.1, 0.032],
          ],
          true,
        ),
        blob(0.61 + j(), 0.5, 0.05, 0.06, -10, 0.25),
      ];
      return {
        bones,
        soft: [
          [
            [0.5, -0.1, 0.25],
            [0.5, 0.45, 0.3],
            [0.5, 1.1, 0.26],
          ],
        ],
      };
    }
    case 'SHOULDER': {
      const bones: Bone[] = [
        blob(0.8, 0.64, 0.2, 0.34, 12, 0.1, 0.22),
        blob(0.66 + j(), 0.48, 0.05, 0.11, 8, 0.3, 0.9),
        blob(0.44 + j(), 0.47, 0.13, 0.14, 0, 0.18),
        tube(
          [
            [0.43, 0.55, 0.1],
            [0.41, 0.68, 0.065],
            [0.38, 1.15, 0.06],
          ],
          true,
        ),
        tube(
          [
            [0.05, 0.14, 0.035],
            [0.35, 0.2, 0.03],
            [0.6, 0.17, 0.033],
            [0.95, 0.08, 0.035],
          ],
          true,
        ),
        blob(0.55, 0.27, 0.12, 0.04, -8, 0.25),
        tube(
          [
            [0.85, 0.75, 0.02],
            [0.95, 0.8, 0.02],
            [1.1, 0.9, 0.02],
          ],
          false,
          0.45,
          0.6,
        ),
        tube(
          [
            [0.8, 0.95, 0.02],
            [0.92, 1.0, 0.02],
            [1.1, 1.08, 0.02],
          ],
          false,
          0.45,
          0.6,
        ),
      ];
      return {
        bones,
        soft: [
          [
            [0.35, 0.3, 0.3],
            [0.3, 1.1, 0.3],
          ],
          [
            [0.7, 0.4, 0.45],
            [0.9, 1.1, 0.45],
          ],
        ],
      };
    }
  }
}

/**
 * The part's anatomy for one image. A lateral view squeezes bone positions toward the midline so paired
 * bones overlap, as they do on a real lateral projection.
 */
export function partModel(part: Part, view: 'ap' | 'lateral', rng: Rng): PartModel {
  const m = model(part, rng);
  if (view === 'ap') return m;
  const sq = (x: number) => 0.5 + (x - 0.5) * 0.55;
  for (const b of m.bones) {
    if (b.kind === 'tube') b.knots = b.knots.map(([x, y, r]) => [sq(x), y, r]);
    else {
      b.cx = sq(b.cx);
      b.rx *= 0.8;
    }
  }
  m.soft = m.soft.map((k) => k.map(([x, y, r]) => [0.5 + (x - 0.5) * 0.8, y, r * 0.85] as Knot));
  return m;
}
