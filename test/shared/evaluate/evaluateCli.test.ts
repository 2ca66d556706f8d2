import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../shared/cli/main.ts';

/**
 * A tiny hand-made run folder: accounts a1..a8 in both the run and the truth, a9 only in the truth, x1 only in the
 * run. Every expected number below is counted by hand from these rows.
 */
const TRUTH = [
  'account_id,world,latent_value_now,latent_value_3m,latent_value_6m,true_high_value,true_direction_3m,true_direction_6m',
  'a1,hand,80,100,100,1,Up,Up',
  'a2,hand,70,90,70,1,Up,Flat',
  'a3,hand,60,60,60,0,Flat,Flat',
  'a4,hand,50,50,50,0,Flat,Flat',
  'a5,hand,40,40,40,0,Flat,Flat',
  'a6,hand,30,20,30,0,Down,Flat',
  'a7,hand,20,10,20,0,Down,Flat',
  'a8,hand,10,10,10,0,Flat,Flat',
  'a9,hand,5,5,5,0,Flat,Flat',
].join('\n');

// value_index follows the truth exactly; baseline_2d_score reverses it; p_high_value flags a1 and a3.
const SCORES = [
  'account_id,value_index,baseline_2d_score,p_high_value,trend_3m,trend_6m',
  'a1,0.9,0.1,0.9,Up,Flat',
  'a2,0.8,0.2,0.1,Flat,Flat',
  'a3,0.7,0.3,0.8,Flat,Flat',
  'a4,0.6,0.4,0.2,Flat,Flat',
  'a5,0.5,0.5,0.3,Up,Flat',
  'a6,0.4,0.6,0.4,Down,Flat',
  'a7,0.3,0.7,0.5,Flat,Flat',
  'a8,0.2,0.8,0.6,Flat,',
  'x1,0.1,0.9,0.7,Flat,Flat',
].join('\n');

const TRENDS = [
  'account_id,persistence_3m,persistence_6m',
  'a1,Up,Up',
  'a2,Up,Up',
  'a3,Flat,Flat',
  'a4,Down,Down',
  'a5,Flat,Flat',
  'a6,Flat,Flat',
  'a7,Down,Down',
  'a8,Flat,Flat',
].join('\n');

