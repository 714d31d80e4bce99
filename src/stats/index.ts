export {
  cohenKappa,
  cohenKappaBinary,
  sensitivitySpecificity,
  aggregateByStudy,
  type SensSpec,
  type ImageScore,
  type StudyScore,
} from './agreement.js';
export {
  parseScoreCsv,
  keyedScores,
  pairByKey,
  compareScoreSets,
  SCORE_COLUMNS,
  type ScoreRow,
  type KeyedScores,
  type CompareLevel,
  type CompareResult,
} from './score-table.js';
export { auc } from './auc.js';
export {
  bootstrapAucCi,
  bootstrapCi,
  type BootstrapCi,
  type BootstrapOptions,
  mean,
  quantileSorted,
} from './bootstrap.js';
export { chiSquareIndependence, type ChiSquareResult, chiSquareTest, crossTable } from './contingency.js';
export {
  type AucCi,
  aucCiDelong,
  delongCovariance,
  delongPaired,
  type PairedDelong,
  placements,
  type Placements,
} from './delong.js';
export { cramersVBiasCorrected, cramersVCi, poisson } from './effect-size.js';
export { mannWhitney, type MannWhitneyResult } from './mann-whitney.js';
export { argsort, midranks, tieGroupSizes } from './midrank.js';
export { identifierName, isMissing, nameWords, parseDateColumn, parseDateTime } from './screen-values.js';
export {
  type ColumnKind,
  type ScreenColumn,
  screenColumns,
  type ScreenFlag,
  type ScreenOptions,
  type ScreenResult,
  screenTable,
} from './screen.js';
export {
  chiSquareUpperP,
  gammaP,
  gammaQ,
  logGamma,
  normalCdf,
  normalPdf,
  normalQuantile,
  normalTwoSidedP,
} from './special.js';
export { checkBinaryProblem, checkLabels, checkSameLength, checkScores } from './validate.js';
