/**
 * Known-answer worlds of `cvs generate --world NAME`. In a world every Pendo account has a latent value trajectory
 * (log value = static level + persistent trend + mean-reverting noise) over the whole history AND beyond the as-of
 * (+91 and +182 days, written only to the `--truth` file). The exports are rendered from that trajectory with noise:
 * daily active visitors follow the value (to a degree the world sets, plus usage-only noise, seasonality and
 * population growth), CRM activity and opportunity amounts follow the value at their dates. docs/evaluation.md
 * describes each world and why it is a fair test. The parameters were set from plausibility alone, before any
 * method was evaluated on them.
 */
import { CvsError } from '../errors.ts';
import type { Rng } from './random.ts';

/** The dynamics of one world. Slopes are in natural-log units of value per year; days are calendar days. */
export interface WorldSpec {
  name: string;
  /** One line for `cvs generate --help` and the docs. */
  summary: string;
  /** Share of accounts whose value follows a persistent upward / downward trend. */
  trendUp: number;
  trendDown: number;
  /** Absolute trend slope, uniform in [lo, hi] (log value per year). */
  slope: readonly [number, number];
  /** Trend start, uniform in [lo, hi] days relative to the as-of (negative: before). */
  start: readonly [number, number];
  /** Trend duration, uniform in [lo, hi] days (after it the value stays at its new level). */
  duration: readonly [number, number];
  /** Mean-reverting (Ornstein-Uhlenbeck) noise of log value: stationary sd and half-life in days. */
  noiseSd: number;
  noiseHalfLife: number;
  /** Usage responds to value as value^elasticity. */
  usageElasticity: number;
  /** Correlation of the static usage level (seats, engagement, minutes, breadth) with the static value level. */
  usageLoading: number;
  /** Usage-only mean-reverting noise (log units): sd and half-life in days; unrelated to value. */
  usageNoiseSd: number;
  usageNoiseHalfLife: number;
  /** Population-wide usage growth, log per year (usage only; value does not grow). */
  populationGrowth: number;
  /** Annual seasonality of usage, amplitude in log units (peak mid-March), plus a year-end holiday dip. */
  seasonAmplitude: number;
  /** Share of Pendo accounts linked to an existing Salesforce account (the rest: half unlinked, half dangling). */
  crmLinked: number;
  /** Opportunity amounts follow value at the close date as value^elasticity, with lognormal noise (sd of log). */
  revenueElasticity: number;
  revenueNoise: number;
}

const BASE: Omit<WorldSpec, 'name' | 'summary'> = {
  trendUp: 0.3,
  trendDown: 0.25,
  slope: [0.35, 1.2],
  start: [-420, 60],
  duration: [240, 900],
  noiseSd: 0.07,
  noiseHalfLife: 60,
  usageElasticity: 1,
  usageLoading: 0.85,
  usageNoiseSd: 0.1,
  usageNoiseHalfLife: 30,
  populationGrowth: 0,
  seasonAmplitude: 0.08,
  crmLinked: 0.95,
  revenueElasticity: 1,
  revenueNoise: 0.6,
};

/** The documented worlds, by name. */
export const WORLDS: Readonly<Record<string, WorldSpec>> = {
  trends: {
    ...BASE,
    name: 'trends',
    summary:
      'persistent value trends (30% up, 25% down) starting at different dates, some after the as-of; usage and revenue follow value',
  },
  noise: {
    ...BASE,
    name: 'noise',
    summary: 'no trends: value only wanders and reverts to its level (mean-reverting noise)',
    trendUp: 0,
    trendDown: 0,
    noiseSd: 0.09,
    noiseHalfLife: 45,
  },
  growth: {
    ...BASE,
    name: 'growth',
    summary:
      'usage of the whole population grows about 13% a quarter while value does not; few accounts (12% up, 12% down) trend',
    trendUp: 0.12,
    trendDown: 0.12,
    populationGrowth: 0.5,
  },
  seasonal: {
    ...BASE,
    name: 'seasonal',
    summary:
      'strong annual usage seasonality (peak mid-March, trough mid-September, holiday dip) on top of the trends world',
    seasonAmplitude: 0.4,
  },
  'thin-crm': {
    ...BASE,
    name: 'thin-crm',
    summary: 'the trends world with only 20% of Pendo accounts linked to a Salesforce account',
    crmLinked: 0.2,
  },
  'weak-usage': {
    ...BASE,
    name: 'weak-usage',
    summary:
      'usage only weakly tied to value (level correlation 0.3, elasticity 0.25, strong usage-only noise); revenue carries the value',
    usageElasticity: 0.25,
    usageLoading: 0.3,
    usageNoiseSd: 0.25,
    usageNoiseHalfLife: 90,
    revenueNoise: 0.35,
  },
};

/** The names of the worlds, in documentation order. */
export const WORLD_NAMES: readonly string[] = Object.keys(WORLDS);

/** Standard deviation of the static log-value level across accounts. */
export const LEVEL_SD = 0.8;
/** Latent value = VALUE_SCALE * exp(log value): an annual value in thousands, median about 100. */
export const VALUE_SCALE = 100;
/** Spacing of the noise knots in days (linear interpolation between them). */
export const KNOT_DAYS = 7;

/** The latent trajectory of one account. */
export interface Latent {
  /** Static log-value level (LEVEL_SD * the account's standard-normal score). */
  level: number;
  /** Trend slope per day (0 without a trend), start and end day. */
  slope: number;
  trendStart: number;
  trendEnd: number;
  /** Mean-reverting noise of log value and usage-only noise, at knots KNOT_DAYS apart from the path start. */
  noise: Float32Array;
  usageNoise: Float32Array;
}

