import type { Command } from 'commander';
import { resolve } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../util/index.js';
import { toCsv } from '../util/index.js';
import { progress } from '../util/index.js';
import {
  coverage,
  detectDataset,
  detectionTable,
  detectionsToCoco,
  evaluate,
  DETECTION_TABLE_COLUMNS,
  loadDetectorModel,
  readTruth,
  readTrueMarkers,
  type Coverage,
  type CoverageScore,
  type Evaluation,
  type TrueBoxReading,
  readOtherText,
  scoreTextReading,
  type TextReading,
} from '../labels/index.js';
import { checkOutputFile } from '../util/index.js';
import { loadDatasetReported, datasetInputs, printJson } from './common.js';
import * as opt from './options.js';
import { finishBatch, printSkipped } from './outcome.js';
import { READ_TEXT_HELP, readTextShown, requireTesseract } from './read-text.js';

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

function describeEval(e: Evaluation): string {
  const cats = Object.entries(e.by_category)
    .filter(([, c]) => c.truths || c.predictions)
    .map(([k, c]) => `${k} P ${pct(c.precision)} R ${pct(c.recall)}`)
    .join('; ');
  return (
    `precision ${pct(e.precision)}, recall ${pct(e.recall)}, F1 ${e.f1.toFixed(3)}, mean IoU ${e.mean_iou.toFixed(3)} ` +
    `(${e.truths} true, ${e.predictions} found, ${e.images} images)\n${cats}\ncategory accuracy ${pct(e.category_accuracy)}, ` +
    `L/R reading accuracy ${pct(e.lr_accuracy)} of ${e.lr_total} markers (read ${pct(e.lr_read_rate)}); ` +
    `side reading accuracy ${pct(e.side_accuracy)} of ${e.side_total} markers with a readable side, D/I/S included ` +
    `(read ${pct(e.side_read_rate)})\n`
  );
}

const frac = (s: CoverageScore) =>
  `recall ${pct(s.recall)} (${s.covered}/${s.truths}), precision ${pct(s.precision)} (${s.right}/${s.predictions})`;

function describeCoverage(c: Coverage): string {
  const cats = Object.entries(c.by_category)
    .filter(([, s]) => s.truths || s.predictions)
    .map(([k, s]) => `  ${k}: ${frac(s)}`);
  const folders = Object.entries(c.by_folder).map(([k, s]) => `  ${k}/: ${frac(s)}`);
  return (
    `coverage (true box >= 80% covered; found box >= 50% on a true box grown by 4 px): ${frac(c)}\n` +
    [...cats, ...(folders.length > 1 || !c.by_folder['.'] ? folders : [])].join('\n') +
    '\n' +
    `L/R read right on ${c.lr.right} of ${c.lr.markers} covered L/R markers (${c.lr.wrong} wrong, ${c.lr.unread} unread); ` +
    `side read right on ${c.sides.right} of ${c.sides.markers} covered markers with a readable side, D/I/S included ` +
    `(${c.sides.wrong} wrong, ${c.sides.unread} unread)\n`
  );
}

function describeTrueRead(t: TrueBoxReading): string {
  const f = (s: TrueBoxReading['sides']) => `${s.right} of ${s.markers} (${s.wrong} wrong, ${s.unread} unread)`;
  return `read on true boxes (the reader alone, found or not): side right on ${f(t.sides)} markers with a readable side; L/R-texted ${f(t.lr)}\n`;
}

