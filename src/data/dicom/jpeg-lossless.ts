/**
 * JPEG lossless (ITU-T T.81 process 14, Annex H), one component, any predictor 1-7, restart intervals,
 * point transform. Returns null for what it does not handle (several components, hierarchical), and the
 * caller then uses jpeg-lossless-decoder-js.
 *
 * Why our own: jpeg-lossless-decoder-js took about 110 ms of CPU per 2,048 x 2,500 16-bit image here, too slow
 * for the 30 images/s on 2 cores that the project asks; this decoder reads a whole code with one look-up in a
 * 16-bit table and runs the predictor inline.
 */

interface Huffman {
  /** Indexed by the next 16 bits: (code length << 8) | symbol; 0 = no code. */
  lookup: Int32Array;
  /**
   * Indexed the same way, where the code and its extra bits fit in 16: (bits used << 17) | (difference + 32768);
   * 0 where they do not (then use lookup).
   */
  whole: Int32Array;
}

function buildHuffman(counts: Uint8Array, symbols: Uint8Array): Huffman {
  const lookup = new Int32Array(65536);
  const whole = new Int32Array(65536);
  let code = 0,
    k = 0;
  for (let len = 1; len <= 16; len++) {
    for (let i = 0; i < counts[len - 1]; i++) {
      const sym = symbols[k++];
      const start = code << (16 - len);
      const end = Math.min(65536, start + (1 << (16 - len)));
      for (let j = start; j < end; j++) {
        lookup[j] = (len << 8) | sym;
        if (sym === 16 || len + sym > 16) continue;
        const v = sym === 0 ? 0 : (j >> (16 - len - sym)) & ((1 << sym) - 1);
        const diff = sym === 0 ? 0 : v < 1 << (sym - 1) ? v - (1 << sym) + 1 : v;
        whole[j] = ((len + sym) << 17) | (diff + 32768);
      }
      code++;
    }
    code <<= 1;
  }
  return { lookup, whole };
}

interface Frame {
  precision: number;
  rows: number;
  cols: number;
  components: number;
}

/** Decode one JPEG-lossless frame into stored words, or null when the stream needs the general decoder. */
export function decodeJpegLossless(src: Uint8Array): Uint16Array | null {
  const tables: (Huffman | undefined)[] = [];
  let frame: Frame | undefined;
  let restart = 0;
  let pos = 2;
  if (src[0] !== 0xff || src[1] !== 0xd8) throw new Error('JPEG stream does not start with SOI');
  const u16 = (p: number): number => (src[p] << 8) | src[p + 1];
  while (pos + 4 <= src.length) {
    if (src[pos] !== 0xff) {
      pos++;
      continue;
    }
    const marker = src[pos + 1];
    if (marker === 0xff) {
      pos++;
      continue;
    }
    const len = u16(pos + 2);
    const body = pos + 4;
    if (body + len - 2 > src.length) throw new Error('JPEG segment runs past the end of the data');
    if (marker === 0xc3) {
      frame = { precision: src[body], rows: u16(body + 1), cols: u16(body + 3), components: src[body + 5] };
      if (frame.components !== 1) return null;
    } else if (marker === 0xc4) {
      let p = body;
      while (p < body + len - 2) {
        const id = src[p] & 0x0f;
        const counts = src.subarray(p + 1, p + 17);
        let n = 0;
        for (let i = 0; i < 16; i++) n += counts[i];
        tables[id] = buildHuffman(counts, src.subarray(p + 17, p + 17 + n));
        p += 17 + n;
      }
    } else if (marker === 0xdd) {
      restart = u16(body);
    } else if (marker === 0xda) {
      if (!frame) throw new Error('JPEG scan before its lossless frame header (SOF3)');
      if (src[body] !== 1) return null;
      const table = tables[src[body + 2] >> 4];
      if (!table) throw new Error('JPEG scan names a Huffman table that is not defined');
      const predictor = src[body + 1 + 2];
      const pt = src[body + 1 + 4] & 0x0f;
      const start = body + len - 2;
      if (predictor === 1 && restart === 0) return decodeScanSv1(src, start, frame, table, pt);
      return decodeScan(src, start, frame, table, predictor, pt, restart);
    } else if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return null; // another process (baseline, extended, hierarchical, arithmetic)
    }
    pos = body + len - 2;
  }
  throw new Error('JPEG stream has no scan');
}

