/**
 * DICOM RLE Lossless (PS3.5 Annex G): a 64-byte header of segment offsets, then one PackBits segment per byte
 * plane, most significant byte first, sample after sample. Returns interleaved stored words.
 */
export function decodeRle(
  src: Uint8Array,
  pixels: number,
  samples: number,
  bytesPerSample: 1 | 2,
): Uint8Array | Uint16Array {
  if (src.length < 64) throw new Error(`RLE frame has ${src.length} bytes, less than its 64-byte header`);
  const dv = new DataView(src.buffer, src.byteOffset, src.length);
  const segments = dv.getUint32(0, true);
  const want = samples * bytesPerSample;
  if (segments !== want) throw new Error(`RLE frame has ${segments} segments, expected ${want}`);
  const out = bytesPerSample === 1 ? new Uint8Array(pixels * samples) : new Uint16Array(pixels * samples);
  const plane = new Uint8Array(pixels);
  for (let seg = 0; seg < segments; seg++) {
    const start = dv.getUint32(4 + seg * 4, true);
    const end = seg + 1 < segments ? dv.getUint32(8 + seg * 4, true) : src.length;
    if (start < 64 || end > src.length || end < start)
      throw new Error(`RLE segment ${seg + 1} has a bad offset (${start})`);
    unpackBits(src, start, end, plane, seg);
    const sample = Math.floor(seg / bytesPerSample);
    const shift = (bytesPerSample - 1 - (seg % bytesPerSample)) * 8;
    for (let i = 0, j = sample; i < pixels; i++, j += samples) out[j] |= plane[i] << shift;
  }
  return out;
}

function unpackBits(src: Uint8Array, start: number, end: number, dst: Uint8Array, seg: number): void {
  let p = start,
    o = 0;
  while (p < end && o < dst.length) {
    const n = src[p++];
    if (n < 128) {
      const count = n + 1;
      if (p + count > end) throw new Error(`RLE segment ${seg + 1} is truncated`);
      dst.set(src.subarray(p, p + Math.min(count, dst.length - o)), o);
      p += count;
      o += count;
    } else if (n > 128) {
      const count = 257 - n;
      dst.fill(src[p++], o, Math.min(o + count, dst.length));
      o += count;
    }
  }
  if (o < dst.length) throw new Error(`RLE segment ${seg + 1} decodes to ${o} bytes, expected ${dst.length}`);
}
