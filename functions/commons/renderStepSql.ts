import type { CvsConfig } from '../../shared/config/schema.ts';
import { isRealDate } from '../../shared/dates.ts';
import { ContractViolationError, CvsError } from '../../shared/errors.ts';
import type { PipelineDecl } from '../../shared/pipeline/types.ts';

/** The SQL of a declared athena step for a run date (YYYY-MM-DD); throws when no such athena step exists. */
export function renderStepSql(
  pipelines: readonly PipelineDecl[],
  config: CvsConfig,
  step: string,
  asOf: string,
): { sql: string } {
  if (!isRealDate(asOf)) throw new ContractViolationError(`as-of must be YYYY-MM-DD, got ${asOf}`);
  const decl = pipelines
    .flatMap((p) => p.steps)
    .find((s) => s.name === step && s.kind === 'athena');
  if (!decl?.sql) throw new CvsError(`no athena step with SQL named ${step}`);
  return { sql: decl.sql({ asOf, config }) };
}
