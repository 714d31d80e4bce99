export * from './folder.js';
export { ARM_NAMES, type ArmName, ARMS, type ArmSpec, DEFAULT_ARMS } from './arms.js';
export { settingsDiff, settingsKey, stableJson, StepLog, StepSettingsChanged } from './steps.js';
export { type Profile, runStudy, type StudyOptions } from './study.js';
export { studySummaryLines } from './summary-lines.js';
export { STUDY_RULE, studyVerdict } from './verdict.js';
