/**
 * `confound table` on DICOM files written by an independent writer (dcmtk's dump2dcm): the header's acquisition
 * fields come out, identifiers only with --keep-identifiers, and `confound screen` reads the table unchanged.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DICOM_HEADER_FIELDS, readDicomFields } from '../../src/data/index.js';
import { parseCsvObjects } from '../../src/util/csv.js';

const run = promisify(execFile);
const MAIN = new URL('../../src/cli/main.js', import.meta.url).pathname;
let dcmtk = true;
try {
  execFileSync('dump2dcm', ['--version'], { stdio: 'ignore' });
} catch {
  dcmtk = false;
}
const skip = dcmtk ? false : 'dcmtk (dump2dcm) is not installed: scripts/setup.sh --test installs it';

interface Site {
  manufacturer: string;
  model: string;
  station: string;
  kvp: string;
  view: string;
}
const SITES: Site[] = [
  { manufacturer: 'ACME Medical', model: 'XR-1000', station: 'ROOM1', kvp: '55', view: 'PA' },
  { manufacturer: 'Other Corp', model: 'DR Plus', station: 'ED2', kvp: '60', view: 'AP' },
];

/** One DICOM via dump2dcm: a 64 x 48 ramp, 12 bits stored, with a site's acquisition fields and identifiers. */
async function writeDicom(dir: string, name: string, site: Site, i: number, implicit: boolean): Promise<void> {
  const raw = Buffer.alloc(64 * 48 * 2);
  for (let p = 0; p < 64 * 48; p++) raw.writeUInt16LE((p * 13 + i * 101) % 4096, p * 2);
  await writeFile(join(dir, `${name}.raw`), raw);
  const dump = [
    '(0008,0016) UI =DigitalXRayImageStorageForPresentation',
    `(0008,0018) UI [1.2.826.0.1.3680043.2.99.${i}.3]`,
    '(0008,0020) DA [20210304]',
    `(0008,0050) SH [ACC${9000 + i}]`,
    '(0008,0060) CS [DX]',
    `(0008,0070) LO [${site.manufacturer}]`,
    '(0008,0080) LO [General Hospital]',
    `(0008,1010) SH [${site.station}]`,
    `(0008,1090) LO [${site.model}]`,
    `(0010,0010) PN [Doe^Jane${i}]`,
    `(0010,0020) LO [PID${1000 + i}]`,
    `(0010,0040) CS [${i % 2 ? 'F' : 'M'}]`,
    `(0010,1010) AS [0${30 + i}Y]`,
    '(0018,0015) CS [HAND]',
    `(0018,0060) DS [${site.kvp}]`,
    `(0018,5101) CS [${site.view}]`,
    `(0020,000d) UI [1.2.826.0.1.3680043.2.99.${i}]`,
    '(0020,000e) UI [1.2.826.0.1.3680043.2.99.1.2]',
    `(0020,0062) CS [${i % 2 ? 'L' : 'R'}]`,
    '(0028,0002) US 1',
    '(0028,0004) CS [MONOCHROME2]',
    '(0028,0010) US 48',
    '(0028,0011) US 64',
    '(0028,0030) DS [0.14\\0.14]',
    '(0028,0100) US 16',
    '(0028,0101) US 12',
    '(0028,0102) US 11',
    '(0028,0103) US 0',
    '(0028,0301) CS [NO]',
    `(7fe0,0010) OW =${name}.raw`,
  ];
  await writeFile(join(dir, `${name}.dump`), dump.join('\n') + '\n');
  await run('dump2dcm', [implicit ? '--write-xfer-implicit' : '--write-xfer-little', `${name}.dump`, `${name}.dcm`], {
    cwd: dir,
  });
}

async function dicomFolder(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'confound-dicom-table-'));
  const dir = join(root, 'images');
  await mkdir(dir);
  const lines = ['path,label,patient'];
  for (let i = 0; i < 12; i++) {
    const site = SITES[i % 2];
    await writeDicom(dir, `im${i}`, site, i, i % 3 === 0);
    // the first site's images are mostly abnormal
    lines.push(`images/im${i}.dcm,${(i % 2 === 0) !== (i === 4) ? 1 : 0},p${i}`);
  }
  await writeFile(join(root, 'manifest.csv'), lines.join('\n') + '\n');
  return root;
}

