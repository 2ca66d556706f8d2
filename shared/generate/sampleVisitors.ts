/**
 * Pendo visitors of the sample world: e-mail, internal and anonymous ids (case-sensitive, a few ids differing only
 * by case), visitors associated with several accounts over time, and sparse NPS answers correlated with value.
 */
import { FIRST_NAMES, LAST_NAMES } from './names.ts';
import { Rng } from './random.ts';
import type { SampleWorld } from './sampleWorld.ts';
import { STREAM, valueShare } from './worldFactors.ts';

/** One Pendo visitor and, once the daily pass ran, its usage totals. */
export interface SampleVisitor {
  id: string;
  kind: 'email' | 'internal' | 'anonymous';
  /** Index of the account whose usage the visitor takes part in. */
  home: number;
  /** Accounts ever associated (the last one is the latest); null when visitor_account_history has no row. */
  accounts: number[] | null;
  /** pendo__visitor.account_id: the latest account's index, or -1 for NULL. */
  latest: number;
  /** agent_email pass-through value. */
  email: string | null;
  /** Relative share of the home account's activity (lognormal). */
  weight: number;
  /** Latest NPS answer 0-10 or null; it counts for `npsAccount` (-1: dropped). */
  nps: number | null;
  npsAccount: number;
  activeDays: number;
  activeMonths: number;
  minutes: number;
  events: number;
  records: number;
  firstDay: number;
  lastDay: number;
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function capitalise(s: string): string {
  return s.replace(/(^|[.])([a-z])/g, (_, p: string, c: string) => p + c.toUpperCase());
}

/** Draws every visitor of the world's Pendo accounts and fills the accounts' association and NPS statistics. */
export function buildVisitors(world: SampleWorld): SampleVisitor[] {
  const used = new Set<string>();
  const visitors: SampleVisitor[] = [];
  const pendoCount = world.opts.accounts;
  let internal = 0;
  for (const acc of world.accounts) {
    if (!acc.inPendo) continue;
    const r = new Rng(world.opts.seed, STREAM.visitors, acc.index);
    let lastEmail: string | null = null;
    // NPS answers reflect the value of the last few months (the static value in the default sample).
    const npsValue = valueShare(world, acc, world.opts.asOfDay - 45);
    for (let j = 0; j < acc.visitorCount; j++) {
      const roll = r.next();
      let id: string;
      let kind: SampleVisitor['kind'];
      let email: string | null = null;
      if (roll < 0.05) {
        kind = 'anonymous';
        do id = `_PENDO_T_${r.chars(11, ALNUM)}`;
        while (used.has(id));
      } else if (roll < 0.32) {
        kind = 'internal';
        id = `u${1_000_000 + ((internal++ * 7_919) % 9_000_000)}`;
        if (r.chance(0.6)) email = `${r.pick(FIRST_NAMES)}.${r.pick(LAST_NAMES)}@${acc.domain}`;
      } else {
        kind = 'email';
        const twin: string = lastEmail ? capitalise(lastEmail) : '';
        if (twin && twin !== lastEmail && !used.has(twin) && r.chance(0.01)) {
          id = twin; // the same person under an id differing only by case: a distinct Pendo visitor
        } else {
          const local = `${r.pick(FIRST_NAMES)}.${r.pick(LAST_NAMES)}`;
          let k = 1;
          id = `${local}@${acc.domain}`;
          while (used.has(id) || used.has(capitalise(id))) id = `${local}${++k}@${acc.domain}`;
          if (r.chance(0.08)) id = capitalise(id);
          lastEmail = id;
        }
        email = id;
      }
      used.add(id);
      let accounts: number[] | null = [acc.index];
      if (pendoCount > 1 && r.chance(0.045)) {
        const extra = r.chance(0.15) ? 2 : 1;
        for (let e = 0; e < extra; e++) {
          const other = r.int(0, pendoCount - 1);
          if (!accounts.includes(other)) accounts.push(other);
        }
      }
      let latest = accounts[accounts.length - 1];
      if (kind === 'anonymous' && r.chance(0.3)) {
        accounts = null;
        latest = -1;
      } else if (r.chance(0.015)) {
        accounts = null;
      }
      if (accounts) for (const a of accounts) world.accounts[a].associated++;
      let nps: number | null = null;
      let npsAccount = -1;
      if (r.chance(0.05 + 0.17 * npsValue)) {
        nps = Math.max(0, Math.min(10, Math.round(3.5 + 6 * npsValue + 2 * r.normal())));
        npsAccount = latest === -1 ? -1 : acc.index; // answered while in the home account
        if (npsAccount >= 0) {
          const s = world.accounts[npsAccount].nps;
          s.min = Math.min(s.min, nps);
          s.max = Math.max(s.max, nps);
          s.sum += nps;
          s.n++;
        }
      }
      visitors.push({
        id,
        kind,
        home: acc.index,
        accounts,
        latest,
        email,
        weight: r.lognormal(1, 1.1),
        nps,
        npsAccount,
        activeDays: 0,
        activeMonths: 0,
        minutes: 0,
        events: 0,
        records: 0,
        firstDay: -1,
        lastDay: -1,
      });
    }
  }
  return visitors;
}
