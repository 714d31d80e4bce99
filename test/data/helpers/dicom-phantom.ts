import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderImage, renderSpecFor, resolveOptions, sampleMetadata } from '../../../src/synth/index.js';
import type { GrayImage } from '../../../src/data/image.js';
import { derivedUid, grayDataset, writeNaturalDataset, type NaturalDataset } from '../../../src/data/dicom/write.js';

/** One phantom radiograph (with its burned-in labels) of the given size and seed. */
export function phantomImage(size: number, seed: number): GrayImage {
  const meta = sampleMetadata(resolveOptions({ studies: 1, size, seed }));
  const s = meta.studies[0];
  return renderImage(renderSpecFor(s, s.images[0], size)).image;
}

/** An uncompressed DICOM of the image at bitsStored, written to dir/name; extra tags merged in. */
export function writePhantomDicom(
  dir: string,
  name: string,
  img: GrayImage,
  bitsStored: number,
  extra: NaturalDataset = {},
): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    writeNaturalDataset(
      grayDataset(img, bitsStored, {
        SOPInstanceUID: derivedUid('test', name),
        StudyInstanceUID: derivedUid('study', name),
        SeriesInstanceUID: derivedUid('series', name),
        Modality: 'DX',
        ...extra,
      }),
    ),
  );
  return path;
}

/** Run a Debian DICOM tool (gdcmconv, dcmcjpeg) from src to a new file and return the bytes. */
export function convert(tool: string, args: string[], src: string, dst: string): Buffer {
  execFileSync(tool, [...args, src, dst], { stdio: ['ignore', 'ignore', 'pipe'] });
  return readFileSync(dst);
}

/** The transfer syntax UID a file declares (read from its meta group with dcmdump's help-free sibling: bytes). */
export function syntaxOf(bytes: Buffer): string {
  const at = bytes.indexOf(Buffer.from([0x02, 0x00, 0x10, 0x00]), 132);
  const len = bytes.readUInt16LE(at + 6);
  return bytes
    .subarray(at + 8, at + 8 + len)
    .toString('latin1')
    .replace(/\0/g, '')
    .trim();
}