export function register(program: Command): void {
  program
    .command('detect')
    .description(
      'Find burned-in labels (laterality markers, technologist initials, other text) in every image and write COCO boxes with scores',
    )
    .requiredOption(
      '--data <dir>',
      'dataset folder (MURA layout, GRAZPEDWRI-DX, CSV manifest, or any folder of images)',
    )
    .requiredOption(
      '--out <file>',
      'COCO JSON of the boxes found (bbox, score, category, category_score, text = L/R reading)',
    )
    .option(
      '--eval <truth>',
      'true boxes, COCO JSON or CSV (path,x,y,w,h,category,text): report label coverage (overall, per category ' +
        'and folder) and precision/recall/F1 at IoU >= 0.5, mean IoU, per category, L/R accuracy',
    )
    .option(
      '--table <csv>',
      'one row per image: path, has_laterality, laterality_read, marker_style, has_technologist, initials_read, n_other, other_text, patient, study, part, label (for confound screen)',
    )
    .option('--read-text', `${READ_TEXT_HELP}; with --eval, report the words read`)
    .addOption(opt.minScoreOption())
    .addOption(opt.detectorModelOption())
    .option('--allow-outside', opt.ALLOW_OUTSIDE_HELP)
    .option(
      '--json',
      'print a JSON summary (with --eval: precision, recall, f1, mean_iou, images, by_category, lr_accuracy, ' +
        'coverage with its missed and wrong boxes; with --read-text, text_reading)',
    )
    .action(async (o) => {
      if (o.readText) requireTesseract();
      const model = loadDetectorModel(o.model ? resolve(o.model) : undefined);
      const truth = o.eval ? await readTruth(o.eval) : undefined;
      // At once against --data; after loading, also against the folder its images are in.
      const given = [{ what: 'dataset', path: o.data }];
      for (const [file, flag] of [
        [o.out, '--out'],
        [o.table, '--table'],
      ] as const)
        if (file) await checkOutputFile(file, given, flag);
      const ds = await loadDatasetReported(o.data, o);
      const inputs = [...datasetInputs(o.data, ds), ...(o.eval ? [{ what: 'truth file', path: o.eval }] : [])];
      await checkOutputFile(o.out, inputs);
      if (o.table) await checkOutputFile(o.table, inputs, '--table');
      const bar = progress('detect', ds.records.length);
      const res = await detectDataset(ds.records, model, { minScore: o.minScore }, () => bar.tick());
      bar.stop();
      if (o.readText) res.issues.push(...(await readTextShown(ds.records, res.boxes)));
      printSkipped(res.issues);
      await writeJsonAtomic(o.out, detectionsToCoco(res.boxes, res.sizes));
      if (o.table) {
        const done = new Set(res.sizes.map((s) => s.id));
        const rows = detectionTable(
          ds.records.filter((r) => done.has(r.id)),
          res.boxes,
        );
        const cols = DETECTION_TABLE_COLUMNS;
        await writeFileAtomic(o.table, toCsv([[...cols], ...rows.map((r) => cols.map((c) => r[c]))]));
      }
      let ev: Evaluation | undefined,
        cov: Coverage | undefined,
        trueRead: TrueBoxReading | undefined,
        text: (TextReading & { on_true_boxes: TextReading }) | undefined;
      if (truth) {
        const seen = new Set(res.sizes.map((s) => s.id));
        const missing = truth.images.filter((f) => !seen.has(f));
        if (missing.length)
          process.stderr.write(
            `${missing.length} image(s) of ${o.eval} were not processed (first: ${missing[0]}); their labels count as missed\n`,
          );
        ev = evaluate(res.boxes, truth.boxes, new Set([...truth.images, ...seen]).size);
        cov = coverage(res.boxes, truth.boxes);
        trueRead = await readTrueMarkers(ds.records, truth.boxes, model);
        if (o.readText) {
          // the reader alone, on the true text boxes (found or not), as for the markers
          const onTruth = truth.boxes
            .filter((b) => b.category === 'other')
            .map((b) => ({ ...b, text: '', score: 1, categoryScore: 1 }));
          await readOtherText(ds.records, onTruth);
          text = { ...scoreTextReading(res.boxes, truth.boxes), on_true_boxes: scoreTextReading(onTruth, truth.boxes) };
        }
      }
      const speed = res.sizes.length / Math.max(res.seconds, 1e-9);
      if (o.json) {
        printJson({
          ...(ev ?? {}),
          ...(cov ? { coverage: cov } : {}),
          ...(trueRead
            ? {
                read_on_true_boxes: {
                  sides: trueRead.sides,
                  lr: trueRead.lr,
                  misread: trueRead.markers
                    .filter((m) => m.read !== m.side)
                    .map((m) => ({ ...m.marker, read: m.read ?? null, glyph: m.glyph ?? null })),
                },
              }
            : {}),
          ...(text ? { text_reading: text } : {}),
          images: res.sizes.length,
          boxes: res.boxes.length,
          skipped: ds.issues.length + res.issues.length,
          images_per_s: Math.round(speed * 10) / 10,
          out: o.out,
        });
      } else {
        process.stdout.write(
          `${res.boxes.length} label(s) in ${res.sizes.length} image(s) (${speed.toFixed(1)} images/s), ${res.issues.length} skipped; boxes in ${o.out}\n`,
        );
        if (ev) process.stdout.write(describeEval(ev));
        if (cov) process.stdout.write(describeCoverage(cov));
        if (trueRead) process.stdout.write(describeTrueRead(trueRead));
        if (text)
          process.stdout.write(
            `text of 'other' boxes: every word read in ${text.read} of ${text.boxes} true boxes with words, ` +
              `${text.words_read} of ${text.words} words; on the true boxes (found or not) ${text.on_true_boxes.read} of ` +
              `${text.on_true_boxes.boxes}, ${text.on_true_boxes.words_read} of ${text.on_true_boxes.words} words\n`,
          );
      }
      finishBatch(res.sizes.length, ds.issues.length + res.issues.length);
    });
}
