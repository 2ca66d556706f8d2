import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DuckDbEngine } from '../../../shared/adapters/local/duckdbEngine.ts';
import { main } from '../../../shared/cli/main.ts';
import { parseConfig } from '../../../shared/config/load.ts';
import {
  AsOfOutOfRangeError,
  checkAsOfRange,
  checkRequestedAsOf,
  dataDateRange,
  maxDaysAfterNewest,
} from '../../../shared/pipeline/asOfCheck.ts';
import { isRealDate } from '../../../shared/pipeline/calendarDate.ts';
import { runState } from '../../../shared/pipeline/types.ts';
import { folderHash } from '../../helpers/folderHash.ts';

describe('Function: isRealDate', () => {
  it.each([
    ['2024-02-29', true],
    ['2024-02-30', false],
    ['2023-02-29', false],
    ['2024-13-01', false],
    ['2024-04-31', false],
    ['2024-1-01', false],
    ['2024-12-31', true],
  ])('%s -> %s', (value, ok) => expect(isRealDate(value)).toBe(ok));
});

describe('Function: checkAsOfRange', () => {
  const range = { first: '2024-01-05', newest: '2024-10-31' };
  it('accepts a date inside the data and up to the limit after it', () => {
    expect(() => checkAsOfRange('2024-01-05', range, { maxDaysAfterNewest: 6 })).not.toThrow();
    expect(() => checkAsOfRange('2024-11-06', range, { maxDaysAfterNewest: 6 })).not.toThrow();
  });
  it('refuses a date before the first data date, naming it', () => {
    expect(() => checkAsOfRange('2024-01-04', range, { maxDaysAfterNewest: 6 })).toThrow(
      /before the first data date 2024-01-05/,
    );
  });
  it('refuses a date far after the newest data unless allowStale', () => {
    expect(() => checkAsOfRange('2024-11-07', range, { maxDaysAfterNewest: 6 })).toThrow(
      /7 days after the newest data date 2024-10-31 .*--allow-stale/,
    );
    expect(() =>
      checkAsOfRange('2027-01-01', range, { maxDaysAfterNewest: 6, allowStale: true }),
    ).not.toThrow();
  });
  it('uses 2 x the freshness window by default', () => {
    // 2 (staleAsOfFactor) x 3 (maxInputAgeDays) = 6; with a window of 10: 20
    expect(maxDaysAfterNewest(parseConfig({}))).toBe(6);
    expect(maxDaysAfterNewest(parseConfig({ insights: { alerts: { maxInputAgeDays: 10 } } }))).toBe(
      20,
    );
  });
});

describe('Schema: runState (Lambda and state-machine input)', () => {
  it('refuses an as-of that does not exist', () => {
    const state = { asOf: '2024-02-30', runId: 'r', runPrefix: 'runs/x/', steps: {} };
    expect(runState.safeParse(state).success).toBe(false);
    expect(runState.safeParse({ ...state, asOf: '2024-02-29' }).success).toBe(true);
  });
});

/** An export folder: pendo__account as CSV (first events from 2024-01-05) and a Salesforce account as Parquet-free CSV. */
function exportsFolder(root: string): string {
  const input = join(root, 'in');
  mkdirSync(join(input, 'pendo', 'pendo__account'), { recursive: true });
  writeFileSync(
    join(input, 'pendo', 'pendo__account', 'part-0.csv'),
    'account_id,first_event_on,last_event_on\nA,2024-01-05,2024-10-30\nB,2024-03-01,2024-10-31\n',
  );
  mkdirSync(join(input, 'salesforce', 'task'), { recursive: true });
  writeFileSync(
    join(input, 'salesforce', 'task', 'part-0.csv'),
    'id,account_id,activity_date\nt1,S1,2020-01-01 10:00:00\n',
  );
  return input;
}

describe('Function: dataDateRange', () => {
  const root = mkdtempSync(join(tmpdir(), 'cvs-asof-'));
  const engine = DuckDbEngine.open();
  afterAll(async () => {
    await (await engine).close();
    rmSync(root, { recursive: true, force: true });
  });

  it('reads the first and newest event dates from Pendo (Salesforce only without Pendo)', async () => {
    // Prepare
    const input = exportsFolder(root);
    // Act
    const range = await dataDateRange(input, await engine);
    // Assess: the 2020 task does not count while Pendo is there
    expect(range).toEqual({ first: '2024-01-05', newest: '2024-10-31' });
    await expect(
      checkRequestedAsOf('2024-01-04', input, await engine, parseConfig({})),
    ).rejects.toBeInstanceOf(AsOfOutOfRangeError);
  });

  it('reads timestamps of Salesforce activities when there is no Pendo export', async () => {
    // Prepare
    const input = exportsFolder(join(root, 'crm'));
    rmSync(join(input, 'pendo'), { recursive: true });
    // Act & Assess
    expect((await dataDateRange(input, await engine)).first).toBe('2020-01-01');
  });
});

describe('Function: main (as-of checks)', () => {
  let dir: string;
  let stderr: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cvs-cli-asof-'));
    stderr = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits 2 for a date that does not exist, before reading anything', async () => {
    const input = exportsFolder(dir);
    const code = await main(['run', '-i', input, '-o', join(dir, 'out'), '--as-of', '2024-02-30']);
    expect(code).toBe(2);
    expect(stderr).toContain("expected a date YYYY-MM-DD, got '2024-02-30' (no such day)");
  });

  it('exits 2 for an as-of before the first data date, saying that date; the input is untouched', async () => {
    // Prepare
    const input = exportsFolder(dir);
    const before = folderHash(input);
    // Act
    const code = await main(['run', '-i', input, '-o', join(dir, 'out'), '--as-of', '2023-12-31']);
    // Assess
    expect(code).toBe(2);
    expect(stderr).toMatch(/^cvs: as-of 2023-12-31 is before the first data date 2024-01-05/);
    expect(folderHash(input)).toBe(before);
  });

  it('exits 2 for an as-of years after the data, naming --allow-stale', async () => {
    const input = exportsFolder(dir);
    const code = await main([
      'train',
      '-i',
      input,
      '-o',
      join(dir, 'out'),
      '--as-of',
      '2027-06-30',
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('after the newest data date 2024-10-31');
    expect(stderr).toContain('--allow-stale');
  });
});
