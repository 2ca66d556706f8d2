/**
 * Salesforce account, contact and opportunity rows (raw Fivetran tables, snake_case columns). Firmographics are
 * sparse as in real orgs: industry ~10% NULL or blank, employees ~8% NULL, revenue ~12% NULL, amounts often NULL.
 */
import { dayText, salesforceId, timestampText, yearQuarter } from './format.ts';
import { FIRST_NAMES, INDUSTRIES, LAST_NAMES, LEAD_SOURCES, PLACES, TITLES } from './names.ts';
import { Rng } from './random.ts';
import type { SampleWorld, SfAccount } from './sampleWorld.ts';
import { STREAM } from './worldFactors.ts';
import { logValueAt } from './worlds.ts';
import type { SampleRow } from './writeCsvTable.ts';

const title = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Whether a Salesforce account row is soft-deleted (is_deleted = true): ~3% of prospects, ~0.5% of customers. */
export function sfAccountDeleted(world: SampleWorld, acc: SfAccount): boolean {
  return new Rng(world.opts.seed, STREAM.sfAccount, acc.index, 99).chance(
    acc.pendo >= 0 ? 0.005 : 0.03,
  );
}

/** Yields one account row per Salesforce account; `lastActivity` holds each account's last activity day or -1. */
export function* salesforceAccountRows(
  world: SampleWorld,
  lastActivity: Int32Array,
): Generator<SampleRow> {
  const asOf = world.opts.asOfDay;
  for (const acc of world.sf) {
    const r = new Rng(world.opts.seed, STREAM.sfAccount, acc.index, 1);
    const industryRoll = r.next();
    const [country, state, city] = r.pick(PLACES);
    const customer = acc.pendo >= 0;
    yield {
      id: acc.id,
      name: r.chance(0.2) ? `${acc.name} Inc.` : acc.name,
      industry:
        industryRoll < 0.07
          ? null
          : industryRoll < 0.1
            ? '  '
            : INDUSTRIES[r.weighted([3, 5, 6.5, 8, 9, 9.7, 10.3, 11.5])],
      number_of_employees: r.chance(0.08) ? null : acc.employees,
      annual_revenue: r.chance(0.12)
        ? null
        : Math.round(acc.employees * r.lognormal(150_000, 0.5) * 100) / 100,
      type: customer
        ? r.chance(0.95)
          ? 'Customer'
          : 'Partner'
        : r.chance(0.85)
          ? 'Prospect'
          : 'Competitor',
      rating: r.chance(0.25) ? null : acc.value > 0.66 ? 'Hot' : acc.value > 0.33 ? 'Warm' : 'Cold',
      account_source: r.chance(0.2) ? null : r.pick(LEAD_SOURCES),
      owner_id: r.pick(world.owners),
      parent_id: acc.index > 10 && r.chance(0.03) ? world.sf[r.int(0, acc.index - 1)].id : null,
      last_activity_date:
        lastActivity[acc.index] >= 0 ? timestampText(lastActivity[acc.index]) : null,
      billing_country: country,
      billing_state: state,
      billing_city: city,
      website: r.chance(0.15) ? null : `www.${acc.domain}`,
      is_deleted: sfAccountDeleted(world, acc),
      _fivetran_active: true,
      _fivetran_synced: timestampText(asOf, 82_800 + r.int(0, 3_599)),
    };
  }
}

/** Yields the contacts of every Salesforce account (0-60 each); ~30% share an e-mail with a Pendo visitor. */
export function* salesforceContactRows(world: SampleWorld): Generator<SampleRow> {
  const byAccount = new Map<number, string[]>();
  for (const v of world.visitors) {
    if (v.kind !== 'email') continue;
    const list = byAccount.get(v.home);
    if (list) list.push(v.id.toLowerCase());
    else byAccount.set(v.home, [v.id.toLowerCase()]);
  }
  for (const acc of world.sf) {
    const r = new Rng(world.opts.seed, STREAM.contact, acc.index);
    const visitorEmails = byAccount.get(acc.pendo) ?? [];
    for (let j = 0; j < acc.contactCount; j++) {
      const first = r.pick(FIRST_NAMES);
      const last = r.pick(LAST_NAMES);
      const [jobTitle, department] = r.pick(TITLES);
      const roll = r.next();
      const email =
        roll < 0.08
          ? null
          : roll < 0.11
            ? '  '
            : visitorEmails.length > 0 && roll < 0.41
              ? r.pick(visitorEmails)
              : `${first}.${last}${j}@${acc.domain}`;
      yield {
        id: salesforceId('003', acc.contactStart + j),
        account_id: acc.id,
        email,
        first_name: title(first),
        last_name: title(last),
        name: `${title(first)} ${title(last)}`,
        title: r.chance(0.15) ? null : jobTitle,
        department: r.chance(0.25) ? null : department,
        lead_source: r.chance(0.3) ? null : r.pick(LEAD_SOURCES),
        last_activity_date: r.chance(0.4)
          ? null
          : timestampText(world.opts.asOfDay - r.int(0, 300)),
        owner_id: r.pick(world.owners),
        is_deleted: r.chance(0.02),
        _fivetran_active: true,
      };
    }
  }
}

