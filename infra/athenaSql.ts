import type { CvsConfig } from '../shared/config/schema.ts';
import type { StepDecl } from '../shared/pipeline/types.ts';

/** Two dates no real run uses; the SQL is rendered with each to find where the run date goes. */
const PROBE_A = '9999-12-31';
const PROBE_B = '9998-11-30';

/** Escapes literal text for a `States.Format` string argument (quote, braces and backslash get a backslash). */
export function escapeStatesFormat(text: string): string {
  return text.replace(/[\\'{}]/g, (c) => `\\${c}`);
}

/**
 * The `States.Format(...)` intrinsic that rebuilds a step's SQL around `$.asOf` in Step Functions, or undefined when
 * the SQL is not a plain template of the date (it derives other values from it in JS, e.g. a window start): such
 * steps have their SQL rendered at run time by the `render-sql` Lambda instead.
 */
export function sqlTemplate(
  step: StepDecl,
  config: CvsConfig,
): { QueryString: string } | { 'QueryString.$': string } | undefined {
  if (!step.sql) throw new Error(`athena step ${step.name} has no sql`);
  const a = step.sql({ asOf: PROBE_A, config });
  const b = step.sql({ asOf: PROBE_B, config });
  const parts = a.split(PROBE_A);
  if (parts.join(PROBE_B) !== b) return undefined;
  if (parts.length === 1) return { QueryString: a };
  const args = Array.from({ length: parts.length - 1 }, () => '$.asOf').join(', ');
  return {
    'QueryString.$': `States.Format('${parts.map(escapeStatesFormat).join('{}')}', ${args})`,
  };
}