function decodeScan(
  src: Uint8Array,
  start: number,
  f: Frame,
  table: Huffman,
  predictor: number,
  pt: number,
  restart: number,
): Uint16Array {
  const { rows, cols } = f;
  const out = new Uint16Array(rows * cols);
  const lookup = table.lookup;
  const initial = 1 << (f.precision - pt - 1);
  const n = rows * cols;
  let pos = start;
  let buf = 0,
    cnt = 0;
  let intervalLeft = restart || n;
  let lineStart = 0; // first pixel of the current restart interval's first line: predicted from the left only
  for (let i = 0; i < n; i++) {
    if (intervalLeft === 0) {
      // Restart marker: drop the bits left in the byte and skip RSTn, then predict as at the top of the image.
      buf = 0;
      cnt = 0;
      while (pos + 1 < src.length && !(src[pos] === 0xff && src[pos + 1] >= 0xd0 && src[pos + 1] <= 0xd7)) pos++;
      pos += 2;
      intervalLeft = restart;
      lineStart = i;
    }
    intervalLeft--;
    while (cnt <= 24) {
      let b = 0;
      if (pos < src.length) {
        b = src[pos];
        if (b === 0xff) {
          const next = src[pos + 1];
          if (next === 0) pos += 2;
          else b = 0; // a marker: feed zeros, do not pass it
        } else pos++;
      }
      buf = (buf << 8) | b;
      cnt += 8;
    }
    const entry = lookup[(buf >>> (cnt - 16)) & 0xffff];
    if (entry === 0) throw new Error(`JPEG lossless: bad Huffman code at pixel ${i}`);
    cnt -= entry >> 8;
    const s = entry & 0xff;
    let diff = 0;
    if (s === 16) diff = 32768;
    else if (s > 0) {
      if (cnt < s) {
        let b = 0;
        if (pos < src.length) {
          b = src[pos];
          if (b === 0xff) {
            if (src[pos + 1] === 0) pos += 2;
            else b = 0;
          } else pos++;
        }
        buf = (buf << 8) | b;
        cnt += 8;
      }
      const v = (buf >>> (cnt - s)) & ((1 << s) - 1);
      cnt -= s;
      diff = v < 1 << (s - 1) ? v - (1 << s) + 1 : v;
    }
    const x = i % cols;
    let pred: number;
    if (i === lineStart) pred = initial;
    else if (i < lineStart + cols) pred = out[i - 1];
    else if (x === 0) pred = out[i - cols];
    else {
      const ra = out[i - 1],
        rb = out[i - cols],
        rc = out[i - cols - 1];
      switch (predictor) {
        case 1:
          pred = ra;
          break;
        case 2:
          pred = rb;
          break;
        case 3:
          pred = rc;
          break;
        case 4:
          pred = ra + rb - rc;
          break;
        case 5:
          pred = ra + ((rb - rc) >> 1);
          break;
        case 6:
          pred = rb + ((ra - rc) >> 1);
          break;
        case 7:
          pred = (ra + rb) >> 1;
          break;
        default:
          throw new Error(`JPEG lossless: predictor ${predictor} is not 1-7`);
      }
    }
    out[i] = (pred + diff) & 0xffff;
  }
  if (pt > 0) for (let i = 0; i < n; i++) out[i] = (out[i] << pt) & 0xffff;
  return out;
}

/** The common case (DICOM 1.2.840.10008.1.2.4.70, no restarts) as one tight loop: predictor 1 (left; above in column 0). */
function decodeScanSv1(src: Uint8Array, start: number, f: Frame, table: Huffman, pt: number): Uint16Array {
  const { rows, cols } = f;
  const out = new Uint16Array(rows * cols);
  const lookup = table.lookup;
  const whole = table.whole;
  const len = src.length;
  let pos = start;
  let buf = 0,
    cnt = 0;
  let prev = 1 << (f.precision - pt - 1);
  for (let y = 0, i = 0; y < rows; y++) {
    if (y > 0) prev = out[i - cols];
    for (let x = 0; x < cols; x++, i++) {
      if (cnt < 32 - 8) {
        // Top up to at least 25 bits: enough for a code (16) or, after the code, its extra bits (s <= 16).
        do {
          let b = 0;
          if (pos < len) {
            b = src[pos];
            if (b !== 0xff) pos++;
            else if (src[pos + 1] === 0) pos += 2;
            else b = 0;
          }
          buf = (buf << 8) | b;
          cnt += 8;
        } while (cnt <= 24);
      }
      const peek = (buf >>> (cnt - 16)) & 0xffff;
      const both = whole[peek];
      if (both !== 0) {
        cnt -= both >>> 17;
        prev = (prev + (both & 0x1ffff) - 32768) & 0xffff;
        out[i] = prev;
        continue;
      }
      const entry = lookup[peek];
      if (entry === 0) throw new Error(`JPEG lossless: bad Huffman code at pixel ${i}`);
      cnt -= entry >> 8;
      const s = entry & 0xff;
      let diff = 0;
      if (s !== 0) {
        if (s === 16) diff = 32768;
        else {
          if (cnt < s) {
            let b = 0;
            if (pos < len) {
              b = src[pos];
              if (b !== 0xff) pos++;
              else if (src[pos + 1] === 0) pos += 2;
              else b = 0;
            }
            buf = (buf << 8) | b;
            cnt += 8;
          }
          const v = (buf >>> (cnt - s)) & ((1 << s) - 1);
          cnt -= s;
          diff = v < 1 << (s - 1) ? v - (1 << s) + 1 : v;
        }
      }
      prev = (prev + diff) & 0xffff;
      out[i] = prev;
    }
  }
  if (pt > 0) for (let i = 0; i < out.length; i++) out[i] = (out[i] << pt) & 0xffff;
  return out;
}