const OPEN_STAGES = [
  ['Prospecting', 10, 'Pipeline', 'Pipeline'],
  ['Qualification', 10, 'Pipeline', 'Pipeline'],
  ['Needs Analysis', 20, 'Pipeline', 'Pipeline'],
  ['Value Proposition', 50, 'BestCase', 'Best Case'],
  ['Proposal/Price Quote', 75, 'BestCase', 'Best Case'],
  ['Negotiation/Review', 90, 'Forecast', 'Commit'],
] as const;

/** Yields the opportunities of every Salesforce account: won, lost and open (some stale, some Omitted). */
export function* salesforceOpportunityRows(world: SampleWorld): Generator<SampleRow> {
  const asOf = world.opts.asOfDay;
  for (const acc of world.sf) {
    const r = new Rng(world.opts.seed, STREAM.opportunity, acc.index);
    const pendo = acc.pendo >= 0 ? world.accounts[acc.pendo] : null;
    const latent = pendo?.latent && world.span ? pendo.latent : null;
    // In a world, the open pipeline follows the value change of the last 91 days (known at the as-of).
    const recent =
      latent && world.span
        ? logValueAt(latent, world.span, asOf) - logValueAt(latent, world.span, asOf - 91)
        : 0;
    const mood = latent ? (recent > 0.05 ? 'rising' : recent < -0.05 ? 'declining' : 'flat') : null;
    const openShare =
      (mood ?? pendo?.archetype) === 'declining'
        ? 0.2
        : (mood ?? pendo?.archetype) === 'rising'
          ? 0.45
          : 0.35;
    for (let j = 0; j < acc.oppCount; j++) {
      const created = asOf - r.int(0, 700);
      const roll = r.next();
      const land = j === 0; // the first deal is the one that made the account a customer
      const open = !land && (created > asOf - 30 || roll < openShare);
      const won = land || (!open && r.chance(0.55));
      let stage: string;
      let probability: number;
      let category: string;
      let categoryName: string;
      let close: number;
      if (open) {
        const s = r.pick(OPEN_STAGES);
        const omitted = r.chance(0.1);
        [stage, probability] = [s[0], s[1]];
        [category, categoryName] = omitted ? ['Omitted', 'Omitted'] : [s[2], s[3]];
        close = asOf + r.int(-45, 180); // a past date is an overdue, stagnant deal
      } else {
        [stage, probability, category, categoryName] = won
          ? ['Closed Won', 100, 'Closed', 'Closed']
          : ['Closed Lost', 0, 'Omitted', 'Omitted'];
        close = Math.min(asOf, created + r.int(10, 180));
      }
      // In a world, the amount follows the value at the close date (the deal sizes what the account gets then).
      const scale =
        (1 + 4 * acc.value) *
        (acc.employees / 300) ** 0.3 *
        (latent && world.spec && world.span
          ? Math.exp(
              world.spec.revenueElasticity * (logValueAt(latent, world.span, close) - latent.level),
            )
          : 1);
      const sigma = world.spec ? world.spec.revenueNoise : 0.8;
      const amount =
        r.chance(0.3) && !land ? null : Math.round(r.lognormal(20_000 * scale, sigma) * 100) / 100;
      const { year, quarter } = yearQuarter(close);
      yield {
        id: salesforceId('006', acc.oppStart + j),
        account_id: acc.id,
        amount,
        stage_name: stage,
        is_closed: !open,
        is_won: won,
        close_date: `${dayText(close)} 00:00:00`,
        created_date: timestampText(created, r.int(28_800, 64_800)),
        forecast_category: category,
        forecast_category_name: categoryName,
        probability,
        expected_revenue: amount === null ? null : (amount * probability) / 100,
        type: j === 0 ? 'New Business' : 'Existing Business',
        owner_id: r.pick(world.owners),
        lead_source: r.chance(0.3) ? null : r.pick(LEAD_SOURCES),
        fiscal_year: year,
        fiscal_quarter: quarter,
        is_deleted: r.chance(0.01),
        _fivetran_active: true,
      };
    }
  }
}
