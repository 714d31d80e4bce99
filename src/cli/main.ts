#!/usr/bin/env node
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { COMMANDS } from './commands.js';
import { FRAME_MODES, setDefaultFrameMode, type FrameMode } from '../data/index.js';
import { EXIT } from './outcome.js';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

async function main(argv: string[]): Promise<void> {
  const program = new Command('confound')
    .description('Find and remove burned-in label shortcuts in radiograph classifiers')
    .version(pkg.version)
    .showHelpAfterError()
    .option(
      '--frames <mode>',
      `multi-frame DICOM: ${FRAME_MODES.join('|')} (error: refuse such files, naming them)`,
      'error',
    )
    .hook('preAction', (cmd) => setDefaultFrameMode(cmd.opts<{ frames: FrameMode }>().frames));
  // Load only the command asked for; all of them when listing help or on an unknown name.
  const asked = COMMANDS.filter(([name]) => name === argv[2]);
  for (const [, load] of asked.length ? asked : COMMANDS) (await load()).register(program);
  await program.parseAsync(argv);
}

main(process.argv).catch((err: unknown) => {
  const e = err as Error;
  process.stderr.write(`confound: ${e.message}\n`);
  if (process.env.CONFOUND_DEBUG) process.stderr.write(`${e.stack}\n`);
  process.exit(EXIT.fatal);
});
