import type { Command } from 'commander';
import { resolve } from 'node:path';
import { writeFileAtomic } from '../util/index.js';
import { toCsv } from '../util/index.js';
import { progress } from '../util/index.js';
import { curationTable, detectDataset, loadDetectorModel } from '../labels/index.js';
import { checkOutputFile } from '../util/index.js';
import { loadDatasetReported, datasetInputs, printJson } from './common.js';
import * as opt from './options.js';
import { finishBatch, printSkipped } from './outcome.js';
import { READ_TEXT_HELP, readTextShown, requireTesseract } from './read-text.js';

export function register(program: Command): void {
  program
    .command('table')
    .description(
      'One row per image of what the data itself says (folder fields, size and bit depth, DICOM header, burned-in labels found), for confound screen',
    )
    .requiredOption(
      '--data <dir>',
      'dataset folder (MURA layout, GRAZPEDWRI-DX, CSV manifest, or any folder of images, DICOM included)',
    )
    .requiredOption('--out <csv>', 'table to write')
    .option(
      '--keep-identifiers',
      'also write the DICOM fields that identify a person or an exam (PatientName, PatientID, StudyInstanceUID, ...)',
    )
    .option('--read-text', READ_TEXT_HELP)
    .addOption(opt.minScoreOption())
    .addOption(opt.detectorModelOption())
    .option('--allow-outside', opt.ALLOW_OUTSIDE_HELP)
    .option('--json', 'print a JSON summary {rows, columns, skipped, out}')
    .action(
      async (o: {
        data: string;
        out: string;
        keepIdentifiers?: boolean;
        minScore?: number;
        model?: string;
        json?: boolean;
        allowOutside?: boolean;
        readText?: boolean;
      }) => {
        if (o.readText) requireTesseract();
        const model = loadDetectorModel(o.model ? resolve(o.model) : undefined);
        await checkOutputFile(o.out, [{ what: 'dataset', path: o.data }]);
        const ds = await loadDatasetReported(o.data, o);
        await checkOutputFile(o.out, datasetInputs(o.data, ds));
        const bar = progress('table', ds.records.length);
        const det = await detectDataset(ds.records, model, { minScore: o.minScore }, () => bar.tick());
        bar.stop();
        if (o.readText) det.issues.push(...(await readTextShown(ds.records, det.boxes)));
        const t = await curationTable(ds.records, det, { keepIdentifiers: o.keepIdentifiers });
        const issues = [...det.issues, ...t.issues];
        printSkipped(issues);
        await writeFileAtomic(o.out, toCsv([t.columns, ...t.rows]));
        finishBatch(t.rows.length, ds.issues.length + issues.length);
        if (o.json)
          printJson({ rows: t.rows.length, columns: t.columns, skipped: ds.issues.length + issues.length, out: o.out });
        else
          process.stdout.write(
            `${t.rows.length} row(s), ${t.columns.length} columns, ${issues.length} skipped; table in ${o.out}\n`,
          );
      },
    );
}
