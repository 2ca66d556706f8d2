/**
 * The memory budget of each step from isolated measurements at a few sizes (isolated.ts): a least-squares line of
 * memory against accounts per step, its value at 10^4 .. 10^6 accounts, and what that means against the step's
 * declared Lambda memory. Pure functions, unit-tested in stepBudget.test.ts.
 */

/** Lambda's largest memory size, MB. */
export const LAMBDA_MAX_MB = 10_240;

/**
 * The declared Lambda memory of each step (MB; the declaration's `memoryMb`, else the 1024 MB default the CDK stack
 * gives); null for an Athena step, which runs no Lambda.
 */
export function declaredMemory(
  steps: readonly { name: string; kind: string; memoryMb?: number }[],
): Map<string, number | null> {
  return new Map(steps.map((s) => [s.name, s.kind === 'athena' ? null : (s.memoryMb ?? 1024)]));
}

/** One step measured in its own process at one size. */
export interface StepSample {
  readonly step: string;
  readonly accounts: number;
  /** Peak RSS of the step's process during the step (DuckDB included), MB. */
  readonly peakRssMb: number;
  /** RSS when the step started (Node, the loaded code, an open DuckDB), MB. */
  readonly startRssMb: number;
  /** Peak of the JS side (V8 heap + external buffers), MB. */
  readonly peakJsMb: number;
}

/** y = intercept + slope * x, fitted by least squares. */
export interface Line {
  readonly intercept: number;
  readonly slope: number;
}

/** The least-squares line through the points (at least two distinct x). */
export function fitLine(points: readonly { x: number; y: number }[]): Line {
  const n = points.length;
  if (n < 2) throw new Error('a line needs at least two points');
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  if (sxx === 0) throw new Error('a line needs two distinct sizes');
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const slope = sxy / sxx;
  return { intercept: my - slope * mx, slope };
}

/**
 * How fast y grows with x between the smallest and the largest size: log(y2 / y1) / log(x2 / x1). 1 is linear, 0 is
 * flat; above 1 the line under-estimates large sizes.
 */
export function growthExponent(points: readonly { x: number; y: number }[]): number {
  const sorted = [...points].sort((a, b) => a.x - b.x);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (!first || !last || first.x === last.x || first.y <= 0 || last.y <= 0) return Number.NaN;
  return Math.log(last.y / first.y) / Math.log(last.x / first.x);
}

/** What a step's projection means for its Lambda. */
export type Verdict = 'fits' | 'raise memory' | 'split' | 'Athena';

/** One row of the budget table. */
export interface BudgetRow {
  readonly step: string;
  /** The step's declared Lambda memory, MB; null for an Athena step. */
  readonly declaredMb: number | null;
  /** Projected peak RSS (local process, DuckDB included) at each target size, MB. */
  readonly rssMb: readonly number[];
  /** Projected Lambda need: start RSS at the smallest size + projected JS peak, MB. */
  readonly lambdaMb: readonly number[];
  /** growthExponent of the JS peak between the smallest and largest measured size. */
  readonly jsExponent: number;
  /** At the largest target: fits its declared memory, needs more (up to 10 GB), or cannot fit one Lambda. */
  readonly verdict: Verdict;
}

/**
 * The budget table: per step (in the order first seen), the lines of peak RSS and of the JS peak against accounts,
 * projected to `targets`; the Lambda need is the start RSS measured at the smallest size plus the projected JS peak
 * (on AWS the SQL is Athena's, so a Lambda holds the JS side). A projection never goes below the smallest measured
 * value (a line fitted to noisy flat figures can slope down).
 */
