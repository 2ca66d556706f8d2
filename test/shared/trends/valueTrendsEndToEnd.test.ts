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

  beforeAll(async () => {
    // 500 accounts: with 150 the classifier's early training sets (4-15 origins x 150 pairs) are too small for it
    // to beat "last change continues" reliably; from about 300 on it does.
    await generateSample({ outDir: input, accounts: 500, seed: 7, asOf: '2024-10-31' });
    backfill = await runBackfill({
      input,
      out,
      from: '2024-01-29',
      to: '2024-10-24',
      everyDays: 7,
      config,
    });
    runDir = (await runLocalPipeline({ input, out, asOf: '2024-10-31', config })).runDir;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one backfilled run per week, each record marked as backfilled', () => {
    // Assess: Jan 29 .. Oct 21 every 7 days = 39 dates
    expect(backfill.written).toHaveLength(39);
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
      readFileSync(join(out, 'backfill', '2024-10-24', 'data_quality.json'), 'utf8'),
    );
    // Assess
    expect(Object.keys(dq.tables).sort()).toEqual([
      'pendo/pendo__account',
      'pendo/pendo__account_daily_metrics',
    ]);
    expect(dq.tables['pendo/pendo__account_daily_metrics'].present).toBe(true);
  });

  it('forecasts from the stored history and beats both naive baselines in the 3-month backtest', () => {
    // Prepare
    const bt = JSON.parse(readFileSync(join(runDir, 'trend_backtest.json'), 'utf8'));
    // Assess
    expect(bt.history.fromStore).toBeGreaterThan(30);
    expect(bt.methods['3m']).toMatchObject({ method: 'model', categoryFrom: 'classifier' });
    expect(bt.methods['6m']).toMatchObject({
      method: 'heuristic-fallback',
      categoryFrom: 'delta-thresholds',
    });
    const h = bt.horizons['3m'];
    expect(h.evaluable).toBe(true);
    expect(h.model.n).toBeGreaterThan(5000);
    expect(h.model.hitRate).toBeGreaterThan(h.flat.hitRate);
    expect(h.model.hitRate).toBeGreaterThan(h.lastChange.hitRate);
    expect(h.model.mae).toBeLessThan(h.flat.mae);
    expect(h.selected.n).toBe(h.model.n);
    expect(h.selected.hitRate).toBeGreaterThan(h.flat.hitRate);
    expect(h.selected.hitRate).toBeGreaterThan(h.lastChange.hitRate);
    expect(h.origins.every((o: { selected: { reason: string } }) => o.selected.reason)).toBe(true);
  });

  it('forecasts most generator-rising accounts Up and few declining ones Up', () => {
    // Prepare
    const truth: Record<string, string>[] = parse(
      readFileSync(join(input, '_truth', 'accounts.csv')),
      { columns: true },
    );
    const trends: Record<string, string>[] = parse(
      readFileSync(join(runDir, 'value_trends_all_accounts.csv')),
      {
        columns: true,
      },
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
