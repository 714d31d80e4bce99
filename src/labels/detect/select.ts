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

/** sorted[k1] and sorted[k2] (k1 <= k2) of a copy of the values, which are left as they were. */
export function twoOrderStats(values: Float32Array, k1: number, k2: number): [number, number] {
  const a = Float32Array.from(values);
  const v1 = selectKth(a, k1);
  return [v1, selectKth(a, k2, k1, a.length - 1)];
}