describe('Command: cvs evaluate', () => {
  let dir: string;
  let run: string;
  let truth: string;
  let stdout: string;
  let stderr: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cvs-evaluate-'));
    run = join(dir, 'out', 'runs', '2024-10-31');
    mkdirSync(run, { recursive: true });
    writeFileSync(join(run, 'account_scores.csv'), `${SCORES}\n`);
    writeFileSync(join(run, 'value_trends_all_accounts.csv'), `${TRENDS}\n`);
    truth = join(dir, 'truth.csv');
    writeFileSync(truth, `${TRUTH}\n`);
    stdout = '';
    stderr = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      stdout += `${args.join(' ')}\n`;
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes evaluation.json with hand-counted measures and prints the table', async () => {
    // Act
    const code = await main(['evaluate', '--run', run, '--truth', truth, '--seed', '5']);
    // Assess
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const e = JSON.parse(readFileSync(join(run, 'evaluation.json'), 'utf8'));
    expect(e.accounts).toMatchObject({ truth: 9, run: 9, matched: 8, truthOnly: 1, runOnly: 1 });
    expect(e.accounts.truthOnlyExamples).toEqual(['a9']);
    expect(e.accounts.runOnlyExamples).toEqual(['x1']);
    expect(e.spearman.value_index.rho).toBeCloseTo(1, 12);
    expect(e.spearman.baseline_2d_score.rho).toBeCloseTo(-1, 12);
    // top quartile of 8 = 2 accounts; p_high_value flags a1 (right) and a3 (wrong), misses a2
    expect(e.highValue.methods.p_high_value).toMatchObject({ tp: 1, fp: 1, fn: 1, tn: 5 });
    expect(e.highValue.methods.p_high_value.accuracy).toBeCloseTo(0.75, 12);
    expect(e.highValue.methods.value_index.accuracy).toBe(1);
    expect(e.highValue.methods.baseline_2d_score.accuracy).toBeCloseTo(0.5, 12);
    // 3m: forecast right on a1 a3 a4 a6 a8 (5/8), all-Flat on a3 a4 a5 a8 (4/8), persistence on 6/8
    const t3 = e.trends['3m'];
    expect(t3.hitRates.forecast).toMatchObject({ n: 8, missing: 0 });
    expect(t3.hitRates.forecast.hitRate).toBeCloseTo(5 / 8, 12);
    expect(t3.hitRates.allFlat.hitRate).toBeCloseTo(4 / 8, 12);
    expect(t3.hitRates.persistence.hitRate).toBeCloseTo(6 / 8, 12);
    expect(t3.vsAllFlat.difference).toBeCloseTo(1 / 8, 12);
    expect(t3.vsPersistence.difference).toBeCloseTo(-1 / 8, 12);
    expect(t3.vsAllFlat.lower).toBeLessThanOrEqual(t3.vsAllFlat.difference);
    expect(t3.vsAllFlat.upper).toBeGreaterThanOrEqual(t3.vsAllFlat.difference);
    expect(t3.confusion).toEqual({
      Up: { Up: 1, Flat: 1, Down: 0 },
      Flat: { Up: 1, Flat: 3, Down: 0 },
      Down: { Up: 0, Flat: 1, Down: 1 },
    });
    expect(t3.truthMix).toEqual({ Up: 2, Flat: 4, Down: 2 });
    // 6m: a8 has no call (counted missing); a2..a7 right, a1 wrong: 6/7
    const t6 = e.trends['6m'];
    expect(t6.hitRates.forecast).toMatchObject({ n: 7, missing: 1 });
    expect(t6.hitRates.forecast.hitRate).toBeCloseTo(6 / 7, 12);
    expect(t6.vsAllFlat).toMatchObject({ n: 7, difference: 0, lower: 0, upper: 0 });
    // ... and every 6m hit rate is on those same 7 (a8 left out): all-Flat right on a2..a7, persistence on a1 a3 a5 a6
    expect(t6.compared).toEqual({ n: 7, excluded: 1, withoutForecast: 1, withoutPersistence: 0 });
    expect(t6.hitRates.allFlat).toMatchObject({ n: 7, missing: 0 });
    expect(t6.hitRates.allFlat.hitRate).toBeCloseTo(6 / 7, 12);
    expect(t6.hitRates.persistence).toMatchObject({ n: 7, missing: 0 });
    expect(t6.hitRates.persistence.hitRate).toBeCloseTo(4 / 7, 12);
    expect(stdout).toContain(
      'compared on 7 of 8 matched accounts (1 left out: 1 without a forecast)',
    );
    expect(stdout).toContain('8 matched; 1 in the truth only');
    expect(stdout).toContain('evaluation written:');
  });

  it('reports persistence as unavailable without the persistence columns, and writes to --out', async () => {
    writeFileSync(join(run, 'value_trends_all_accounts.csv'), 'account_id,trend_3m\na1,Up\n');
    const out = join(dir, 'elsewhere', 'e.json');
    const code = await main(['evaluate', '--run', run, '--truth', truth, '--out', out]);
    expect(code).toBe(0);
    const e = JSON.parse(readFileSync(out, 'utf8'));
    expect(e.trends['3m'].hitRates.persistence.unavailable).toContain('persistence_3m');
    expect(e.trends['3m'].vsPersistence.unavailable).toBeDefined();
  });

  it('skips the truth-trained references with --no-references, saying so', async () => {
    // Arrange: the run has a trend feature column, so the trend reference would otherwise be fitted
    writeFileSync(
      join(run, 'account_scores.csv'),
      `${SCORES.split('\n')
        .map((l, i) => `${l},${i === 0 ? 'usage_change' : '0.1'}`)
        .join('\n')}\n`,
    );
    // Act
    const code = await main(['evaluate', '--run', run, '--truth', truth, '--no-references']);
    // Assess
    expect(code).toBe(0);
    const e = JSON.parse(readFileSync(join(run, 'evaluation.json'), 'utf8'));
    const skipped = { unavailable: 'not computed (truthReference: false)' };
    expect(e.highValue.truthReference).toEqual(skipped);
    expect(e.trends['3m'].truthReference).toEqual(skipped);
    expect(e.trends['6m'].truthReference).toEqual(skipped);
    expect(stdout).toContain('truth-trained reference: not computed');
  });

  it('exits 2 naming the problem for a missing run folder, a folder without scores and a bad truth', async () => {
    expect(await main(['evaluate', '--run', join(dir, 'nope'), '--truth', truth])).toBe(2);
    expect(stderr).toMatch(/run folder .*nope does not exist/);
    expect(await main(['evaluate', '--run', dir, '--truth', truth])).toBe(2);
    expect(stderr).toContain('has no account_scores.csv');
    expect(await main(['evaluate', '--run', run, '--truth', join(dir, 'none.csv')])).toBe(2);
    expect(stderr).toMatch(/truth file .*none\.csv does not exist/);
    writeFileSync(truth, 'account_id,world\na,w\n');
    expect(await main(['evaluate', '--run', run, '--truth', truth])).toBe(2);
    expect(stderr).toContain('missing column(s) latent_value_now');
  });
});
