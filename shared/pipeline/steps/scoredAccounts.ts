import { ACCOUNT_FEATURE_COLUMNS, toAccountFeatures } from '../../features/readFeatures.ts';
import type { ScoredAccount } from '../../insights/types.ts';
import { readCsvRows, TEXT_COLUMN_NAMES } from '../../io/csvTable.ts';
import type { ObjectStore, Row } from '../../ports/index.ts';
import { FEATURES_KEY, partKey } from './keys.ts';
import { mergeParts } from './parts.ts';

const text = (v: Row[string] | undefined): string | null =>
  v === null || v === undefined ? null : String(v);
const numOrNull = (v: Row[string] | undefined): number | null => (typeof v === 'number' ? v : null);

/** Typed scored accounts from merged rows (features plus the score columns the insights read). */
export function toScoredAccounts(rows: readonly Row[]): ScoredAccount[] {
  const features = toAccountFeatures(rows);
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

/**
 * The run's accounts with every part written so far (features, scores, high value, trends), merged by account. Only
 * the columns a ScoredAccount holds are read from the parts (the merged table of every part is several times wider).
 */
export async function loadScoredAccounts(run: ObjectStore): Promise<ScoredAccount[]> {
  const keys = new Set((await run.list('parts/')).map((o) => o.key));
  const names = ['scores', 'high_value', 'trends', 'value_tiers', 'changes', 'champions'];
  const wanted = [FEATURES_KEY, ...names.map(partKey)].filter((k) => keys.has(k));
  const parts: Row[][] = [];
  for (const k of wanted)
    parts.push(await readCsvRows(run, k, TEXT_COLUMN_NAMES, SCORED_ACCOUNT_COLUMNS));
  return toScoredAccounts(mergeParts(parts).rows);
}
