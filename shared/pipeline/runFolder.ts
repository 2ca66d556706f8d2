/**
 * Where a job's run outputs go, the same locally and in S3: the daily job writes `runs/<as-of>/`, the other jobs
 * `runs/<job>-<as-of>/`, so a quarterly retraining never replaces the daily run of the same date.
 */

/** The run folder name (without `runs/` and trailing slash) of a job on a date. */
export function runFolderName(pipeline: string, asOf: string): string {
  return pipeline === 'daily' ? asOf : `${pipeline}-${asOf}`;
}

/** The `States.Format` template of the run prefix for a job (one `{}` for the as-of date). */
export function runPrefixTemplate(pipeline: string): string {
  return `runs/${runFolderName(pipeline, '{}')}/`;
}
