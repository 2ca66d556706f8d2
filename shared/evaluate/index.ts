/** `cvs evaluate`: a run folder measured against the truth of a known-answer world. */
export {
  type EvaluateOptions,
  type Evaluation,
  evaluateRun,
  formatEvaluation,
  interval,
  RunFolderError,
  writeEvaluation,
} from './evaluateRun.ts';
export {
  type Direction,
  direction,
  readTruthFile,
  TRUTH_COLUMNS,
  TruthFileError,
  type TruthRow,
  truthRows,
  writeTruthFile,
} from './truth.ts';
