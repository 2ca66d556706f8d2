/**
 * The latent world behind a sample: accounts (value, trend archetype, start, dormancy, CRM link), their visitors,
 * the feature catalogue and the Salesforce accounts. Everything is drawn from seeded streams, one per entity, so
 * the same options always give the same world. The table writers only render and roll up this world.
 */

import { buildCatalogue, type FeatureCatalogue } from './featureCatalogue.ts';
import { addMonths, salesforceId } from './format.ts';
import { COMPANY_HEADS, COMPANY_TAILS } from './names.ts';
import { Rng } from './random.ts';
import { buildVisitors, type SampleVisitor } from './sampleVisitors.ts';
import { STREAM } from './worldFactors.ts';
import {
  drawLatent,
  type Latent,
  logValueAt,
  normalCdf,
  type PathSpan,
  pathSpan,
  type WorldSpec,
} from './worlds.ts';

/** The usage trend an account follows over the window. */
export type Archetype = 'rising' | 'flat' | 'declining';

/** How a Pendo account links to Salesforce: a real SF account, no link, or a link to a missing SF id. */
export type CrmLink = 'valid' | 'none' | 'dangling';

/** Usage totals of one account, summed from its daily rows (the pendo__account roll-up). */
export interface Rollup {
  activeDays: number;
  activeMonths: number;
  visitorDays: number;
  pageVisitorDays: number;
  minutes: number;
  events: number;
  records: number;
  /** First and last active day numbers, -1 when never active. */
  firstDay: number;
  lastDay: number;
}

/** One Pendo account (or an orphan account id that only appears in the daily metrics). */
export interface SampleAccount {
  index: number;
  id: string;
  name: string;
  domain: string;
  /** Latent customer value, 0-1 (uniform); drives visitors, usage, breadth, NPS and CRM size. */
  value: number;
  /** Standard-normal score of `value`. */
  z: number;
  /** Static usage level, 0-1, behind seats, engagement, minutes and breadth (equals `value` in the default world). */
  usage: number;
  /** The latent value trajectory in a known-answer world; null in the default world. */
  latent: Latent | null;
  archetype: Archetype;
  /** Activity multiplier from the first to the last window day (>1 rising, <1 declining, about 1 flat). */
  growth: number;
  /** First event day (day number); -1 when the account never had an event. */
  startDay: number;
  /** Day from which a dormant declining account has no activity, or -1. */
  dormantFrom: number;
  /** Visitors whose home is this account. */
  visitorCount: number;
  /** False for orphan ids that appear in the daily metrics only. */
  inPendo: boolean;
  crmLink: CrmLink;
  /** Value of agent_salesforceaccountid (null when unlinked). */
  linkId: string | null;
  /** Distinct visitors ever associated (count_associated_visitors). */
  associated: number;
  nps: { min: number; max: number; sum: number; n: number };
  rollup: Rollup;
}

/** One Salesforce account: a linked customer or an SF-only prospect. */
export interface SfAccount {
  index: number;
  id: string;
  /** Index of the linked Pendo account, -1 for SF-only accounts. */
  pendo: number;
  name: string;
  domain: string;
  value: number;
  z: number;
  employees: number;
  contactStart: number;
  contactCount: number;
  oppStart: number;
  oppCount: number;
}

/** Options that shape the world (already defaulted). */
export interface WorldOptions {
  accounts: number;
  seed: number;
  /** Last day of the window (day number). */
  asOfDay: number;
  months: number;
  /** Days in the window (asOf included) instead of `months`; absent: `months` calendar months. */
  historyDays?: number;
  /** A known-answer world (see worlds.ts); absent: the default sample. */
  world?: WorldSpec;
}

/** The whole latent world of one sample. */
export interface SampleWorld {
  opts: WorldOptions;
  /** First day of the window (day number): `months` months (or `historyDays` days) before the day after asOf. */
  windowStart: number;
  /** Days in the window, asOf included. */
  windowDays: number;
  /** Pendo accounts (first `opts.accounts`) followed by orphan daily-only ids. */
  accounts: SampleAccount[];
  visitors: SampleVisitor[];
  catalogue: FeatureCatalogue;
  sf: SfAccount[];
  /** Salesforce user ids (005) that own records. */
  owners: string[];
  /** First day of the NULL-account_id daily series. */
  nullSeriesStart: number;
  /** The known-answer world and the day span of its latent paths; null in the default sample. */
  spec: WorldSpec | null;
  span: PathSpan | null;
}

