import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/load.ts';
import { generateSample } from '../../shared/generate/index.ts';
import { dailyPipeline } from '../../shared/pipeline/declarations.ts';
import { runLocalPipeline } from '../../shared/pipeline/runLocal.ts';

/** SHA-256 of every file under a folder, by relative path. */
function treeHash(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

const csv = (path: string): Record<string, string>[] =>
  parse(readFileSync(path), { columns: true });

describe('End to end: local daily pipeline', () => {
  let root: string;
  let input: string;
  let out: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'cvs-e2e-'));
    input = join(root, 'data');
    out = join(root, 'out');
    await generateSample({ outDir: input, accounts: 260, seed: 7, asOf: '2024-10-31' }); // >= 200: a model is trained
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('scores every account, writes the deliverables and leaves the input byte-identical', async () => {
    // Prepare
    const before = treeHash(input);
    const pendoAccounts = csv(join(input, 'pendo/pendo__account/part-0000.csv'));
    // Act
    const result = await runLocalPipeline({
      input,
      out,
      asOf: '2024-10-31',
      config: parseConfig({}),
    });
    // Assess
    expect(treeHash(input)).toEqual(before);
    const runDir = join(out, 'runs', '2024-10-31');
    const deliverables = [
      'account_scores.csv',
      'account_scores.parquet',
      'data_quality.json',
      'manifest.json',
      'report.html',
      // classifier (seed 000 names)
      'hv_predictions_testset.csv',
      'feature_importances.csv',
      'model_metrics.json',
      // trends
      'value_trends_all_accounts.csv',
      'trend_backtest.json',
      // risk and revenue (seed 004 names)
      'account_health_and_prediction.csv',
      'tier_summary.csv',
      'risk_matrix_counts.csv',
      'high_risk_segment_rates.csv',
      'high_risk_characteristics_vs_all.csv',
    ];
    for (const f of deliverables) {
      expect(existsSync(join(runDir, f)), f).toBe(true);
    }
    const scores = csv(join(runDir, 'account_scores.csv'));
    const pendoIds = new Set(pendoAccounts.map((r) => r.account_id));
    expect(scores.filter((r) => pendoIds.has(r.account_id))).toHaveLength(pendoIds.size);
    const valued = scores.filter((r) => r.value_index !== '');
    const high = valued.filter((r) => r.high_value_index === 'true');
    expect(high.length).toBe(Math.round(valued.length * 0.25));
    for (const r of scores.filter((s) => s.crm_health_score !== '')) {
      const h = Number(r.crm_health_score);
      expect(h).toBeGreaterThanOrEqual(0);
      expect(h).toBeLessThanOrEqual(100);
      expect(r.high_risk).toBe(h < 50 ? 'true' : 'false');
    }
    const manifest = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8'));
    expect(manifest.inputs.length).toBe(
      Object.keys(before).filter((k) => /^(pendo|salesforce)\//.test(k)).length,
    );
    const declared = dailyPipeline.steps.map((s) => s.name);
    expect(Object.keys(manifest.steps)).toEqual(declared.slice(0, -1));
    expect(Object.keys(result.state.steps)).toEqual(declared);
    expect(manifest.outputs.map((o: { key: string }) => o.key)).toContain('account_scores.csv');
    const stored = readFileSync(join(out, 'score-store', '2024-10-31.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(stored).toHaveLength(scores.length);
  });

  it('replaces a re-run of the same date and keeps other runs', async () => {
    // Prepare
    await runLocalPipeline({ input, out, asOf: '2024-10-30', config: parseConfig({}) });
    const marker = join(out, 'runs', '2024-10-31', 'stale-file.txt');
    writeFileSync(marker, 'left by an earlier run');
    // Act
    await runLocalPipeline({ input, out, asOf: '2024-10-31', config: parseConfig({}) });
    // Assess
    expect(existsSync(marker)).toBe(false);
    expect(readdirSync(join(out, 'runs')).sort()).toEqual(['2024-10-30', '2024-10-31']);
  });

  it('scores with one source only and leaves the other source scores empty with a note', async () => {
    for (const [source, other] of [
      ['pendo', 'salesforce'],
      ['salesforce', 'pendo'],
    ] as const) {
      // Prepare: a copy of the input with one source folder only
      const only = join(root, `only-${source}`);
      cpSync(join(input, source), join(only, source), { recursive: true });
      // Act
      const res = await runLocalPipeline({
        input: only,
        out: join(root, `out-${source}`),
        config: parseConfig({}),
      });
      // Assess
      expect(res.asOf, source).toBe('2024-10-31');
      const scores = csv(join(res.runDir, 'account_scores.csv'));
      const productScored = scores.filter((r) => r.value_index !== '').length;
      const crmScored = scores.filter((r) => r.crm_health_score !== '').length;
      expect(source === 'pendo' ? crmScored : productScored, source).toBe(0);
      expect(source === 'pendo' ? productScored : crmScored, source).toBeGreaterThan(200);
      const dq = JSON.parse(readFileSync(join(res.runDir, 'data_quality.json'), 'utf8'));
      expect(dq.notes.join('\n'), source).toContain(`${other} absent`);
    }
  });

  it('quarantines bad rows with their reason and stops on a missing required column', async () => {
    // Prepare: a copy of the input with one NPS of 11 and then without the sum_minutes column
    const broken = join(root, 'broken');
    cpSync(input, broken, { recursive: true });
    const file = join(broken, 'pendo/pendo__account/part-0000.csv');
    const rows = readFileSync(file, 'utf8').split('\n');
    const header = rows[0].split(',');
    const nps = header.indexOf('max_nps_rating');
    const cells = rows[1].split(',');
    cells[nps] = '11';
    rows[1] = cells.join(',');
    writeFileSync(file, rows.join('\n'));
    // Act
    const res = await runLocalPipeline({
      input: broken,
      out: join(root, 'out-broken'),
      config: parseConfig({}),
    });
    // Assess
    const q = csv(join(res.runDir, 'quarantine', 'pendo__account.csv'));
    expect(q).toHaveLength(1);
    expect(q[0]._reason).toContain('max_nps_rating');
    expect(q[0]._row).toBe('2');
    const dq = JSON.parse(readFileSync(join(res.runDir, 'data_quality.json'), 'utf8'));
    expect(dq.tables['pendo/pendo__account'].rows_quarantined).toBe(1);
    // Prepare: drop the sum_minutes column
    const minutes = header.indexOf('sum_minutes');
    writeFileSync(
      file,
      rows
        .filter((l) => l !== '')
        .map((l) =>
          l
            .split(',')
            .filter((_, i) => i !== minutes)
            .join(','),
        )
        .join('\n'),
    );
    // Act & Assess
    await expect(
      runLocalPipeline({ input: broken, out: join(root, 'out-broken'), config: parseConfig({}) }),
    ).rejects.toThrow(/pendo__account.*part-0000\.csv.*sum_minutes/s);
  });
});
