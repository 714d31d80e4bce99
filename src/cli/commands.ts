import type { Command } from 'commander';

type Registrar = { register: (program: Command) => void };

/**
 * Every CLI command, by name, in pipeline order: one module each under src/cli/, each exporting `register`.
 * Modules load lazily so a command pays only for its own dependencies (sharp, the engine, onnxruntime).
 * Add one line per command.
 */
export const COMMANDS: ReadonlyArray<readonly [string, () => Promise<Registrar>]> = [
  ['synth', () => import('./synth.js')],
  ['screen', () => import('./screen.js')],
  ['detect', () => import('./detect.js')],
  ['table', () => import('./table.js')],
  ['detect-train', () => import('./detect-train.js')],
  ['mask', () => import('./mask.js')],
  ['train', () => import('./train.js')],
  ['predict', () => import('./predict.js')],
  ['compare', () => import('./compare.js')],
  ['cam', () => import('./cam.js')],
  ['counterfactual', () => import('./counterfactual.js')],
  ['study', () => import('./study.js')],
  ['engine-check', () => import('./engine-check.js')],
  ['weights', () => import('./weights.js')],
  ['report', () => import('./report.js')],
  ['view', () => import('./view.js')],
  ['audit', () => import('./audit.js')],
];
