/** The sample-data generator behind `cvs generate`. */
export {
  GENERATOR_MARKER,
  type GenerateOptions,
  type GenerateSummary,
  generateSample,
  MAX_HISTORY_DAYS,
  OutputFolderNotEmptyError,
  sampleTruth,
  TruthInsideInputError,
} from './generateSample.ts';
export { UnknownWorldError, WORLD_NAMES, WORLDS, type WorldSpec } from './worlds.ts';
