import type { Row } from '../ports/index.ts';

/** One kind of move between the current run and the dry run (e.g. health band), with counts and top accounts. */
export interface MoveSummary {
  /** What moved, e.g. `health band`. */
  what: string;
  /** The column compared. */
  column: string;
  /** Accounts whose value changed. */
  moved: number;
  /** Per transition "before -> after": count and up to `top` accounts (highest value index first). */
  transitions: { from: string; to: string; accounts: number; top: string[] }[];
}

/** The columns compared and how they are named in the output. */
export const COMPARED = [
  { what: 'high-value (classifier call)', column: 'hv_predicted' },
  { what: 'high-value (value index top share)', column: 'high_value_index' },
  { what: 'probability band', column: 'hv_band' },
  { what: 'health band', column: 'crm_health_band' },
  { what: 'high-risk', column: 'high_risk' },
  { what: 'value tier', column: 'value_tier' },
  { what: 'revenue tier', column: 'contribution_tier' },
  { what: 'risk segment playbook', column: 'playbook_id' },
] as const;

const label = (v: Row[string] | undefined): string =>
  v === null || v === undefined || v === '' ? 'none' : String(v);
const num = (v: Row[string] | undefined): number =>
  typeof v === 'number' && Number.isFinite(v) ? v : Number.NEGATIVE_INFINITY;

/** Who is shown first: the highest value index, then account id. */
function byImportance(a: Row, b: Row): number {
  return (
    num(b.value_index) - num(a.value_index) ||
    String(a.account_id).localeCompare(String(b.account_id))
  );
}

/** How each compared column moved between `before` and `after` rows (matched by account_id). */
export function compareRows(before: readonly Row[], after: readonly Row[], top = 5): MoveSummary[] {
  const old = new Map(before.map((r) => [String(r.account_id), r]));
  return COMPARED.map(({ what, column }) => {
    const groups = new Map<string, { from: string; to: string; rows: Row[] }>();
    for (const r of after) {
      const b = old.get(String(r.account_id));
      if (!b) continue;
      const from = label(b[column]);
      const to = label(r[column]);
      if (from === to) continue;
      const key = `${from}\u0000${to}`;
      const g = groups.get(key) ?? { from, to, rows: [] };
      g.rows.push(r);
      groups.set(key, g);
    }
    const transitions = [...groups.values()]
      .map((g) => ({
        from: g.from,
        to: g.to,
        accounts: g.rows.length,
        top: g.rows
          .sort(byImportance)
          .slice(0, top)
          .map((r) => String(r.account_id)),
      }))
      .sort((a, b) => b.accounts - a.accounts || (a.from + a.to).localeCompare(b.from + b.to));
    return { what, column, moved: transitions.reduce((s, t) => s + t.accounts, 0), transitions };
  });
}

/** Triggers that would start or stop firing, per trigger id: accounts and the first few of them. */
export function compareTriggers(
  before: readonly Row[],
  after: readonly Row[],
  top = 5,
): {
  trigger: string;
  wouldFire: number;
  wouldStop: number;
  fireTop: string[];
  stopTop: string[];
}[] {
  const set = (r: Row | undefined) =>
    new Set(
      typeof r?.triggers_fired === 'string' && r.triggers_fired ? r.triggers_fired.split(';') : [],
    );
  const old = new Map(before.map((r) => [String(r.account_id), r]));
  const fire = new Map<string, Row[]>();
  const stop = new Map<string, Row[]>();
  for (const r of after) {
    const b = old.get(String(r.account_id));
    if (!b) continue;
    const was = set(b);
    const now = set(r);
    for (const t of now) if (!was.has(t)) fire.set(t, [...(fire.get(t) ?? []), r]);
    for (const t of was) if (!now.has(t)) stop.set(t, [...(stop.get(t) ?? []), r]);
  }
  const ids = [...new Set([...fire.keys(), ...stop.keys()])].sort();
  const ids5 = (rows: Row[] | undefined) =>
    (rows ?? [])
      .sort(byImportance)
      .slice(0, top)
      .map((r) => String(r.account_id));
  return ids.map((trigger) => ({
    trigger,
    wouldFire: fire.get(trigger)?.length ?? 0,
    wouldStop: stop.get(trigger)?.length ?? 0,
    fireTop: ids5(fire.get(trigger)),
    stopTop: ids5(stop.get(trigger)),
  }));
}

/** One alert an account would get: a trigger id or `high-risk` (the digests' log entries). */
export interface AlertEntry {
  accountId: string;
  trigger: string;
}

/** Per alert reason: accounts that would be alerted now and were not, and the reverse (first few of each). */
export function compareAlerts(
  before: readonly AlertEntry[],
  after: readonly AlertEntry[],
  rows: readonly Row[],
  top = 5,
): {
  reason: string;
  wouldFire: number;
  wouldStop: number;
  fireTop: string[];
  stopTop: string[];
}[] {
  const byId = new Map(rows.map((r) => [String(r.account_id), r]));
  const key = (e: AlertEntry) => `${e.trigger}\u0000${e.accountId}`;
  const was = new Set(before.map(key));
  const now = new Set(after.map(key));
  const reasons = [...new Set([...before, ...after].map((e) => e.trigger))].sort();
  const first = (entries: AlertEntry[]) =>
    entries
      .map((e) => byId.get(e.accountId) ?? { account_id: e.accountId })
      .sort(byImportance)
      .slice(0, top)
      .map((r) => String(r.account_id));
  return reasons
    .map((reason) => {
      const fire = after.filter((e) => e.trigger === reason && !was.has(key(e)));
      const stop = before.filter((e) => e.trigger === reason && !now.has(key(e)));
      return {
        reason,
        wouldFire: fire.length,
        wouldStop: stop.length,
        fireTop: first(fire),
        stopTop: first(stop),
      };
    })
    .filter((a) => a.wouldFire > 0 || a.wouldStop > 0);
}

/** Alert digests (by subject's segment key) that would be sent now and not before, and the reverse. */
export function compareDigests(
  before: readonly { dedupeKey: string; subject: string }[],
  after: readonly { dedupeKey: string; subject: string }[],
): { wouldSend: string[]; wouldStop: string[] } {
  const was = new Set(before.map((m) => m.dedupeKey));
  const now = new Set(after.map((m) => m.dedupeKey));
  return {
    wouldSend: after.filter((m) => !was.has(m.dedupeKey)).map((m) => m.subject),
    wouldStop: before.filter((m) => !now.has(m.dedupeKey)).map((m) => m.subject),
  };
}

/** The config paths whose values differ (leaves of the two objects), e.g. `crmHealth.riskBelow: 50 -> 60`. */
export function configChanges(before: unknown, after: unknown, path = ''): string[] {
  const isObj = (x: unknown): x is Record<string, unknown> =>
    typeof x === 'object' && x !== null && !Array.isArray(x);
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => configChanges(before[k], after[k], path ? `${path}.${k}` : k));
  }
  const a = JSON.stringify(before);
  const b = JSON.stringify(after);
  return a === b ? [] : [`${path}: ${a ?? 'unset'} -> ${b ?? 'unset'}`];
}
