/** Midranks (ties share the mean of the ranks they span, ranks from 1), the building block of the fast DeLong. */

/** Indices 0..n-1 sorted by ascending value (stable). */
export function argsort(values: ArrayLike<number>): Uint32Array {
  const idx = new Uint32Array(values.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  idx.sort((a, b) => values[a] - values[b] || a - b);
  return idx;
}

/** Midrank of every value, in the original order. O(n log n). */
export function midranks(values: ArrayLike<number>): Float64Array {
  return midranksFromOrder(values, argsort(values));
}

/** Midranks given an ascending order of the values (lets callers reuse one sort). */
export function midranksFromOrder(values: ArrayLike<number>, order: ArrayLike<number>): Float64Array {
  const n = order.length;
  const ranks = new Float64Array(values.length);
  let i = 0;
  while (i < n) {
    let j = i;
    const v = values[order[i]];
    while (j + 1 < n && values[order[j + 1]] === v) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]] = r;
    i = j + 1;
  }
  return ranks;
}

/** Sizes of the groups of tied values (only groups of 2 or more), for tie corrections. */
export function tieGroupSizes(values: ArrayLike<number>, order: ArrayLike<number> = argsort(values)): number[] {
  const sizes: number[] = [];
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1]] === values[order[i]]) j++;
    if (j > i) sizes.push(j - i + 1);
    i = j + 1;
  }
  return sizes;
}
