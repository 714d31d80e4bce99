import { InvalidArgumentError, type Command } from 'commander';
import { startViewer } from '../view/index.js';

function portNumber(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError(`--port must be an integer from 0 to 65535, got "${v}"`);
  return n;
}

export function register(program: Command): void {
  program
    .command('view')
    .description(
      'Browse a study in a local web app (127.0.0.1 only): Grad-CAM overlays of every arm side by side, sorting by label attention, counterfactual |Δp| and disagreement, and a label box editor that saves COCO (or CSV); with --data and --out and no study, box the images of any folder',
    )
    .argument('[studydir]', 'folder written by `confound study --out`; without it, --data and --out box a folder')
    .option('--port <n>', 'port to listen on (0 picks a free one)', portNumber, 8765)
    .option(
      '--data <dir>',
      'dataset folder for the original images (default: the one results.json names, or STUDYDIR/data); with no ' +
        'STUDYDIR, every image of it is listed for boxing',
    )
    .option(
      '--out <file>',
      'where edited boxes are saved, COCO JSON or, for a name ending in .csv, CSV path,x,y,w,h,category,score,text ' +
        '(default: STUDYDIR/boxes.edited.coco.json); a second session starts from it',
    )
    .action(async (dir: string | undefined, o: { port: number; data?: string; out?: string }) => {
      const v = await startViewer(dir, { port: o.port, data: o.data, out: o.out });
      process.stdout.write(`confound viewer: ${v.url}\n`);
      process.stderr.write(`edited boxes are saved to ${v.boxesPath}; press Ctrl-C to stop\n`);
      await new Promise<void>((done) => {
        process.once('SIGINT', () => {
          void v.close().then(done);
        });
        process.once('SIGTERM', () => {
          void v.close().then(done);
        });
      });
    });
}
