import { describe, expect, it } from 'vitest';
import { escapeStatesFormat, sqlTemplate } from '../../infra/athenaSql.ts';
import { parseConfig } from '../../shared/config/load.ts';
import type { StepDecl } from '../../shared/pipeline/types.ts';

const config = parseConfig({});
const step = (sql: StepDecl['sql']): StepDecl => ({
  name: 's',
  kind: 'athena',
  description: 'd',
  sql,
});

describe('Function: escapeStatesFormat', () => {
  it('puts a backslash before quotes, braces and backslashes', () => {
    // Act & Assess
    expect(escapeStatesFormat("a'{b}\\c")).toBe("a\\'\\{b\\}\\\\c");
  });
});

describe('Function: sqlTemplate', () => {
  it('builds States.Format with one $.asOf per place the run date appears', () => {
    // Prepare
    const s = step(
      ({ asOf }) => `SELECT '${asOf}' AS d, json_parse('{}') AS j WHERE day <= DATE '${asOf}'`,
    );

    // Act
    const q = sqlTemplate(s, config);

    // Assess
    expect(q).toEqual({
      'QueryString.$':
        "States.Format('SELECT \\'{}\\' AS d, json_parse(\\'\\{\\}\\') AS j WHERE day <= DATE \\'{}\\'', $.asOf, $.asOf)",
    });
  });

  it('returns the literal SQL when it does not use the run date', () => {
    // Act & Assess
    expect(
      sqlTemplate(
        step(() => 'SELECT 1'),
        config,
      ),
    ).toEqual({ QueryString: 'SELECT 1' });
  });

  it('returns undefined when the SQL derives another date from the run date in code', () => {
    // Prepare: a 30-day window start computed in JS cannot be rebuilt by States.Format
    const s = step(({ asOf }) => {
      const d = new Date(`${asOf}T00:00:00Z`);
      d.setUTCDate(d.getUTCDate() - 30);
      return `SELECT 1 WHERE day > DATE '${d.toISOString().slice(0, 10)}' AND day <= DATE '${asOf}'`;
    });

    // Act & Assess
    expect(sqlTemplate(s, config)).toBeUndefined();
  });
});
