import type { Row } from '../ports/index.ts';

/** One account's champions as the champions SQL returns them, plus the silent-champion trigger. */
export interface ChampionSummary {
  account_id: string;
  /** Identified (not anonymous) visitors attributed to the account. */
  identified_visitors: number;
  /** Champion ids, best first, `;`-separated. */
  champions: string;
  /** Share of the account's minutes the champions carry together, 0-1 (concentration risk). */
  champion_activity_share: number | null;
  /** Share carried by the top champion alone, 0-1. */
  top_champion_share: number | null;
  /** True when a champion has had no product activity for more than `silentDays` days. */
  champion_silent: boolean;
  /** Which champions are silent, e.g. "ann@x.com (rank 1, 62% of minutes) silent 21 days (> 14)". */
  champion_silent_reason: string;
}

const num = (v: Row[string] | undefined): number | null => (typeof v === 'number' ? v : null);
const pct = (x: number | null): string => (x === null ? 'n/a' : `${Math.round(100 * x)}%`);

/** Turns the champions SQL rows into summaries, flagging champions silent for more than `silentDays` days. */
export function summarizeChampions(
  rows: readonly Row[],
  perAccount: number,
  silentDays: number,
): ChampionSummary[] {
  return rows.map((r) => {
    const ids: string[] = [];
    const silent: string[] = [];
    for (let i = 1; i <= perAccount; i++) {
      const id = r[`champion_${i}`];
      if (id === null || id === undefined) continue;
      ids.push(String(id));
      const days = num(r[`champion_${i}_days_silent`]);
      if (days === null || days > silentDays) {
        const share = pct(num(r[`champion_${i}_share`]));
        const since = days === null ? 'no recorded activity' : `silent ${days} days`;
        silent.push(`${id} (rank ${i}, ${share} of minutes) ${since} (> ${silentDays})`);
      }
    }
    return {
      account_id: String(r.account_id),
      identified_visitors: num(r.identified_visitors) ?? 0,
      champions: ids.join(';'),
      champion_activity_share: num(r.champion_activity_share),
      top_champion_share: num(r.champion_1_share),
      champion_silent: silent.length > 0,
      champion_silent_reason: silent.join('; '),
    };
  });
}

/** Columns of parts/champions.csv, in order. */
export function championColumns(perAccount: number): string[] {
  const per: string[] = [];
  for (let i = 1; i <= perAccount; i++)
    per.push(
      `champion_${i}`,
      `champion_${i}_score`,
      `champion_${i}_share`,
      `champion_${i}_days_silent`,
    );
  return [
    'account_id',
    'identified_visitors',
    ...per,
    'champion_activity_share',
    'champion_silent',
    'champion_silent_reason',
  ];
}