/** The Pendo account id of account number `i` (the application's own key, not a Salesforce id). */
export function pendoAccountId(i: number): string {
  return `acct-${String(i + 1).padStart(6, '0')}`;
}

/** Builds the latent world from the options: accounts, visitors, feature catalogue, Salesforce accounts. */
export function buildWorld(opts: WorldOptions): SampleWorld {
  const windowStart =
    opts.historyDays === undefined
      ? addMonths(opts.asOfDay + 1, -opts.months)
      : opts.asOfDay + 1 - opts.historyDays;
  const windowDays = opts.asOfDay - windowStart + 1;
  const n = opts.accounts;
  const rng = new Rng(opts.seed, STREAM.world);
  // Stratified assignments (exact shares), so small samples keep the advertised proportions.
  const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
  const archetypes: Archetype[] = new Array(n);
  order.forEach((acc, k) => {
    archetypes[acc] = (['rising', 'flat', 'declining'] as const)[k % 3];
  });
  const spec = opts.world ?? null;
  const links: CrmLink[] = new Array(n).fill('valid');
  const linkOrder = rng.shuffle(Array.from({ length: n }, (_, i) => i));
  const unlinked = Math.round(n * (spec ? (1 - spec.crmLinked) / 2 : 0.025));
  const dangling = Math.round(n * (spec ? (1 - spec.crmLinked) / 2 : 0.025));
  for (let k = 0; k < unlinked + dangling; k++)
    links[linkOrder[k]] = k < unlinked ? 'none' : 'dangling';
  const never = new Set(
    rng.shuffle(Array.from({ length: n }, (_, i) => i)).slice(0, Math.round(n * 0.03)),
  );
  const orphanCount = Math.max(2, Math.round(n * 0.003));
  // Latent paths cover the oldest opportunity date (700 days back, see the opportunity rows) to asOf + 182 days.
  const span = spec
    ? pathSpan(Math.min(windowStart, opts.asOfDay - 700) - 7, opts.asOfDay + 182 + 7)
    : null;

  const names = new Map<string, number>();
  const accounts: SampleAccount[] = [];
  for (let i = 0; i < n + orphanCount; i++) {
    const r = new Rng(opts.seed, STREAM.account, i);
    const inPendo = i < n;
    const value = r.uniform(0.001, 0.999);
    const z = Math.log(value / (1 - value)) / 1.7; // logit/1.7 is close to the probit
    const lr = spec ? new Rng(opts.seed, STREAM.latent, i) : null;
    const latent = spec && span && lr ? drawLatent(spec, lr, z, opts.asOfDay, span) : null;
    let usageZ = z;
    if (spec && lr) {
      usageZ = spec.usageLoading * z + Math.sqrt(1 - spec.usageLoading ** 2) * lr.normal();
    }
    const usage = spec ? Math.min(0.999, Math.max(0.001, normalCdf(usageZ))) : value;
    // In a world, the archetype only describes the history: the change of log value over the window.
    const historyChange =
      latent && span
        ? logValueAt(latent, span, opts.asOfDay) - logValueAt(latent, span, windowStart)
        : 0;
    const archetype: Archetype = latent
      ? historyChange > 0.1
        ? 'rising'
        : historyChange < -0.1
          ? 'declining'
          : 'flat'
      : inPendo
        ? archetypes[i]
        : r.pick(['rising', 'flat', 'declining'] as const);
    const growth =
      archetype === 'rising'
        ? r.uniform(2.5, 6)
        : archetype === 'declining'
          ? 1 / r.uniform(2.5, 6)
          : r.uniform(0.85, 1.15);
    const lateStart = spec ? r.chance(0.12) : archetype !== 'declining' && r.chance(0.12);
    const startDay = never.has(i)
      ? -1
      : windowStart + (lateStart ? Math.floor(r.uniform(0.05, 0.7) * windowDays) : 0);
    const dormantFrom =
      !spec && archetype === 'declining' && r.chance(0.6)
        ? windowStart + Math.floor(r.uniform(0.72, 0.95) * windowDays)
        : -1;
    const visitorCount = Math.min(
      3000,
      Math.max(1, Math.round(Math.exp(3.0347 + 0.6 * usageZ + 0.92 * r.normal()))),
    );
    const head = r.pick(COMPANY_HEADS);
    const tail = r.pick(COMPANY_TAILS);
    const base = `${head} ${tail}`;
    const dup = (names.get(base) ?? 0) + 1;
    names.set(base, dup);
    const name = dup === 1 ? base : `${base} ${dup}`;
    const domain = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.com`;
    accounts.push({
      index: i,
      id: pendoAccountId(i),
      name,
      domain,
      value,
      z,
      usage,
      latent,
      archetype,
      growth,
      startDay,
      dormantFrom,
      visitorCount,
      inPendo,
      crmLink: inPendo ? links[i] : 'none',
      linkId: null,
      associated: 0,
      nps: { min: 11, max: -1, sum: 0, n: 0 },
      rollup: emptyRollup(),
    });
  }

  const sf: SfAccount[] = [];
  const addSf = (
    pendo: number,
    name: string,
    domain: string,
    value: number,
    z: number,
  ): SfAccount => {
    const r = new Rng(opts.seed, STREAM.sfAccount, sf.length);
    const employees = Math.max(
      1,
      Math.round(Math.exp(Math.log(300) + 1.6 * (0.45 * z + 0.89 * r.normal()))),
    );
    const prev = sf[sf.length - 1];
    const size = Math.log10(employees + 1);
    const contactCount = r.chance(0.04) ? 0 : Math.min(60, r.poisson(2 + 10 * value + 3 * size));
    // Every account has its land deal (won), plus expansion, renewal and lost deals.
    const oppCount = 1 + r.poisson(0.3 + 2.5 * value + 0.3 * size);
    const acc: SfAccount = {
      index: sf.length,
      id: salesforceId('001', sf.length),
      pendo,
      name,
      domain,
      value,
      z,
      employees,
      contactStart: prev ? prev.contactStart + prev.contactCount : 0,
      contactCount,
      oppStart: prev ? prev.oppStart + prev.oppCount : 0,
      oppCount,
    };
    sf.push(acc);
    return acc;
  };
  let danglingSerial = 10_000_000;
  for (const acc of accounts) {
    if (!acc.inPendo) continue;
    if (acc.crmLink === 'valid')
      acc.linkId = addSf(acc.index, acc.name, acc.domain, acc.value, acc.z).id;
    else if (acc.crmLink === 'dangling') acc.linkId = salesforceId('001', danglingSerial++);
  }
  const sfOnly = Math.max(2, Math.round(n * 0.03));
  for (let k = 0; k < sfOnly; k++) {
    const value = rng.uniform(0.001, 0.3);
    const name = `${rng.pick(COMPANY_HEADS)} ${rng.pick(COMPANY_TAILS)} Prospect ${k + 1}`;
    addSf(
      -1,
      name,
      `${name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.com`,
      value,
      Math.log(value / (1 - value)) / 1.7,
    );
  }

  const owners = Array.from({ length: Math.max(8, Math.round(n / 50)) }, (_, i) =>
    salesforceId('005', i),
  );
  const world: SampleWorld = {
    opts,
    windowStart,
    windowDays,
    accounts,
    visitors: [],
    catalogue: buildCatalogue(opts.seed, windowStart),
    sf,
    owners,
    nullSeriesStart: windowStart + Math.floor(rng.uniform(0.1, 0.6) * windowDays),
    spec,
    span,
  };
  world.visitors = buildVisitors(world);
  return world;
}

/** A roll-up with no activity. */
export function emptyRollup(): Rollup {
  return {
    activeDays: 0,
    activeMonths: 0,
    visitorDays: 0,
    pageVisitorDays: 0,
    minutes: 0,
    events: 0,
    records: 0,
    firstDay: -1,
    lastDay: -1,
  };
}
