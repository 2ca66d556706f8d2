import { buildReport } from '../../report/buildReport.ts';
import type { StepFn } from '../types.ts';

/**
 * Step build-report, just before finalize-run: renders report.html from the run folder's deliverables (through
 * ctx.run, so locally into the run folder and in AWS into the results bucket) without recomputing anything.
 */
export const buildReportStep: StepFn = async (state, ctx) => {
  const result = await buildReport(ctx.run, { asOf: state.asOf, steps: state.steps });
  ctx.log(
    `build-report: ${result.charts.length} charts, ${result.missing.length} sections without data${result.missing.length ? ` (${result.missing.join(', ')})` : ''}; ${(result.bytes / 1024).toFixed(0)} KiB`,
  );
  return {
    reportKey: result.reportKey,
    bytes: result.bytes,
    charts: result.charts,
    missingSections: result.missing,
  };
};