/** Span of the latent paths: from `start` (day) with `knots` knots. */
export interface PathSpan {
  start: number;
  knots: number;
}

/** The path span covering [from, to] days. */
export function pathSpan(from: number, to: number): PathSpan {
  return { start: from, knots: Math.ceil((to - from) / KNOT_DAYS) + 2 };
}

/** A stationary Ornstein-Uhlenbeck path at the knots (exact discretisation). */
function ouPath(r: Rng, knots: number, sd: number, halfLife: number): Float32Array {
  const out = new Float32Array(knots);
  if (sd <= 0) return out;
  const a = Math.exp((-Math.LN2 * KNOT_DAYS) / halfLife);
  const step = sd * Math.sqrt(1 - a * a);
  let x = sd * r.normal();
  for (let k = 0; k < knots; k++) {
    out[k] = x;
    x = a * x + step * r.normal();
  }
  return out;
}

/** Draws the latent trajectory of an account of standard-normal score `z` (its own seeded stream `r`). */
export function drawLatent(
  spec: WorldSpec,
  r: Rng,
  z: number,
  asOfDay: number,
  span: PathSpan,
): Latent {
  const roll = r.next();
  const sign = roll < spec.trendUp ? 1 : roll < spec.trendUp + spec.trendDown ? -1 : 0;
  const slope = (sign * r.uniform(spec.slope[0], spec.slope[1])) / 365;
  const trendStart = asOfDay + Math.round(r.uniform(spec.start[0], spec.start[1]));
  const trendEnd = trendStart + Math.round(r.uniform(spec.duration[0], spec.duration[1]));
  return {
    level: LEVEL_SD * z,
    slope,
    trendStart,
    trendEnd,
    noise: ouPath(r, span.knots, spec.noiseSd, spec.noiseHalfLife),
    usageNoise: ouPath(r, span.knots, spec.usageNoiseSd, spec.usageNoiseHalfLife),
  };
}

function knotValue(path: Float32Array, span: PathSpan, day: number): number {
  const x = Math.min(Math.max((day - span.start) / KNOT_DAYS, 0), path.length - 1);
  const k = Math.min(Math.floor(x), path.length - 2);
  const f = x - k;
  return path[k] * (1 - f) + path[k + 1] * f;
}

/** Log value of the account on a day. */
export function logValueAt(l: Latent, span: PathSpan, day: number): number {
  const inTrend = Math.min(Math.max(day - l.trendStart, 0), l.trendEnd - l.trendStart);
  return l.level + l.slope * inTrend + knotValue(l.noise, span, day);
}

/** Latent value of the account on a day (VALUE_SCALE * exp(log value)). */
export function latentValueAt(l: Latent, span: PathSpan, day: number): number {
  return VALUE_SCALE * Math.exp(logValueAt(l, span, day));
}

/** The standard normal CDF (Abramowitz-Stegun 7.1.26, error below 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp((-x * x) / 2);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** The account's value on a day as a 0-1 share (the scale the generator's renderers use). */
export function valueShareAt(l: Latent, span: PathSpan, day: number): number {
  return Math.min(0.999, Math.max(0.001, normalCdf(logValueAt(l, span, day) / LEVEL_SD)));
}

const MS_PER_DAY = 86_400_000;

/** Usage seasonality multiplier of a day: annual cosine peaking mid-March, and a year-end holiday dip. */
export function seasonAt(spec: WorldSpec, day: number): number {
  const d = new Date(day * MS_PER_DAY);
  const y = d.getUTCFullYear();
  const doy = day - Date.UTC(y, 0, 1) / MS_PER_DAY;
  const m = d.getUTCMonth();
  const date = d.getUTCDate();
  const holiday = (m === 11 && date >= 24) || (m === 0 && date === 1) ? 0.6 : 1;
  return holiday * Math.exp(spec.seasonAmplitude * Math.cos((2 * Math.PI * (doy - 74)) / 365.25));
}

/**
 * Usage multiplier of an account on a day: value (relative to its level) to the world's elasticity, usage-only
 * noise, seasonality, population growth (1 at the as-of) and an onboarding ramp for accounts that start late.
 */
export function usageFactorAt(
  spec: WorldSpec,
  l: Latent,
  span: PathSpan,
  day: number,
  asOfDay: number,
  rampFrom: number,
): number {
  const dev = logValueAt(l, span, day) - l.level;
  const ramp = rampFrom >= 0 ? 1 - Math.exp(-(day - rampFrom + 1) / 30) : 1;
  return (
    Math.exp(
      spec.usageElasticity * dev +
        knotValue(l.usageNoise, span, day) +
        (spec.populationGrowth * (day - asOfDay)) / 365,
    ) *
    seasonAt(spec, day) *
    Math.max(0, ramp)
  );
}

/** CRM activity multiplier of an account on a day: its value relative to its level (elasticity 1). */
export function crmFactorAt(l: Latent, span: PathSpan, day: number): number {
  return Math.exp(logValueAt(l, span, day) - l.level);
}

/** An unknown `--world` name (bad usage, exit 2). */
export class UnknownWorldError extends CvsError {
  override readonly exitCode = 2;
  constructor(name: string) {
    super(`unknown world '${name}'; known worlds: ${WORLD_NAMES.join(', ')}`);
    this.name = 'UnknownWorldError';
  }
}

/** Looks up a world by name; throws UnknownWorldError listing the known worlds. */
export function worldSpec(name: string): WorldSpec {
  const spec = Object.hasOwn(WORLDS, name) ? WORLDS[name] : undefined;
  if (!spec) throw new UnknownWorldError(name);
  return spec;
}
