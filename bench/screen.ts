import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { performance } from 'node:perf_hooks';
import { runScreen } from '../src/cli/screen.js';
import { toCsv } from '../src/util/csv.js';
import { Rng } from '../src/util/rng.js';

const run = promisify(execFile);
const N = 100_000;

/**
 * A curated table as real ones come: patient numbers, accession numbers, hashes, presence flags written "1" or
 * blank, a diagnosis code with hundreds of levels and blanks, scanners, sites, ages with blanks, dates, kVp.
 */
function table(): string {
  const rng = new Rng('bench-screen');
  const codes = Array.from({ length: 600 }, (_, i) => `M${i}`);
  const rows: string[][] = [
    [
      'PatientNo',
      'AccessionNumber',
      'hash',
      'label',
      'portable',
      'dx_code',
      'Manufacturer',
      'site',
      'view',
      'age',
      'StudyDate',
      'KVP',
      'exposure',
      'sex',
      'implant',
      'PixelSpacing',
    ],
  ];
  let patient = 0;
  for (let i = 0; i < N; i++) {
    if (rng.bool(0.4)) patient = rng.int(1_000_000, 9_999_999);
    const y = rng.bool(0.4);
    rows.push([
      String(patient),
      String(50_000_000 + i),
      (rng.uint32() >>> 0).toString(16),
      y ? '1' : '0',
      rng.bool(y ? 0.5 : 0.2) ? '1' : '',
      y && rng.bool(0.9) ? rng.pick(codes) : '',
      rng.pick(['GE', 'Siemens', 'Philips', 'Agfa']),
      `site${rng.int(1, 12)}`,
      rng.pick(['PA', 'AP', 'LAT']),
      rng.bool(0.05) ? '' : String(rng.int(18, 95)),
      `20${rng.int(10, 23)}${String(rng.int(1, 12)).padStart(2, '0')}${String(rng.int(1, 28)).padStart(2, '0')}`,
      String(rng.int(50, 80)),
      rng.normal(y ? 3.2 : 3, 1).toFixed(3),
      rng.pick(['M', 'F', '']),
      rng.bool(0.02) ? 'Y' : '',
      rng.pick(['0.139\\0.139', '0.1\\0.1', '0.15\\0.15']),
    ]);
  }
  return toCsv(rows);
}

/** Time `confound screen` on a 100,000-row, 16-column table: reading and screening in process, and the whole CLI. */
export async function bench(): Promise<Record<string, number>> {
  const dir = await mkdtemp(join(tmpdir(), 'confound-bench-screen-'));
  try {
    const file = join(dir, 'table.csv');
    await writeFile(file, table());
    const times: number[] = [],
      cpu: number[] = [];
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now(),
        c0 = process.cpuUsage();
      await runScreen(file, 'label');
      times.push((performance.now() - t0) / 1000);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1e6);
    }
    const t0 = performance.now();
    await run(
      process.execPath,
      [
        new URL('../src/cli/main.js', import.meta.url).pathname,
        'screen',
        '--table',
        file,
        '--outcome',
        'label',
        '--json',
      ],
      { maxBuffer: 1 << 26 },
    );
    const cli = (performance.now() - t0) / 1000;
    // CPU seconds beside wall seconds: on a shared machine the wall time also counts other processes' turns
    return {
      'screen.100k_rows_in_process_s': Math.min(...times),
      'screen.100k_rows_in_process_cpu_s': Math.min(...cpu),
      'screen.100k_rows_cli_s': cli,
      'screen.rows': N,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
