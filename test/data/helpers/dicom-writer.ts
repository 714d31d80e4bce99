/** A tiny DICOM part-10 writer for tests: enough tags to describe one grayscale frame. */
export interface DicomSpec {
  rows: number;
  cols: number;
  bitsAllocated: 8 | 16;
  bitsStored?: number;
  signed?: boolean;
  photometric?: 'MONOCHROME1' | 'MONOCHROME2';
  slope?: number;
  intercept?: number;
  windowCenter?: number;
  windowWidth?: number;
  /** Stored values, row-major. */
  pixels: number[];
  syntax?: 'implicit-le' | 'explicit-le' | 'explicit-be' | string;
}

const UIDS: Record<string, string> = {
  'implicit-le': '1.2.840.10008.1.2',
  'explicit-le': '1.2.840.10008.1.2.1',
  'explicit-be': '1.2.840.10008.1.2.2',
};
const LONG_VRS = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN']);

function padded(s: string, pad: number): Buffer {
  const b = Buffer.from(s, 'latin1');
  return b.length % 2 ? Buffer.concat([b, Buffer.from([pad])]) : b;
}

function element(group: number, el: number, vr: string, value: Buffer, mode: 'implicit' | 'le' | 'be'): Buffer {
  const little = mode !== 'be';
  const u16 = (v: number) => {
    const b = Buffer.alloc(2);
    little ? b.writeUInt16LE(v) : b.writeUInt16BE(v);
    return b;
  };
  const u32 = (v: number) => {
    const b = Buffer.alloc(4);
    little ? b.writeUInt32LE(v) : b.writeUInt32BE(v);
    return b;
  };
  const head = [u16(group), u16(el)];
  if (mode === 'implicit') head.push(u32(value.length));
  else if (LONG_VRS.has(vr)) head.push(Buffer.from(vr, 'latin1'), Buffer.alloc(2), u32(value.length));
  else head.push(Buffer.from(vr, 'latin1'), u16(value.length));
  return Buffer.concat([...head, value]);
}

export function writeDicom(spec: DicomSpec): Buffer {
  const syntaxUid = UIDS[spec.syntax ?? 'explicit-le'] ?? spec.syntax!;
  const mode: 'implicit' | 'le' | 'be' =
    syntaxUid === UIDS['implicit-le'] ? 'implicit' : syntaxUid === UIDS['explicit-be'] ? 'be' : 'le';
  const little = mode !== 'be';
  const us = (v: number) => {
    const b = Buffer.alloc(2);
    little ? b.writeUInt16LE(v) : b.writeUInt16BE(v);
    return b;
  };
  const metaBody = Buffer.concat([
    element(0x0002, 0x0001, 'OB', Buffer.from([0, 1]), 'le'),
    element(0x0002, 0x0010, 'UI', padded(syntaxUid, 0), 'le'),
  ]);
  const groupLen = Buffer.alloc(4);
  groupLen.writeUInt32LE(metaBody.length);
  const meta = Buffer.concat([element(0x0002, 0x0000, 'UL', groupLen, 'le'), metaBody]);

  const n = spec.rows * spec.cols;
  const bytesPer = spec.bitsAllocated / 8;
  const px = Buffer.alloc(n * bytesPer + ((n * bytesPer) % 2));
  spec.pixels.forEach((v, i) => {
    if (bytesPer === 1) px.writeUInt8(v & 0xff, i);
    else if (little) px.writeUInt16LE(v & 0xffff, i * 2);
    else px.writeUInt16BE(v & 0xffff, i * 2);
  });
  const ds: Buffer[] = [
    element(0x0028, 0x0002, 'US', us(1), mode),
    element(0x0028, 0x0004, 'CS', padded(spec.photometric ?? 'MONOCHROME2', 0x20), mode),
    element(0x0028, 0x0010, 'US', us(spec.rows), mode),
    element(0x0028, 0x0011, 'US', us(spec.cols), mode),
    element(0x0028, 0x0100, 'US', us(spec.bitsAllocated), mode),
    element(0x0028, 0x0101, 'US', us(spec.bitsStored ?? spec.bitsAllocated), mode),
    element(0x0028, 0x0102, 'US', us((spec.bitsStored ?? spec.bitsAllocated) - 1), mode),
    element(0x0028, 0x0103, 'US', us(spec.signed ? 1 : 0), mode),
  ];
  if (spec.windowCenter !== undefined)
    ds.push(element(0x0028, 0x1050, 'DS', padded(String(spec.windowCenter), 0x20), mode));
  if (spec.windowWidth !== undefined)
    ds.push(element(0x0028, 0x1051, 'DS', padded(String(spec.windowWidth), 0x20), mode));
  if (spec.intercept !== undefined) ds.push(element(0x0028, 0x1052, 'DS', padded(String(spec.intercept), 0x20), mode));
  if (spec.slope !== undefined) ds.push(element(0x0028, 0x1053, 'DS', padded(String(spec.slope), 0x20), mode));
  ds.push(element(0x7fe0, 0x0010, bytesPer === 1 ? 'OB' : 'OW', px, mode));
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), meta, ...ds]);
}
