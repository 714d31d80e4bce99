import { checkChoice, checkInt, checkNumber } from '../util/index.js';
import { DEFAULT_OPTIONS } from './metadata.js';
import { CONFOUND_ON, MARKER_STYLE_SETS, SYNTH_FORMATS, type SynthOptions } from './types.js';

/** Fill defaults and validate; throws InvalidParameterError naming the option. */
export function resolveOptions(partial: Partial<SynthOptions> = {}): SynthOptions {
  const o: SynthOptions = {
    ...DEFAULT_OPTIONS,
    ...Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)),
  };
  checkInt('studies', o.studies, 1, 1_000_000);
  checkInt('size', o.size, 32, 4096);
  checkInt('seed', o.seed, 0, 0xffffffff);
  checkNumber('confound', o.confound, 0, 1);
  checkNumber('testConfound', o.testConfound, 0, 1);
  checkChoice('confoundOn', o.confoundOn, CONFOUND_ON);
  checkNumber('difficulty', o.difficulty, 0, 1);
  if (o.markerStyles !== undefined) checkChoice('markerStyles', o.markerStyles, MARKER_STYLE_SETS);
  if (o.format !== undefined) checkChoice('format', o.format, SYNTH_FORMATS);
  if (o.bits !== 8 && o.bits !== 16) checkChoice('bits', String(o.bits), ['8', '16']);
  return o;
}
