/**
 * Classical candidate stage: bright, sharp, compact detail found by a white top-hat on a working-resolution copy,
 * thresholded with hysteresis, split into connected components and grouped into glyphs, words and framed markers.
 * It aims at recall; the learned verifier (detector.ts) decides which candidates are labels. Its stages live in
 * working.ts (the copies and components), group.ts (candidates from components), patch.ts, holder.ts and tab.ts
 * (what lies in and around a candidate).
 */
export {
  WORKING_SIDE,
  FINE_SIDE,
  LEVELS,
  prepare,
  summedArea,
  rectSum,
  type Working,
  type Level,
  type Candidate,
} from './working.js';
export { boxOf, groupCandidates } from './group.js';
export { memberMask, patchLevel } from './patch.js';
export { floodHolder, TAB_TOLERANCE, TAB_ERODE } from './tab.js';
export { findHolder } from './holder.js';
