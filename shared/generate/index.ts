/** The sample-data generator behind `cvs generate`. */
export {
  GENERATOR_MARKER,
  type GenerateOptions,
  type GenerateSummary,
  generateSample,
  OutputFolderNotEmptyError,
} from './generateSample.ts';
