import { describe, expect, it } from 'vitest';
import { renderStepSql } from '../../../functions/commons/renderStepSql.ts';
import { parseConfig } from '../../../shared/config/load.ts';
import type { PipelineDecl } from '../../../shared/pipeline/types.ts';

const pipelines: PipelineDecl[] = [
  {
    name: 'daily',
    description: 'd',
    steps: [
      {
        name: 'q',
        kind: 'athena',
        description: 'q',
        sql: ({ asOf, config }) => `SELECT ${config.crm.activityWindowDays}, '${asOf}'`,
      },
      { name: 'l', kind: 'lambda', description: 'l' },
    ],
  },
];

describe('Function: renderStepSql', () => {
  it('renders the athena step SQL with the run date and config', () => {
    // Act & Assess
    expect(renderStepSql(pipelines, parseConfig({}), 'q', '2024-10-31')).toEqual({
      sql: "SELECT 30, '2024-10-31'",
    });
  });

  it('throws for a lambda step or a bad date', () => {
    // Act & Assess
    expect(() => renderStepSql(pipelines, parseConfig({}), 'l', '2024-10-31')).toThrow(
      'no athena step with SQL named l',
    );
    expect(() => renderStepSql(pipelines, parseConfig({}), 'q', '2024-10-31T05:00')).toThrow(
      'as-of must be YYYY-MM-DD',
    );
  });
});
