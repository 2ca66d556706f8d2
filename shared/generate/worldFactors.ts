/**
 * How the latent world renders over time: the seeded stream keys and the per-day multipliers (usage trend, CRM
 * activity, value share) every table writer reads. Kept apart from sampleWorld.ts, which builds the world, so the
 * visitor builder can use them without an import cycle.
 */
import type { SampleAccount, SampleWorld } from './sampleWorld.ts';
import { crmFactorAt, usageFactorAt, valueShareAt } from './worlds.ts';

/** Stream keys of the seeded generators, one per kind of entity. */
export const STREAM = {
  world: 1,
  account: 2,
  visitors: 3,
  daily: 4,
  visitorMetrics: 5,
  visitorFeature: 6,
  catalogue: 7,
  sfAccount: 8,
  contact: 9,
  opportunity: 10,
  activity: 11,
  pendoAccountRow: 12,
  nullSeries: 13,
  visitorRow: 14,
  featureRow: 15,
  latent: 16,
} as const;

/** Activity multiplier of an account on a day: the archetype's trend, zero once dormant (about 1 on average). */
export function trendFactor(world: SampleWorld, acc: SampleAccount, day: number): number {
  if (acc.dormantFrom >= 0 && day >= acc.dormantFrom) return 0;
  if (world.spec && world.span && acc.latent) {
    const rampFrom = acc.startDay > world.windowStart ? acc.startDay : -1;
    return usageFactorAt(world.spec, acc.latent, world.span, day, world.opts.asOfDay, rampFrom);
  }
  const t = (day - world.windowStart) / world.windowDays;
  return acc.growth ** (t - 0.5);
}

/** CRM activity multiplier of an account on a day: the usage trend by default, its value in a known-answer world. */
export function crmFactor(world: SampleWorld, acc: SampleAccount, day: number): number {
  if (world.span && acc.latent) return crmFactorAt(acc.latent, world.span, day);
  return trendFactor(world, acc, day);
}

/** The account's 0-1 value share on a day (its static `value` in the default world). */
export function valueShare(world: SampleWorld, acc: SampleAccount, day: number): number {
  if (!world.span || !acc.latent) return acc.value;
  return valueShareAt(acc.latent, world.span, day);
}
