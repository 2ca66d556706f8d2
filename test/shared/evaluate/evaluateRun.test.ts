import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evaluateRun, formatEvaluation } from '../../../shared/evaluate/index.ts';

/**
 * Accounts without a call (issue: the hit rates and the paired differences were computed over different accounts).
 * Ten hand-made accounts b01..b10. The forecast made no call for b07, b08, b09 (like the trend step's accounts
 * without daily metrics); persistence made none for b09 and b10. So every method has a call on b01..b06 only, and
 * that is where all three hit rates and both differences must be measured. Every expected figure is counted by
 * hand from the rows below.
 */
const TRUTH = [
  'account_id,world,latent_value_now,latent_value_3m,latent_value_6m,true_high_value,true_direction_3m,true_direction_6m',
  'b01,hand,100,120,120,1,Up,Up',
  'b02,hand,90,90,90,1,Flat,Flat',
  'b03,hand,80,80,80,1,Flat,Flat',
  'b04,hand,70,50,50,0,Down,Down',
  'b05,hand,60,60,60,0,Flat,Flat',
  'b06,hand,50,60,60,0,Up,Up',
  'b07,hand,40,30,30,0,Down,Down',
  'b08,hand,30,30,30,0,Flat,Flat',
  'b09,hand,20,10,10,0,Down,Down',
  'b10,hand,10,20,20,0,Up,Up',
].join('\n');

// 3m and 6m identical: the forecast calls Flat where it calls (and Up on b10, right), no call on b07..b09.
const SCORES = [
  'account_id,value_index,baseline_2d_score,p_high_value,trend_3m,trend_6m',
  'b01,10,1,10,Flat,Flat',
  'b02,9,2,9,Flat,Flat',
  'b03,8,3,8,Flat,Flat',
  'b04,7,4,7,Flat,Flat',
  'b05,6,5,6,Flat,Flat',
  'b06,5,6,5,Flat,Flat',
  'b07,4,7,4,,',
  'b08,3,8,3,,',
  'b09,2,9,2,,',
  'b10,1,10,1,Up,Up',
].join('\n');

// persistence right on b01, b03, b04, b06 of b01..b06 (4 of 6); no call on b09, b10.
const TRENDS = [
  'account_id,persistence_3m,persistence_6m',
  'b01,Up,Up',
  'b02,Down,Down',
  'b03,Flat,Flat',
  'b04,Down,Down',
  'b05,Up,Up',
  'b06,Up,Up',
  'b07,Down,Down',
  'b08,Flat,Flat',
  'b09,,',
  'b10,,',
].join('\n');

describe('Function: evaluateRun (accounts without a call)', () => {
  let dir: string;
  let run: string;
  let truth: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cvs-evaluate-run-'));
    run = join(dir, 'runs', '2024-10-31');
    mkdirSync(run, { recursive: true });
    writeFileSync(join(run, 'account_scores.csv'), `${SCORES}\n`);
    writeFileSync(join(run, 'value_trends_all_accounts.csv'), `${TRENDS}\n`);
    truth = join(dir, 'truth.csv');
    writeFileSync(truth, `${TRUTH}\n`);
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('measures every hit rate and both differences on the accounts all methods called', async () => {
    // Act
    const e = await evaluateRun({ run, truth, seed: 3, resamples: 200 });
    // Assess
    for (const h of ['3m', '6m'] as const) {
      const t = e.trends[h];
      // b01..b06, truth Up Flat Flat Down Flat Up: forecast (all Flat) right on b02 b03 b05
      expect(t.hitRates.forecast).toEqual({ n: 6, missing: 3, hitRate: 3 / 6 });
      expect(t.hitRates.allFlat).toEqual({ n: 6, missing: 0, hitRate: 3 / 6 });
      expect(t.hitRates.persistence).toEqual({ n: 6, missing: 2, hitRate: 4 / 6 });
      expect(t.vsAllFlat).toMatchObject({
        n: 6,
        forecast: 3 / 6,
        reference: 3 / 6,
        difference: 0,
        lower: 0,
        upper: 0,
      });
      expect(t.vsPersistence).toMatchObject({
        n: 6,
        forecast: 3 / 6,
        reference: 4 / 6,
        difference: expect.closeTo(-1 / 6, 12),
      });
      // persistence (4 of 6) - all-Flat (3 of 6), on the same six accounts
      expect(t.persistenceVsAllFlat).toMatchObject({
        n: 6,
        forecast: 4 / 6,
        reference: 3 / 6,
        difference: expect.closeTo(1 / 6, 12),
      });
      // b01..b06 are compared; b07, b08, b09 have no forecast, b09 and b10 no persistence
      expect(t.compared).toEqual({
        n: 6,
        excluded: 4,
        withoutForecast: 3,
        withoutPersistence: 2,
      });
      // the confusion matrix covers the same six accounts: its diagonal is the forecast's 3 hits
      expect(t.confusion).toEqual({
        Up: { Up: 0, Flat: 2, Down: 0 },
        Flat: { Up: 0, Flat: 3, Down: 0 },
        Down: { Up: 0, Flat: 1, Down: 0 },
      });
      expect(t.callMix).toEqual({ Up: 0, Flat: 6, Down: 0 });
      // the truth mix stays that of every matched account
      expect(t.truthMix).toEqual({ Up: 3, Flat: 4, Down: 3 });
    }
  });

  it('prints how many accounts the hit rates cover and why the others are left out', async () => {
    const text = formatEvaluation(await evaluateRun({ run, truth, seed: 3, resamples: 200 }));
    expect(text).toContain(
      'compared on 6 of 10 matched accounts (4 left out: 3 without a forecast, 2 without a persistence call)',
    );
    expect(text).toContain(
      'hit rate (n=6): forecast 0.500 (3 without a call)   all-Flat 0.500   persistence 0.667 (2 without a call)',
    );
    expect(text).toContain('forecast - all-Flat +0.000 [0.000, 0.000]');
    expect(text).toContain('forecast - persistence -0.167');
    expect(text).toContain('persistence - all-Flat +0.167');
  });

  it('compares all-Flat with persistence on the persistence calls when there is no forecast column', async () => {
    writeFileSync(
      join(run, 'account_scores.csv'),
      `${SCORES.split('\n')
        .map((l) => l.split(',').slice(0, 4).join(','))
        .join('\n')}\n`,
    );
    const e = await evaluateRun({ run, truth, seed: 3, resamples: 200 });
    const t = e.trends['3m'];
    // b01..b08 have a persistence call; truth Flat on b02 b03 b05 b08 (4 of 8), persistence right on 6
    expect(t.hitRates.allFlat).toEqual({ n: 8, missing: 0, hitRate: 4 / 8 });
    expect(t.hitRates.persistence).toEqual({ n: 8, missing: 2, hitRate: 6 / 8 });
    expect(t.compared).toEqual({ n: 8, excluded: 2, withoutForecast: null, withoutPersistence: 2 });
    expect(t.hitRates.forecast).toHaveProperty('unavailable');
    expect(t.vsAllFlat).toHaveProperty('unavailable');
    expect(t.persistenceVsAllFlat).toMatchObject({ n: 8, difference: 2 / 8 });
  });
});
