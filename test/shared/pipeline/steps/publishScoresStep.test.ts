import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../../../shared/adapters/local/duckdbEngine.ts';
import { FolderStore } from '../../../../shared/adapters/local/folderStore.ts';
import { parseConfig } from '../../../../shared/config/load.ts';
import { needsSpreadsheetQuote } from '../../../../shared/io/csvTable.ts';
import { publishScoresStep } from '../../../../shared/pipeline/steps/publishScoresStep.ts';
import type { StepContext } from '../../../../shared/pipeline/types.ts';
import type { Ports } from '../../../../shared/ports/index.ts';

describe('Function: needsSpreadsheetQuote', () => {
  it('is true only for a text cell a spreadsheet would read as a formula', () => {
    const table = (cell: string | number | boolean | null | undefined) => ({
      columns: ['account_id', 'x'],
      rows: [
        ['A', 1],
        ['B', cell],
      ],
    });
    expect(needsSpreadsheetQuote(table('=SUM(A1)'))).toBe(true);
    expect(needsSpreadsheetQuote(table('@cmd'))).toBe(true);
    // a number, a text that is a plain number, a boolean, empty: written the same raw and safe
    expect(
      [-5, '-5', '-0.25', true, null, undefined, 'a=b'].map((c) => needsSpreadsheetQuote(table(c))),
    ).toEqual([false, false, false, false, false, false, false]);
  });
});

describe('Step: publish-scores (account_scores.csv, its Parquet copy, the score shards)', () => {
  let engine: DuckDbEngine;
  let dir: string;
  let run: FolderStore;
  beforeAll(async () => {
    engine = await DuckDbEngine.open({ threads: 1 });
  });
  afterAll(async () => engine.close());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cvs-publish-'));
    run = new FolderStore(dir);
  });

  const publish = async (name: string) => {
    await run.put(
      'parts/features.csv',
      `account_id,account_name,sum_minutes\nA,${name},10\nB,Plain,-5\n`,
    );
    await run.put('parts/scores.csv', 'account_id,value_index\nB,0.25\nA,0.5\n');
    const begun: string[][] = [];
    const ports = {
      query: engine,
      scores: {
        beginRun: async (_asOf: string, ids: readonly string[]) => {
          begun.push([...ids]);
          return { isLatest: true };
        },
      },
    } as unknown as Ports;
    const ctx = { ports, config: parseConfig({}), run, log: () => {} } as StepContext;
    const out = await publishScoresStep(
      { asOf: '2024-10-31', runId: 'r', runPrefix: 'runs/x/', steps: {} },
      ctx,
    );
    const csv = readFileSync(join(dir, 'account_scores.csv'), 'utf8');
    const parquet = await engine.query(
      `SELECT account_name FROM read_parquet('${join(dir, 'account_scores.parquet')}') ORDER BY account_id`,
    );
    rmSync(dir, { recursive: true, force: true });
    return { out, csv, parquet: parquet.map((r) => r.account_name), begun };
  };

  it('writes the merged table once when no cell needs the spreadsheet quote', async () => {
    const { out, csv, parquet, begun } = await publish('Acme');
    expect(csv).toBe(
      'account_id,account_name,sum_minutes,value_index\nA,Acme,10,0.5\nB,Plain,-5,0.25\n',
    );
    expect(parquet).toEqual(['Acme', 'Plain']);
    expect(begun).toEqual([['A', 'B']]);
    expect(out).toMatchObject({ accounts: 2, shards: 1, isLatest: true });
  });

  it('quotes a formula-like name in the CSV deliverable and keeps it raw in the Parquet copy', async () => {
    const { csv, parquet } = await publish('=HYPERLINK(x)');
    expect(csv).toBe(
      `account_id,account_name,sum_minutes,value_index\nA,'=HYPERLINK(x),10,0.5\nB,Plain,-5,0.25\n`,
    );
    expect(parquet).toEqual(['=HYPERLINK(x)', 'Plain']);
  });
});
