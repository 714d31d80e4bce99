import type { Command } from 'commander';
import { register as compare } from './compare.js';
import { register as screen } from './screen.js';
import { register as mask } from './mask.js';
import { register as synth } from './synth.js';

/** Every CLI command: one module each under src/cli/, each exporting `register`. Add one line per command. */
export const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  compare,
  screen,
  mask,
  synth,
];
