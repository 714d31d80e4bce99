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

/** Label the mask with a two-pass union-find; components are numbered from 1 in raster order of first pixel. */
export function labelComponents(
  mask: Uint8Array,
  width: number,
  height: number,
  value: Float32Array,
  tophat: Float32Array,
): Labelling {
  const labels = new Int32Array(width * height);
  const parent: number[] = [0];
  const find = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]];
      a = parent[a];
    }
    return a;
  };
  const union = (a: number, b: number): number => {
    const ra = find(a),
      rb = find(b);
    if (ra === rb) return ra;
    if (ra < rb) {
      parent[rb] = ra;
      return ra;
    }
    parent[ra] = rb;
    return rb;
  };
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
        l = parent.length;
        parent.push(l);
      }
      labels[i] = l;
    }
  }
  const remap = new Int32Array(parent.length);
  const components: Component[] = [];
  for (let l = 1; l < parent.length; l++) {
    const r = find(l);
    if (r === l) {
      components.push({
        id: components.length + 1,
        x0: Infinity,
        y0: Infinity,
        x1: -1,
        y1: -1,
        area: 0,
        perimeter: 0,
        sumX: 0,
        sumY: 0,
        sumXX: 0,
        sumYY: 0,
        sumXY: 0,
        sumVal: 0,
        maxVal: 0,
        sumTop: 0,
        labels,
        uid: components.length + 1,
      });
      remap[l] = components.length;
    } else remap[l] = remap[r];
  }
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      if (!labels[i]) continue;
      const id = remap[labels[i]];
      labels[i] = id;
      const c = components[id - 1];
      if (x < c.x0) c.x0 = x;
      if (x > c.x1) c.x1 = x;
      if (y < c.y0) c.y0 = y;
      if (y > c.y1) c.y1 = y;
      c.area++;
      c.sumX += x;
      c.sumY += y;
      c.sumXX += x * x;
      c.sumYY += y * y;
      c.sumXY += x * y;
      const v = value[i];
      c.sumVal += v;
      if (v > c.maxVal) c.maxVal = v;
      c.sumTop += tophat[i];
      if (
        x === 0 ||
        y === 0 ||
        x === width - 1 ||
        y === height - 1 ||
        !mask[i - 1] ||
        !mask[i + 1] ||
        !mask[i - width] ||
        !mask[i + width]
      )
        c.perimeter++;
    }
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
