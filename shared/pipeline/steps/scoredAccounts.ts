import { ACCOUNT_FEATURE_COLUMNS, toAccountFeatures } from '../../features/readFeatures.ts';
import type { ScoredAccount } from '../../insights/types.ts';
import { readCsvRows, TEXT_COLUMN_NAMES } from '../../io/csvTable.ts';
import type { ObjectStore, Row } from '../../ports/index.ts';
import { FEATURES_KEY, partKey } from './keys.ts';
import { PartMerger } from './parts.ts';

const text = (v: Row[string] | undefined): string | null =>
  v === null || v === undefined ? null : String(v);
const numOrNull = (v: Row[string] | undefined): number | null => (typeof v === 'number' ? v : null);

/**
 * Typed scored accounts from merged rows (features plus the score columns the insights read); `firstRow`: the index of
 * rows[0] among all rows, for the row numbers of error messages.
 */
export function toScoredAccounts(rows: readonly Row[], firstRow = 0): ScoredAccount[] {
  const features = toAccountFeatures(rows, firstRow);
  return features.map((f, i) => {
    const r = rows[i];
    return {
      ...f,
      crm_health_score: numOrNull(r.crm_health_score),
      crm_health_band: text(r.crm_health_band) as ScoredAccount['crm_health_band'],
      high_risk: typeof r.high_risk === 'boolean' ? r.high_risk : null,
      contact_ratio: numOrNull(r.contact_ratio),
      trend_3m: text(r.trend_3m) as ScoredAccount['trend_3m'],
      // the value tier (cut on the value index) when the run has it, else the k-means segment
      value_segment: text(r.value_tier ?? r.value_segment) as ScoredAccount['value_segment'],
      why_changed: text(r.why_changed),
      champion_silent: typeof r.champion_silent === 'boolean' ? r.champion_silent : undefined,
      champion_silent_reason: text(r.champion_silent_reason),
      p_high_value: numOrNull(r.p_high_value),
      missing_inputs: text(r.missing_inputs),
    };
  });
}

/** The columns `toScoredAccounts` reads: the account features and the score columns named there. */
export const SCORED_ACCOUNT_COLUMNS: ReadonlySet<string> = new Set([
  ...ACCOUNT_FEATURE_COLUMNS,
  'crm_health_score',
  'crm_health_band',
  'high_risk',
  'contact_ratio',
  'trend_3m',
  'value_tier',
  'value_segment',
  'why_changed',
  'champion_silent',
  'champion_silent_reason',
  'p_high_value',
  'missing_inputs',
]);

/** Rows converted at a time by `loadScoredAccounts` (the merged rows of a batch are dropped once converted). */
const CONVERT_BATCH = 5_000;

/**
 * The run's accounts with every part written so far (features, scores, high value, trends), merged by account
 * (`PartMerger`: features first; a column already present is not replaced). Only the columns a
 * ScoredAccount holds are read, and the parts one at a time: what the step holds is the merged rows plus the part
 * being read, not every part at once (at 100,000 accounts the load alone needed over 600 MB of heap that way).
 */
export async function loadScoredAccounts(run: ObjectStore): Promise<ScoredAccount[]> {
  const keys = new Set((await run.list('parts/')).map((o) => o.key));
  const names = ['scores', 'high_value', 'trends', 'value_tiers', 'changes', 'champions'];
  const merger = new PartMerger({ inPlace: true });
  for (const k of [FEATURES_KEY, ...names.map(partKey)].filter((k) => keys.has(k))) {
    const wanted = new Set([...SCORED_ACCOUNT_COLUMNS].filter((c) => !merger.has(c)));
    merger.add(await readCsvRows(run, k, TEXT_COLUMN_NAMES, wanted.add('account_id')));
  }
  const rows = merger.takeRows();
  const out: ScoredAccount[] = [];
  for (let i = 0; i < rows.length; i += CONVERT_BATCH) {
    const batch = rows.slice(i, i + CONVERT_BATCH);
    rows.fill({}, i, i + CONVERT_BATCH); // a converted batch's merged rows can go
    for (const a of toScoredAccounts(batch, i)) out.push(a);
  }
  return out;
}
