/**
 * Order statistics without sorting: Hoare's selection ("FIND", CACM 4:321, 1961), in place, median-of-three pivot.
 * The value returned equals sorted[k] of a full numeric sort (the crops the readers take percentiles of are up to
 * 50,000 pixels; sorting them was most of the marker-style reader's time).
 */

/**
 * Rearrange a[lo..hi] (inclusive) so that a[k] holds the value a numeric sort would put there, nothing larger
 * before it and nothing smaller after it; returns a[k]. NaN-free input.
 */
export function selectKth(a: Float32Array, k: number, lo = 0, hi = a.length - 1): number {
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    // median of three to a[mid], then partition around it
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo,
      j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

function swap(a: Float32Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/** The histogram bin holding rank k, and the rank within it. */
function rankBin(hist: Int32Array, k: number): [number, number] {
  let acc = 0,
    b = 0;
  while (acc + hist[b] <= k) acc += hist[b++];
  return [b, k - acc];
}

/**
 * sorted[k1] and sorted[k2] (k1 <= k2) of the values, which are left as they were: a histogram over the values'
 * range finds the bin of each rank (binning is monotonic, so ranks keep to their bins), and selection within that
 * bin's values alone gives the exact value (two passes over the values instead of a copy and two selections).
 */
export function twoOrderStats(values: Float32Array, k1: number, k2: number): [number, number] {
  const n = values.length;
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi > lo)) return [lo, lo];
  const bins = 2048,
    scale = (bins - 1e-3) / (hi - lo);
  const hist = new Int32Array(bins);
  for (let i = 0; i < n; i++) hist[((values[i] - lo) * scale) | 0]++;
  // each rank's bin, and the rank within it
  const [b1, r1] = rankBin(hist, k1),
    [b2, r2] = rankBin(hist, k2);
  const in1 = new Float32Array(hist[b1]),
    in2 = b2 === b1 ? in1 : new Float32Array(hist[b2]);
  let n1 = 0,
    n2 = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i],
      b = ((v - lo) * scale) | 0;
    if (b === b1) in1[n1++] = v;
    else if (b === b2) in2[n2++] = v;
  }
  return [selectKth(in1, r1), selectKth(in2, r2)];
}
