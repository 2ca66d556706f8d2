import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../shared/cli/main.ts';
import { readTruthFile } from '../../../shared/evaluate/truth.ts';
import { generateSample } from '../../../shared/generate/index.ts';
import { digest } from './folderFiles.ts';

type Rec = Record<string, string>;

let root: string;

async function dailyDays(dir: string): Promise<string[]> {
  const text = await readFile(
    join(dir, 'pendo', 'pendo__account_daily_metrics', 'part-0000.csv'),
    'utf8',
  );
  return [...new Set((parse(text, { columns: true }) as Rec[]).map((r) => r.date_day))].sort();
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cvs-history-days-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('Option: cvs generate --history-days', () => {
  it('with 305 days to 2024-10-31 (2024-01-01 included, a leap year) writes the default span byte for byte', async () => {
    // Prepare: the default is 10 months, 2024-01-01..2024-10-31 = 31+29+31+30+31+30+31+31+30+31 = 305 days
    const byMonths = join(root, 'months');
    const byDays = join(root, 'days');
    // Act
    await generateSample({
      outDir: byMonths,
      accounts: 40,
      seed: 5,
      world: 'trends',
      truthFile: join(root, 'months.truth.csv'),
    });
    await generateSample({
      outDir: byDays,
      accounts: 40,
      seed: 5,
      world: 'trends',
      historyDays: 305,
      truthFile: join(root, 'days.truth.csv'),
    });
    // Assess: every export identical; only the marker says how the span was given
    const [a, b] = [await digest(byMonths), await digest(byDays)];
    const { '_generator.json': markerA, ...tablesA } = a;
    const { '_generator.json': markerB, ...tablesB } = b;
    expect(Object.keys(tablesA)).toHaveLength(10);
    expect(tablesB).toEqual(tablesA);
    expect(markerB).not.toBe(markerA);
    expect(await readFile(join(root, 'days.truth.csv'), 'utf8')).toBe(
      await readFile(join(root, 'months.truth.csv'), 'utf8'),
    );
    expect((await dailyDays(byDays))[0]).toBe('2024-01-01');
    const marker = JSON.parse(await readFile(join(byDays, '_generator.json'), 'utf8'));
    expect(marker.options).toEqual({
      accounts: 40,
      seed: 5,
      asOf: '2024-10-31',
      historyDays: 305,
      world: 'trends',
    });
  }, 120_000);

  it('writes a 730-day history from the CLI: 2022-11-02..2024-10-31, every day in the daily metrics', async () => {
    // Prepare: 2022-11-02 + 729 days = 2024-10-31 (365 days to 2023-11-02, 364 more with 2024-02-29 to 2024-10-31)
    const out = join(root, 'two-years');
    const truth = join(root, 'two-years.truth.csv');
    vi.spyOn(console, 'log').mockImplementation(() => {});
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    // Act
    const code = await main([
      'generate',
      '--out',
      out,
      '--accounts',
      '20',
      '--world',
      'noise',
      '--history-days',
      '730',
      '--truth',
      truth,
    ]);
    vi.restoreAllMocks();
    // Assess
    expect(code).toBe(0);
    const days = await dailyDays(out);
    expect(days[0]).toBe('2022-11-02');
    expect(days[days.length - 1]).toBe('2024-10-31');
    expect(days).toHaveLength(730);
    expect(await readTruthFile(truth)).toHaveLength(20);
    const marker = JSON.parse(await readFile(join(out, '_generator.json'), 'utf8'));
    expect(marker.options.historyDays).toBe(730);
    expect(marker.options.months).toBeUndefined();
  }, 120_000);

  it('rejects a history outside 1-1830 days, not a whole number, or given in months and days', async () => {
    const outDir = join(root, 'refused');
    for (const historyDays of [0, 1831, 30.5])
      await expect(generateSample({ outDir, accounts: 5, historyDays })).rejects.toThrow(
        /history days must be an integer 1-1830/,
      );
    await expect(
      generateSample({ outDir, accounts: 5, months: 10, historyDays: 305 }),
    ).rejects.toThrow(/either in months or in days/);
    await expect(readdir(outDir)).rejects.toThrow(/ENOENT/);
  });
});
