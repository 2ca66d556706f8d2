import { trendsOf } from '../../config/trends.ts';
import { readCsvRows, writeCsvRows } from '../../io/csvTable.ts';
import { PIT_COLUMNS } from '../../sql/pointInTime.ts';
import {
  loadTrendHistory,
  PIT_PREFIX,
  pitStoreValues,
  TREND_SCORE_COLUMN,
} from '../../trends/loadTrendHistory.ts';
import {
  categoryCounts,
  type RunAccount,
  topMovers,
  VALUE_TREND_COLUMNS,
  valueTrends,
} from '../../trends/valueTrends.ts';
import type { StepFn } from '../types.ts';
import { partKey } from './keys.ts';

/** The deliverable with every account's trend (seed 000's value_trends_all_accounts.csv). */
export const VALUE_TRENDS_KEY = 'value_trends_all_accounts.csv';
/** The rolling-origin backtest of the forecasts against what happened. */
export const TREND_BACKTEST_KEY = 'trend_backtest.json';

/** Columns of parts/trends.csv, merged into account_scores.csv (and so kept in the score store as history). */
export const TREND_PART_COLUMNS = [
  'account_id',
  'trend_3m',
  'trend_6m',
  'delta_3m',
  'delta_6m',
  'predicted_value_3m',
  'predicted_value_6m',
  'trend_method_3m',
  'trend_method_6m',
  TREND_SCORE_COLUMN,
  ...PIT_COLUMNS.map((c) => PIT_PREFIX + c),
];

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const round = (v: number | null): number | null => (v === null ? null : Math.round(v * 1e4) / 1e4);

/** "model 3, last-change 8" from the per-method origin counts (methods never chosen left out; "none" if empty). */
function selectedSummary(counts: Readonly<Record<string, number>>): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([m, n]) => `${m} ${n}`);
  return parts.length ? parts.join(', ') : 'none';
}

/**
 * Step value-trends: builds the trend history (score store, else point-in-time from the daily metrics view),
 * forecasts every account's trend value score at +3 and +6 months (fitted model, or seed 000's blend when the
 * history is too short), and writes value_trends_all_accounts.csv, parts/trends.csv and trend_backtest.json.
 */
export const valueTrendsStep: StepFn = async (state, ctx) => {
  const config = trendsOf(ctx.config);
  const accounts: RunAccount[] = (await readCsvRows(ctx.run, partKey('scores'))).map((r) => ({
    account_id: String(r.account_id),
    value_index: num(r.value_index),
    product_health_score: num(r.product_health_score),
  }));
  const loaded = await loadTrendHistory({
    query: ctx.ports.query,
    scores: ctx.ports.scores,
    asOf: state.asOf,
    config,
    log: ctx.log,
  });
  const result = await valueTrends({ history: loaded.history, asOf: state.asOf, accounts, config });
  const today = loaded.history.byDate.get(state.asOf) ?? new Map();
  await writeCsvRows(ctx.run, VALUE_TRENDS_KEY, result.rows, VALUE_TREND_COLUMNS);
  const part = result.rows.map((r) => {
    const p = today.get(r.account_id);
    return { ...r, ...(p ? pitStoreValues(p) : {}) };
  });
  await writeCsvRows(ctx.run, partKey('trends'), part, TREND_PART_COLUMNS);
  const counts3m = categoryCounts(result.rows, 'trend_3m');
  const counts6m = categoryCounts(result.rows, 'trend_6m');
  const topRising = topMovers(result.rows, config.topN, 'rising');
  const topDeclining = topMovers(result.rows, config.topN, 'declining');
  const report = {
    asOf: state.asOf,
    definition:
      'hit rate = share of (account, origin) pairs whose predicted Up/Flat/Down equals the actual one; MAE of the 0-1 delta; confusion[actual][predicted]; selected = the category method (classifier, last change continues, all Flat) chosen at each origin by an inner validation on the pairs known then, model = the classifier at every origin',
    thresholds: { up: config.upThreshold, down: -config.downThreshold },
    history: {
      dates: loaded.history.dates.length,
      first: loaded.history.dates[0] ?? null,
      last: loaded.history.dates.at(-1) ?? null,
      fromStore: loaded.fromStore.length,
      computed: loaded.computed.length,
    },
    methods: result.methods,
    horizons: { '3m': result.backtest['3m'], '6m': result.backtest['6m'] },
    counts: { '3m': counts3m, '6m': counts6m },
    topRising,
    topDeclining,
  };
  await ctx.run.put(TREND_BACKTEST_KEY, JSON.stringify(report, null, 2), 'application/json');
  const bt3 = result.backtest['3m'];
  ctx.log(
    `value-trends: 3m ${result.methods['3m'].method}, 6m ${result.methods['6m'].method}; 3m backtest hit rate selected ${round(bt3.selected.hitRate)} (origins: ${selectedSummary(bt3.selectedCounts)}), classifier ${round(bt3.model.hitRate)}, flat ${round(bt3.flat.hitRate)}, last change ${round(bt3.lastChange.hitRate)}`,
  );
  return {
    valueTrendsKey: VALUE_TRENDS_KEY,
    trendsKey: partKey('trends'),
    backtestKey: TREND_BACKTEST_KEY,
    accounts: result.rows.length,
    method3m: result.methods['3m'].method,
    method6m: result.methods['6m'].method,
    counts3m,
    counts6m,
    topRising,
    topDeclining,
    hitRate3mSelected: round(bt3.selected.hitRate),
    hitRate3mModel: round(bt3.model.hitRate),
    hitRate3mFlat: round(bt3.flat.hitRate),
    hitRate3mLastChange: round(bt3.lastChange.hitRate),
    historyDates: loaded.history.dates.length,
  };
};
