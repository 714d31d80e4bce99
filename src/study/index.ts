export { runStudy, type StudyOptions, type Profile } from './study.js';
export { studySummaryLines } from './summary-lines.js';
export { studyVerdict, STUDY_RULE } from './verdict.js';
export { StepLog, StepSettingsChanged, settingsKey, settingsDiff, stableJson } from './steps.js';
export { ARMS, ARM_NAMES, DEFAULT_ARMS, type ArmName, type ArmSpec } from './arms.js';
export * from './folder.js';