test('readDicomFields reads the acquisition fields; identifiers only when asked', { skip }, async () => {
  const root = await dicomFolder();
  for (const name of ['im0', 'im1']) {
    const bytes = await readFile(join(root, 'images', `${name}.dcm`));
    const h = readDicomFields(bytes, name);
    assert.deepEqual(Object.keys(h), Object.keys(DICOM_HEADER_FIELDS));
    const site = SITES[name === 'im0' ? 0 : 1];
    assert.equal(h.Manufacturer, site.manufacturer);
    assert.equal(h.ManufacturerModelName, site.model);
    assert.equal(h.StationName, site.station);
    assert.equal(h.KVP, site.kvp);
    assert.equal(h.ViewPosition, site.view);
    assert.equal(h.BitsStored, '12');
    assert.equal(h.PixelSpacing, '0.14\\0.14');
    assert.equal(h.BurnedInAnnotation, 'NO');
    assert.equal(h.PatientAge, name === 'im0' ? '030Y' : '031Y');
    assert.equal(h.PatientID, undefined);
    assert.equal(readDicomFields(bytes, name, { identifiers: true }).PatientID, name === 'im0' ? 'PID1000' : 'PID1001');
  }
  assert.throws(() => readDicomFields(new Uint8Array(200), '/data/x.dcm'), /\/data\/x\.dcm: not a DICOM part-10 file/);
});

test('confound table on DICOMs: header fields, size and bit depth, detector columns; no identifiers by default', {
  skip,
}, async () => {
  const root = await dicomFolder();
  // Outputs go beside the data, never into it (a table with a path column there would pass for a manifest).
  const outDir = await mkdtemp(join(tmpdir(), 'confound-dicom-table-out-'));
  const out = join(outDir, 'table.csv');
  await run(process.execPath, [MAIN, 'table', '--data', join(root, 'manifest.csv'), '--out', out]);
  const text = await readFile(out, 'utf8');
  const rows = parseCsvObjects(text);
  assert.equal(rows.length, 12);
  const cols = Object.keys(rows[0]);
  for (const c of [
    'Manufacturer',
    'ManufacturerModelName',
    'StationName',
    'InstitutionName',
    'BodyPartExamined',
    'ViewPosition',
    'ImageLaterality',
    'PhotometricInterpretation',
    'BitsStored',
    'KVP',
    'PixelSpacing',
    'BurnedInAnnotation',
    'PatientSex',
    'PatientAge',
    'width',
    'height',
    'bits',
    'has_laterality',
    'marker_style',
    'initials_read',
    'n_other',
    'other_text',
    'label',
  ]) {
    assert.ok(cols.includes(c), `column ${c} missing`);
  }
  for (const secret of [
    'PatientName',
    'PatientID',
    'StudyInstanceUID',
    'AccessionNumber',
    'Doe^Jane',
    'PID100',
    'ACC900',
    '1.2.826.0.1.3680043.2.99.1.2',
  ]) {
    assert.ok(!text.includes(secret), `${secret} written without --keep-identifiers`);
  }
  const im1 = rows.find((r) => r.path === 'images/im1.dcm')!;
  assert.deepEqual(
    [im1.width, im1.height, im1.bits, im1.Manufacturer, im1.ImageLaterality],
    ['64', '48', '12', 'Other Corp', 'L'],
  );
  const kept = join(outDir, 'kept.csv');
  await run(process.execPath, [
    MAIN,
    'table',
    '--data',
    join(root, 'manifest.csv'),
    '--out',
    kept,
    '--keep-identifiers',
  ]);
  const keptRows = parseCsvObjects(await readFile(kept, 'utf8'));
  assert.equal(keptRows.find((r) => r.path === 'images/im1.dcm')!.PatientID, 'PID1001');
  // screen reads the table as written
  const screened = JSON.parse(
    (await run(process.execPath, [MAIN, 'screen', '--table', out, '--outcome', 'label', '--json'])).stdout,
  );
  const manufacturer = screened.columns.find((c: { column: string }) => c.column === 'Manufacturer');
  assert.equal(manufacturer.kind, 'categorical');
  assert.ok(manufacturer.effect > 0.5, `Manufacturer V ${manufacturer.effect}`);
});
