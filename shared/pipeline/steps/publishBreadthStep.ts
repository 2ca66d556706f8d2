import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { DataQualityReport } from '../../contract/dataQuality.ts';
import { CvsError } from '../../errors.ts';
import {
  BREADTH_AGGREGATE_KEY,
  BREADTH_COLUMNS,
  BREADTH_RESULT_KEY,
  BREADTH_SIDECAR_KEY,
  type BreadthSidecar,
  breadthInputs,
  breadthSqlSha256,
} from '../breadthAggregate.ts';
import type { StepFn } from '../types.ts';
import { DATA_QUALITY_KEY } from './keys.ts';

/** The header and the data-row count of a CSV (quoted fields may span lines). */
async function csvShape(bytes: Uint8Array): Promise<{ header: string[]; rows: number }> {
  let header: string[] = [];
  let rows = 0;
  for await (const record of Readable.from([Buffer.from(bytes)]).pipe(parse())) {
    if (rows === 0 && header.length === 0) header = (record as string[]).map((h) => h.trim());
    else rows++;
  }
  return { header, rows };
}

/**
 * Step publish-breadth (weekly): copies the account-breadth result from the run folder to BREADTH_AGGREGATE_KEY in
 * the output store and writes the sidecar with the as-of, the SQL hash and the SHA-256 of the visitor_feature /
 * visitor / feature files the run validated. The sidecar is first marked `publishing`, so a crash between the two
 * writes leaves an aggregate the daily job will not use.
 */
export const publishBreadthStep: StepFn = async (state, ctx) => {
  const report = JSON.parse(
    Buffer.from(await ctx.run.get(DATA_QUALITY_KEY)).toString('utf8'),
  ) as DataQualityReport;
  const csv = await ctx.run.get(BREADTH_RESULT_KEY);
  const { header, rows } = await csvShape(csv);
  if (header.join(',') !== BREADTH_COLUMNS.join(','))
    throw new CvsError(
      `${BREADTH_RESULT_KEY} has columns ${header.join(', ')}, expected ${BREADTH_COLUMNS.join(', ')}`,
    );
  const sidecar: BreadthSidecar = {
    asOf: state.asOf,
    runId: state.runId,
    publishedAt: new Date().toISOString(),
    sqlSha256: breadthSqlSha256(),
    rows,
    inputs: breadthInputs(report),
  };
  const json = (s: BreadthSidecar) => JSON.stringify(s, null, 2);
  await ctx.ports.output.put(
    BREADTH_SIDECAR_KEY,
    json({ ...sidecar, publishing: true }),
    'application/json',
  );
  await ctx.ports.output.put(BREADTH_AGGREGATE_KEY, csv, 'text/csv');
  await ctx.ports.output.put(BREADTH_SIDECAR_KEY, json(sidecar), 'application/json');
  ctx.log(`publish-breadth: ${rows} accounts from ${sidecar.inputs.length} input files`);
  return {
    aggregateKey: BREADTH_AGGREGATE_KEY,
    sidecarKey: BREADTH_SIDECAR_KEY,
    rows,
    inputFiles: sidecar.inputs.length,
  };
};
