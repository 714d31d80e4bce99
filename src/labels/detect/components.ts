/** Connected components (8-connectivity) of a binary mask, with the per-component sums the features need. */

export interface Component {
  id: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number; // inclusive bounds
  area: number;
  /** Boundary pixels (mask pixels with a 4-neighbour outside the mask). */
  perimeter: number;
  sumX: number;
  sumY: number;
  sumXX: number;
  sumYY: number;
  sumXY: number;
  sumVal: number;
  maxVal: number;
  sumTop: number;
  /** The label raster the component lives in (its pixels are where labels === id). */
  labels: Int32Array;
  /** Unique across the threshold levels of one image. */
  uid: number;
}

export interface Labelling {
  labels: Int32Array;
  components: Component[];
}

/**
 * Label rasters handed out while an image is being detected (between openLabelPool and closeLabelPool), and those
 * of the last image, free to hand out again: a 1,024 px film's stages label some 6 MB of masks, and allocating
 * them afresh drove a major GC every other image.
 */
const kept: { inUse: Int32Array[]; free: Int32Array[] } = { inUse: [], free: [] };
let pooling = false;

/**
 * Take label rasters from the pool until closeLabelPool: the rasters (and the components that point at them) must
 * not be kept past it, as the next image's stages overwrite them. False (and nothing to close) where one is open.
 */
export function openLabelPool(): boolean {
  if (pooling) return false;
  pooling = true;
  return true;
}

/** Give back this image's label rasters, for the next image (those of other sizes are let go). */
export function closeLabelPool(): void {
  kept.free = kept.inUse;
  kept.inUse = [];
  pooling = false;
}

/** A zeroed label raster of n pixels, from the pool where one is open. */
function labelRaster(n: number): Int32Array {
  if (!pooling) return new Int32Array(n);
  const free = kept.free;
  for (let i = 0; i < free.length; i++) {
    if (free[i].length !== n) continue;
    const a = free[i];
    free[i] = free[free.length - 1];
    free.pop();
    a.fill(0);
    kept.inUse.push(a);
    return a;
  }
  const a = new Int32Array(n);
  kept.inUse.push(a);
  return a;
}

// the union-find forest of labelComponents, kept from call to call (labels are numbered from 1; 0 is background)
let parent = new Int32Array(1 << 12);

function growParent(): void {
  const p = new Int32Array(2 * parent.length);
  p.set(parent);
  parent = p;
}

function find(a: number): number {
  while (parent[a] !== a) {
    parent[a] = parent[parent[a]];
    a = parent[a];
  }
  return a;
}

function union(a: number, b: number): number {
  const ra = find(a),
    rb = find(b);
  if (ra === rb) return ra;
  if (ra < rb) {
    parent[rb] = ra;
    return ra;
  }
  parent[ra] = rb;
  return rb;
}

/** Label the mask with a two-pass union-find; components are numbered from 1 in raster order of first pixel. */
export function labelComponents(
  mask: Uint8Array,
  width: number,
  height: number,
  value: Float32Array,
  tophat: Float32Array,
): Labelling {
  const labels = labelRaster(width * height);
  let next = 1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      if (!mask[i]) continue;
      let l = x > 0 ? labels[i - 1] : 0;
      if (y > 0) {
        const up = i - width;
        const a = x > 0 ? labels[up - 1] : 0,
          b = labels[up],
          c = x + 1 < width ? labels[up + 1] : 0;
        if (a) l = l ? (l === a ? l : union(l, a)) : a;
        if (b) l = l ? (l === b ? l : union(l, b)) : b;
        if (c) l = l ? (l === c ? l : union(l, c)) : c;
      }
      if (!l) {
        if (next === parent.length) growParent();
        l = next++;
        parent[l] = l;
      }
      labels[i] = l;
    }
  }
  const remap = new Int32Array(next);
  let count = 0;
  for (let l = 1; l < next; l++) {
    const r = find(l);
    remap[l] = r === l ? ++count : remap[r];
  }
  // the sums per component in typed arrays (the same doubles, added in the same raster order), objects made after
  const bx0 = new Int32Array(count + 1).fill(0x7fffffff),
    by0 = new Int32Array(count + 1).fill(0x7fffffff),
    bx1 = new Int32Array(count + 1).fill(-1),
    by1 = new Int32Array(count + 1).fill(-1),
    area = new Int32Array(count + 1),
    perim = new Int32Array(count + 1);
  const sx = new Float64Array(count + 1),
    sy = new Float64Array(count + 1),
    sxx = new Float64Array(count + 1),
    syy = new Float64Array(count + 1),
    sxy = new Float64Array(count + 1),
    sv = new Float64Array(count + 1),
    mv = new Float64Array(count + 1),
    st = new Float64Array(count + 1);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const edgeRow = y === 0 || y === height - 1;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      if (!labels[i]) continue;
      const id = remap[labels[i]];
      labels[i] = id;
      if (x < bx0[id]) bx0[id] = x;
      if (x > bx1[id]) bx1[id] = x;
      if (y < by0[id]) by0[id] = y;
      if (y > by1[id]) by1[id] = y;
      area[id]++;
      sx[id] += x;
      sy[id] += y;
      sxx[id] += x * x;
      syy[id] += y * y;
      sxy[id] += x * y;
      const v = value[i];
      sv[id] += v;
      if (v > mv[id]) mv[id] = v;
      st[id] += tophat[i];
      if (edgeRow || x === 0 || x === width - 1 || !mask[i - 1] || !mask[i + 1] || !mask[i - width] || !mask[i + width])
        perim[id]++;
    }
  }
  const components: Component[] = [];
  for (let id = 1; id <= count; id++) {
    components.push({
      id,
      x0: bx0[id],
      y0: by0[id],
      x1: bx1[id],
      y1: by1[id],
      area: area[id],
      perimeter: perim[id],
      sumX: sx[id],
      sumY: sy[id],
      sumXX: sxx[id],
      sumYY: syy[id],
      sumXY: sxy[id],
      sumVal: sv[id],
      maxVal: mv[id],
      sumTop: st[id],
      labels,
      uid: id,
    });
  }
  return { labels, components };
}

/** Ratio of the principal axes' standard deviations (1 = round, large = line-like) and the major-axis length. */
export function elongation(c: Component): { ratio: number; major: number } {
  const n = c.area;
  const mx = c.sumX / n,
    my = c.sumY / n;
  const vxx = c.sumXX / n - mx * mx + 1 / 12,
    vyy = c.sumYY / n - my * my + 1 / 12,
    vxy = c.sumXY / n - mx * my;
  const t = (vxx + vyy) / 2,
    d = Math.sqrt(((vxx - vyy) / 2) ** 2 + vxy * vxy);
  const l1 = t + d,
    l2 = Math.max(t - d, 1e-6);
  return { ratio: Math.sqrt(l1 / l2), major: 4 * Math.sqrt(l1) };
}
