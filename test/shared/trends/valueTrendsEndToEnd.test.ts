import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../shared/config/load.ts';
import { generateSample } from '../../../shared/generate/index.ts';
import { runBackfill } from '../../../shared/pipeline/backfill.ts';
import { runLocalPipeline } from '../../../shared/pipeline/runLocal.ts';

const config = parseConfig({});

describe('Function: runBackfill + value-trends step (end to end)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cvs-trends-'));
  const input = join(dir, 'sample');
  const out = join(dir, 'out');
  let backfill: Awaited<ReturnType<typeof runBackfill>>;
  let runDir: string;
  let trends: Record<string, string>[];
  // biome-ignore lint/suspicious/noExplicitAny: trend_backtest.json as parsed, fields checked by the tests
  let bt: Record<string, any>;

  beforeAll(async () => {
    // 10 months of daily metrics, 2024-01-01 .. 2024-10-31
    await generateSample({ outDir: input, accounts: 300, seed: 7, asOf: '2024-10-31' });
    backfill = await runBackfill({
      input,
      out,
      from: '2024-01-29',
      to: '2024-11-14',
      everyDays: 7,
      config,
    });
    runDir = (await runLocalPipeline({ input, out, asOf: '2024-10-31', config })).runDir;
    trends = parse(readFileSync(join(runDir, 'value_trends_all_accounts.csv')), { columns: true });
    bt = JSON.parse(readFileSync(join(runDir, 'trend_backtest.json'), 'utf8'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('backfills one run per week up to the last data day, each record marked as backfilled', () => {
    // Assess: Jan 29 .. Oct 28 every 7 days = 40 dates; Nov 4 and Nov 11 are after the data (Oct 31)
    expect(backfill.written).toHaveLength(40);
    expect(backfill.empty).toEqual(['2024-11-04', '2024-11-11']);
    const first = readFileSync(join(out, 'score-store', '2024-01-29.jsonl'), 'utf8')
      .trim()
      .split('\n');
    const rec = JSON.parse(first[0]);
    expect(rec.values.backfilled).toBe(true);
    expect(typeof rec.values.trend_value_score).toBe('number');
  });

  it('validates only the account and daily metrics tables before a backfill', () => {
    // Prepare
    const dq = JSON.parse(
      readFileSync(join(out, 'backfill', '2024-11-14', 'data_quality.json'), 'utf8'),
    );
    // Assess
    expect(Object.keys(dq.tables).sort()).toEqual([
      'pendo/pendo__account',
      'pendo/pendo__account_daily_metrics',
    ]);
  });

  it('writes the persistence calls and the shipped calls of every account with usage', () => {
    // Assess
    const used = trends.filter((r) => r.trend_3m !== '');
    expect(used.length).toBeGreaterThan(200);
    for (const r of used) {
      for (const k of ['trend_3m', 'trend_6m', 'persistence_3m', 'persistence_6m'])
        expect(['Up', 'Flat', 'Down']).toContain(r[k]);
      expect(r.trend_method_3m).toBe('persistence-regressed');
    }
    // Without product data (Salesforce-only prospects, no value index): no call at all; every product account
    // has one (Flat when it lacks two full windows, also without any daily-metrics row)
    for (const r of trends.filter((x) => x.trend_3m === '')) {
      expect(r.persistence_3m).toBe('');
      expect(r.value_index).toBe('');
    }
    for (const r of trends.filter((x) => x.value_index !== '')) expect(r.trend_3m).not.toBe('');
    expect(bt.accountsWithoutDailyMetrics).toBeLessThanOrEqual(bt.accountsWithoutFullInputs);
  });

  it('keeps regressed persistence: a 10-month export has 5 valid 3-month origins, fewer than 8', () => {
    // Assess: origins d = Oct 31 - 7w need d - 181 >= Jan 1 (d >= Jun 30) and d + 91 <= Oct 31 (d <= Aug 1):
    // w = 13 (Aug 1) .. 17 (Jul 4)
    const h = bt.horizons['3m'];
    expect(h.baseOrigins).toBe(5);
    expect(h.origins.map((o: { origin: string }) => o.origin)).toEqual([
      '2024-07-04',
      '2024-07-11',
      '2024-07-18',
      '2024-07-25',
      '2024-08-01',
    ]);
    expect(h.method).toBe('persistence-regressed');
    expect(h.reason).toContain('need 8');
    expect(h.comparisons).toHaveLength(0);
    // 6 months: d + 182 <= Oct 31 needs d <= May 2, before Jun 30
    expect(bt.horizons['6m'].evaluable).toBe(false);
    expect(bt.methods['6m'].basis).toContain('91-day change');
    // The shrinkage factor is estimated from the history known at the as-of (three windows: origins from Sep 29)
    expect(bt.shrinkage.pairs).toBeGreaterThanOrEqual(30);
    expect(bt.shrinkage.b).toBeGreaterThanOrEqual(0);
    expect(bt.shrinkage.b).toBeLessThanOrEqual(1);
    expect(bt.data).toMatchObject({ firstDay: '2024-01-01', lastDay: '2024-10-31' });
  });

  it('calls most generator-rising accounts Up and few declining ones Up', () => {
    // Prepare
    const truth: Record<string, string>[] = parse(
      readFileSync(join(input, '_truth', 'accounts.csv')),
      { columns: true },
    );
    const archetype = new Map(truth.map((t) => [t.account_id, t.archetype]));
    const upShare = (kind: string) => {
      const rows = trends.filter((r) => archetype.get(r.account_id) === kind && r.trend_3m !== '');
      return rows.filter((r) => r.trend_3m === 'Up').length / rows.length;
    };
    // Act & Assess
    expect(upShare('rising')).toBeGreaterThan(0.5);
    expect(upShare('declining')).toBeLessThan(0.2);
  });
});