export function budgetTable(
  samples: readonly StepSample[],
  declared: ReadonlyMap<string, number | null>,
  targets: readonly number[] = [10_000, 100_000, 1_000_000],
): BudgetRow[] {
  const steps = [...new Set(samples.map((s) => s.step))];
  const rows: BudgetRow[] = [];
  for (const step of steps) {
    const own = samples.filter((s) => s.step === step).sort((a, b) => a.accounts - b.accounts);
    const sizes = new Set(own.map((s) => s.accounts));
    if (sizes.size < 2) continue;
    const smallest = own[0] as StepSample;
    const rss = fitLine(own.map((s) => ({ x: s.accounts, y: s.peakRssMb })));
    const js = fitLine(own.map((s) => ({ x: s.accounts, y: s.peakJsMb })));
    const at = (line: Line, floor: number, x: number): number =>
      Math.max(floor, line.intercept + line.slope * x);
    const rssMb = targets.map((x) => at(rss, smallest.peakRssMb, x));
    const lambdaMb = targets.map((x) => smallest.startRssMb + at(js, smallest.peakJsMb, x));
    const declaredMb = declared.get(step) ?? null;
    const need = lambdaMb[lambdaMb.length - 1] ?? 0;
    const verdict: Verdict =
      declaredMb === null
        ? 'Athena'
        : need <= declaredMb
          ? 'fits'
          : need <= LAMBDA_MAX_MB
            ? 'raise memory'
            : 'split';
    rows.push({
      step,
      declaredMb,
      rssMb,
      lambdaMb,
      jsExponent: growthExponent(own.map((s) => ({ x: s.accounts, y: s.peakJsMb }))),
      verdict,
    });
  }
  return rows;
}

/** One run of a step under a V8 heap cap (`--max-old-space-size`), stepAlone.ts `need`. */
export interface HeapTrial {
  readonly capMb: number;
  readonly ok: boolean;
  readonly result?: Pick<StepSample, 'peakRssMb' | 'startRssMb' | 'peakJsMb'>;
}

/**
 * What a step needs when V8 must collect: its figures under the smallest heap cap it completed with. Without a cap,
 * V8 lets the heap grow while memory is free (garbage included), so the uncapped JS peak measures how much V8 took,
 * not how much the step needs; a Lambda's heap is capped (NODE_OPTIONS of the CDK stack).
 */
export interface HeapNeed extends StepSample {
  /** The smallest cap the step completed with, MB; null when it failed at the first cap tried. */
  readonly capMb: number | null;
  /** The largest cap it failed with (out of heap or too slow), MB; null when no cap down to the floor failed. */
  readonly failedAtMb: number | null;
  /** The uncapped JS peak, MB (the isolated bench's figure). */
  readonly uncappedJsMb: number;
}

/**
 * The step's need from an uncapped run and its capped trials (caps in decreasing order): the figures of the smallest
 * cap that completed, or the uncapped run's when none did.
 */
export function heapNeed(
  accounts: number,
  step: string,
  free: Pick<StepSample, 'peakRssMb' | 'startRssMb' | 'peakJsMb'>,
  trials: readonly HeapTrial[],
): HeapNeed {
  const ok = trials.filter((t) => t.ok && t.result);
  const best = ok.reduce<HeapTrial | null>(
    (b, t) => (b === null || t.capMb < b.capMb ? t : b),
    null,
  );
  const failed = trials.filter((t) => !t.ok).map((t) => t.capMb);
  const r = best?.result ?? free;
  return {
    step,
    accounts,
    peakRssMb: r.peakRssMb,
    startRssMb: r.startRssMb,
    peakJsMb: r.peakJsMb,
    capMb: best?.capMb ?? null,
    failedAtMb: failed.length ? Math.max(...failed) : null,
    uncappedJsMb: free.peakJsMb,
  };
}

/** The cells both budget tables print for a row: step, the projected Lambda need (under `lambdaLabel`), growth, verdict. */
export function budgetCells(b: BudgetRow, lambdaLabel: string): Record<string, string | number> {
  return {
    step: b.step,
    [lambdaLabel]: b.lambdaMb.map((v) => Math.round(v)).join(' / '),
    'JS growth exponent': Number(b.jsExponent.toFixed(2)),
    'declared MB': b.declaredMb ?? 'Athena',
    'at 10^6': b.verdict,
  };
}
