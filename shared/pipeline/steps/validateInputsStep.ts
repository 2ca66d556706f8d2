import { emptyViewSql, sourcesViewSql } from '../../contract/sourcesView.ts';
import { TABLES } from '../../contract/tables.ts';
import { validateInputs } from '../../contract/validate.ts';
import { viewName } from '../../contract/validationSql.ts';
import { createBreadthView } from '../breadthAggregate.ts';
import type { StepFn } from '../types.ts';
import { DATA_QUALITY_KEY } from './keys.ts';

/**
 * Step validate-inputs: checks every export against the contract, creates the validated views named like the Glue
 * tables (empty typed views for absent tables, and `cvs_sources`), quarantines bad rows and writes data_quality.json.
 * It also creates `account_breadth`: over the weekly aggregate when it was built from these very input files, else
 * inline (see breadthAggregate.ts).
 */
export const validateInputsStep: StepFn = async (state, ctx) => {
  const report = await validateInputs({
    input: ctx.ports.input,
    engine: ctx.ports.query,
    run: ctx.run,
    asOf: state.asOf,
    linkColumn: ctx.config.crm.linkColumn,
    log: ctx.log,
  });
  const present = new Set(
    TABLES.filter((t) => report.tables[`${t.source}/${t.name}`]?.present).map(
      (t) => `${t.source}/${t.name}`,
    ),
  );
  for (const t of TABLES) {
    if (!present.has(`${t.source}/${t.name}`))
      await ctx.ports.query.execute(emptyViewSql(t, viewName(t)));
  }
  await ctx.ports.query.execute(sourcesViewSql(present));
  const breadth = await createBreadthView(report, ctx.ports.output, ctx.ports.query);
  ctx.log(`account_breadth: ${breadth.source} (${breadth.reason})`);
  await ctx.run.put(DATA_QUALITY_KEY, JSON.stringify(report, null, 2), 'application/json');
  const quarantined = Object.values(report.tables).reduce(
    (s, t) => s + (t.rows_quarantined ?? 0),
    0,
  );
  return {
    dataQualityKey: DATA_QUALITY_KEY,
    tablesPresent: [...present],
    rowsQuarantined: quarantined,
    breadthSource: breadth.source,
    breadthReason: breadth.reason,
  };
};
