#!/usr/bin/env node
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { COMMANDS } from './commands.js';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('confound')
  .description('Find and remove burned-in label shortcuts in radiograph classifiers')
  .version(pkg.version)
  .showHelpAfterError();

for (const register of COMMANDS) register(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  const e = err as Error;
  process.stderr.write(`confound: ${e.message}\n`);
  if (process.env.CONFOUND_DEBUG) process.stderr.write(`${e.stack}\n`);
  process.exit(1);
});
