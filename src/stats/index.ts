export { auc } from './auc.js';
export { placements, delongCovariance, aucCiDelong, delongPaired, type Placements, type AucCi, type PairedDelong } from './delong.js';
export { bootstrapCi, bootstrapAucCi, quantileSorted, mean, type BootstrapOptions, type BootstrapCi } from './bootstrap.js';
export {
  cohenKappa, cohenKappaBinary, sensitivitySpecificity, aggregateByStudy,
  type SensSpec, type ImageScore, type StudyScore,
} from './agreement.js';
export { chiSquareTest, chiSquareIndependence, crossTable, type ChiSquareResult } from './contingency.js';
export { mannWhitney, type MannWhitneyResult } from './mann-whitney.js';
export { midranks, argsort, tieGroupSizes } from './midrank.js';
export { logGamma, gammaP, gammaQ, normalCdf, normalPdf, normalQuantile, normalTwoSidedP, chiSquareUpperP } from './special.js';
export { checkBinaryProblem, checkLabels, checkScores, checkSameLength } from './validate.js';
export { screenTable, screenColumns, type ScreenColumn, type ScreenResult, type ScreenOptions, type ColumnKind, type ScreenFlag } from './screen.js';
export { isMissing, parseDateTime, parseDateColumn, identifierName, nameWords } from './screen-values.js';
export { cramersVBiasCorrected, cramersVCi, poisson } from './effect-size.js';
export {
  parseScoreCsv, keyedScores, pairByKey, compareScoreSets, SCORE_COLUMNS,
  type ScoreRow, type KeyedScores, type CompareLevel, type CompareResult,
} from './score-table.js';
