import { describe, expect, it } from 'vitest';
import { budgetTable, fitLine, growthExponent, heapNeed, type StepSample } from './stepBudget.ts';

describe('fitLine', () => {
  it('goes through points on a line', () => {
    // y = 100 + 2x
    const line = fitLine([
      { x: 0, y: 100 },
      { x: 10, y: 120 },
      { x: 30, y: 160 },
    ]);
    expect(line.slope).toBeCloseTo(2, 12);
    expect(line.intercept).toBeCloseTo(100, 12);
  });

  it('is the least-squares line through scattered points', () => {
    // x = 1, 2, 3; y = 1, 3, 2: mean x 2, mean y 2, sxy = (-1)(-1) + 0 + (1)(0) = 1, sxx = 2 -> slope 0.5, intercept 1
    const line = fitLine([
      { x: 1, y: 1 },
      { x: 2, y: 3 },
      { x: 3, y: 2 },
    ]);
    expect(line.slope).toBeCloseTo(0.5, 12);
    expect(line.intercept).toBeCloseTo(1, 12);
  });

  it('refuses one size', () => {
    expect(() => fitLine([{ x: 1, y: 1 }])).toThrow(/two points/);
    expect(() =>
      fitLine([
        { x: 5, y: 1 },
        { x: 5, y: 2 },
      ]),
    ).toThrow(/two distinct/);
  });
});

describe('growthExponent', () => {
  it('is 1 for proportional growth, 0 for flat, 2 for quadratic', () => {
    expect(
      growthExponent([
        { x: 10_000, y: 100 },
        { x: 100_000, y: 1000 },
      ]),
    ).toBeCloseTo(1, 12);
    expect(
      growthExponent([
        { x: 100_000, y: 70 },
        { x: 10_000, y: 70 },
      ]),
    ).toBeCloseTo(0, 12);
    expect(
      growthExponent([
        { x: 10, y: 1 },
        { x: 30, y: 4 },
        { x: 100, y: 100 },
      ]),
    ).toBeCloseTo(2, 12);
  });
});

describe('budgetTable', () => {
  const sample = (
    step: string,
    accounts: number,
    peakRssMb: number,
    peakJsMb: number,
  ): StepSample => ({ step, accounts, peakRssMb, peakJsMb, startRssMb: 150 });

  it('projects each step and judges it against its declared memory', () => {
    const samples = [
      // JS: 50 + 0.005 MB per account -> 100 MB at 10^4, 550 at 10^5, 5,050 at 10^6
      sample('grows', 10_000, 400, 100),
      sample('grows', 100_000, 1300, 550),
      // JS: 50 + 0.012 per account -> 12,050 MB at 10^6
      sample('huge', 10_000, 300, 170),
      sample('huge', 100_000, 1500, 1250),
      // flat
      sample('flat', 10_000, 200, 60),
      sample('flat', 100_000, 200, 60),
      sample('sql', 10_000, 900, 80),
      sample('sql', 100_000, 2900, 80),
    ];
    const declared = new Map<string, number | null>([
      ['grows', 1024],
      ['huge', 3008],
      ['flat', 1024],
      ['sql', null],
    ]);
    const rows = budgetTable(samples, declared);
    const byStep = new Map(rows.map((r) => [r.step, r]));
    const grows = byStep.get('grows');
    expect(grows?.lambdaMb[0]).toBeCloseTo(250, 9); // 150 start + 100
    expect(grows?.lambdaMb[2]).toBeCloseTo(5200, 9); // 150 + 5,050
    // RSS: 300 + 0.01 per account -> 10,300 at 10^6
    expect(grows?.rssMb[2]).toBeCloseTo(10_300, 9);
    expect(grows?.verdict).toBe('raise memory');
    expect(grows?.jsExponent).toBeCloseTo(Math.log10(5.5), 12);
    expect(byStep.get('huge')?.verdict).toBe('split'); // 150 + 12,050 > 10,240
    expect(byStep.get('flat')?.verdict).toBe('fits');
    expect(byStep.get('flat')?.lambdaMb).toEqual([210, 210, 210]);
    expect(byStep.get('sql')?.verdict).toBe('Athena');
  });

  it('never projects below the smallest measured figure, and skips a step measured at one size', () => {
    const rows = budgetTable(
      [
        { step: 'noisy', accounts: 10_000, peakRssMb: 300, peakJsMb: 90, startRssMb: 100 },
        { step: 'noisy', accounts: 100_000, peakRssMb: 250, peakJsMb: 80, startRssMb: 100 },
        { step: 'once', accounts: 10_000, peakRssMb: 300, peakJsMb: 90, startRssMb: 100 },
      ],
      new Map([
        ['noisy', 1024],
        ['once', 1024],
      ]),
    );
    expect(rows.map((r) => r.step)).toEqual(['noisy']);
    expect(rows[0]?.rssMb[2]).toBe(300);
    expect(rows[0]?.lambdaMb[2]).toBe(190);
  });
});

describe('heapNeed', () => {
  const free = { peakRssMb: 2_000, startRssMb: 180, peakJsMb: 1_400 };
  const at = (peakJsMb: number) => ({ peakRssMb: peakJsMb + 200, startRssMb: 180, peakJsMb });

  it('takes the figures of the smallest cap that completed and the largest that failed', () => {
    // caps 1190 ok, 1011 ok, 859 ok, 730 failed
    const need = heapNeed(100_000, 'risk', free, [
      { capMb: 1_190, ok: true, result: at(900) },
      { capMb: 1_011, ok: true, result: at(820) },
      { capMb: 859, ok: true, result: at(760) },
      { capMb: 730, ok: false },
    ]);
    expect(need).toEqual({
      step: 'risk',
      accounts: 100_000,
      peakRssMb: 960,
      startRssMb: 180,
      peakJsMb: 760,
      capMb: 859,
      failedAtMb: 730,
      uncappedJsMb: 1_400,
    });
  });

  it('falls back to the uncapped figures when the first cap already failed', () => {
    const need = heapNeed(10_000, 'risk', free, [{ capMb: 1_190, ok: false }]);
    expect(need.peakJsMb).toBe(1_400);
    expect(need.capMb).toBeNull();
    expect(need.failedAtMb).toBe(1_190);
  });

  it('reports no failure when every cap down to the floor completed', () => {
    const need = heapNeed(10_000, 'small', free, [
      { capMb: 100, ok: true, result: at(90) },
      { capMb: 85, ok: true, result: at(80) },
    ]);
    expect(need.capMb).toBe(85);
    expect(need.peakJsMb).toBe(80);
    expect(need.failedAtMb).toBeNull();
  });
});
