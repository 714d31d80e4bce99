// The public surface of src/util: other folders import only from here.
export { writeFileAtomic, writeJsonAtomic } from './atomic.js';
export { clearComplete, COMPLETE_MARK, isComplete, markComplete, requireComplete } from './complete.js';
export { parseCsv, parseCsvObjects, parseCsvTable, toCsv } from './csv.js';
export { acquireLock } from './lock.js';
export { checkChoice, checkInt, checkNumber, InvalidParameterError } from './options.js';
export { progress } from './progress.js';
export { Rng } from './rng.js';
export { checkOutputFile, checkOutputFolder, type InputPath, isInside, makeDirs, outputPath } from './safe-path.js';
export { unfilledFloat32, unfilledUint16 } from './unfilled.js';
