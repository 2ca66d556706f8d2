import { CvsError } from '../../errors.ts';
import type { StepDecl, StepFn } from '../types.ts';

/**
 * The local execution of an `athena` step: run the step's SQL in the query engine and write its result (CSV with a
 * header) to the run folder, as Athena writes its result file in AWS.
 */
export function athenaStep(decl: StepDecl): StepFn {
  return async (state, ctx) => {
    if (!decl.sql || !decl.resultKey)
      throw new CvsError(`step ${decl.name} has no sql or resultKey`);
    const sql = decl.sql({ asOf: state.asOf, config: ctx.config });
    const rows = await ctx.ports.query.exportTo(sql, ctx.run.locate(decl.resultKey), 'csv');
    ctx.log(`${decl.name}: ${rows} rows`);
    return { resultKey: decl.resultKey, rows };
  };
}
