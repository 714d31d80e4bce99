import type { Command } from 'commander';

/** Every CLI command: one module each under src/cli/, each exporting `register`. Add one line per command. */
export const COMMANDS: ReadonlyArray<(program: Command) => void> = [
];
