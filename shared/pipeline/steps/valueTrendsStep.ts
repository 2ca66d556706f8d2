import { trendsOf } from '../../config/trends.ts';
import { readCsvRows, TEXT_COLUMN_NAMES, writeCsvRows } from '../../io/csvTable.ts';
import { PIT_COLUMNS } from '../../sql/pointInTime.ts';
import { usesCrmActivity } from '../../trends/ownTrend.ts';
import { dataCovers, type HistoryFrame } from '../../trends/trendBacktest.ts';
import {
  activeRange,
  asOfRows,
  sampledHistory,
  withWeeklyActivity,
} from '../../trends/trendData.ts';
import {
  PIT_PREFIX,
  pitPointsAt,
  pitStoreValues,
  TREND_SCORE_COLUMN,
} from '../../trends/trendHistory.ts';
import {
  categoryCounts,
  type RunAccount,
  topMovers,
  VALUE_TREND_COLUMNS,
  valueTrends,
} from '../../trends/valueTrends.ts';
import type { StepFn } from '../types.ts';
import { partKey, RUN_KEYS } from './keys.ts';

/** The deliverable with every account's trend (seed 000's value_trends_all_accounts.csv). */
export const VALUE_TRENDS_KEY = RUN_KEYS.valueTrends;
/** The rolling-origin backtest and the method gate. */
export const TREND_BACKTEST_KEY = RUN_KEYS.trendBacktest;

/** Columns of parts/trends.csv, merged into account_scores.csv (and so kept in the score store). */
export const TREND_PART_COLUMNS = [
  'account_id',
  'trend_3m',
  'trend_6m',
  'usage_change',
  'predicted_change_3m',
  'predicted_change_6m',
  'trend_method_3m',
  'trend_method_6m',
  TREND_SCORE_COLUMN,
  ...PIT_COLUMNS.map((c) => PIT_PREFIX + c),
];

/** The columns of parts/scores.csv this step reads (the part has every score column). */
const SCORE_COLUMNS_READ: ReadonlySet<string> = new Set([
  'account_id',
  'value_index',
  'product_health_score',
]);

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const round = (v: number | null | undefined): number | null =>
  v === null || v === undefined ? null : Math.round(v * 1e4) / 1e4;

/**
 * Step value-trends: every account's own usage trajectory (log change of trailing-91-day active visitor-days,
 * corrected for the population's median change), the 3- and 6-month calls of the method the gate ships (regressed
 * persistence by default), plain persistence's calls, and the rolling-origin backtest. The history is computed in
 * the query engine over the weeks the data covers; only per-week medians, a bounded sample of accounts' rows and
 * one row per account at the as-of reach this process.
 */
export const valueTrendsStep: StepFn = async (state, ctx) => {
  const config = trendsOf(ctx.config);
  const query = ctx.ports.query;
  const accounts: RunAccount[] = (
    await readCsvRows(ctx.run, partKey('scores'), TEXT_COLUMN_NAMES, SCORE_COLUMNS_READ)
  ).map((r) => ({
    account_id: String(r.account_id),
    value_index: num(r.value_index),
    product_health_score: num(r.product_health_score),
    // score-accounts leaves both null exactly for accounts without product data (Salesforce-only prospects)
    has_product: num(r.value_index) !== null || num(r.product_health_score) !== null,
  }));
  const range = await activeRange(query, state.asOf);
  const frame: HistoryFrame | null =
    range.first !== null && range.last !== null
      ? {
          asOf: state.asOf,
          firstDay: range.first,
          lastDay: range.last,
          windowWeeks: config.windowWeeks,
        }
      : null;
  const points = frame ? await pitPointsAt(query, state.asOf, config) : new Map();
  const { today, sampled } = frame
    ? await withWeeklyActivity(query, state.asOf, async (weekly) => {
        const today = await asOfRows(query, state.asOf, config, weekly);
        const sampled = dataCovers(frame, 0, 2)
          ? await sampledHistory({
              query,
              frame,
              accountIds: today.map((r) => r.account_id),
              config,
              weekly,
              crm: usesCrmActivity(config.shrinkage.estimator)
                ? { linkColumn: ctx.config.crm.linkColumn }
                : undefined,
            })
          : null;
        return { today, sampled };
      })
    : { today: [], sampled: null };
  ctx.log(
    frame
      ? `value-trends: data ${frame.firstDay} .. ${frame.lastDay}, ${sampled ? `${sampled.weeks} history weeks, ${sampled.sample.length} sampled accounts` : 'fewer than two full windows: no history'}`
      : 'value-trends: no product usage on or before the as-of',
  );
  const result = await valueTrends({
    frame,
    asOfRows: today,
    history: sampled?.history ?? null,
    accounts,
    trendScores: new Map([...points].map(([id, p]) => [id, p.score])),
    config,
  });
  await writeCsvRows(ctx.run, VALUE_TRENDS_KEY, result.rows, VALUE_TREND_COLUMNS);
  const part = result.rows.map((r) => {
    const p = points.get(r.account_id);
    return { ...r, ...(p ? pitStoreValues(p) : {}) };
  });
  await writeCsvRows(ctx.run, partKey('trends'), part, TREND_PART_COLUMNS);
  const counts3m = categoryCounts(result.rows, 'trend_3m');
  const counts6m = categoryCounts(result.rows, 'trend_6m');
  const topRising = topMovers(result.rows, config.topN, 'rising');
  const topDeclining = topMovers(result.rows, config.topN, 'declining');
  const horizon = (h: '3m' | '6m') => {
    const bt = result.backtest[h];
    const m = result.methods[h];
    if (!bt) return { evaluable: false, note: m.reason, method: m.method, reason: m.reason };
    const { metrics } = bt;
    return {
      horizonDays: bt.horizonDays,
      evaluable: bt.evaluable,
      note: bt.note,
      method: m.method,
      reason: m.reason,
      baseOrigins: bt.baseOrigins,
      modelOrigins: bt.modelOrigins,
      // `model` is the shipped method (the report's chart reads it), `lastChange` plain persistence.
      model: metrics[bt.method],
      flat: metrics.flat,
      lastChange: metrics.persistence,
      persistenceRegressed: metrics['persistence-regressed'],
      learnedModel: metrics.model,
      comparisons: bt.comparisons,
      origins: bt.origins,
    };
  };
  const report = {
    asOf: state.asOf,
    definition:
      "target = log change of the account's active visitor-days over a trailing window (91 days) against the window before, minus the population's median change at that date; Up when the corrected ratio exceeds 1 + upRatio, Down below 1 - downRatio. Backtest on a seeded sample of accounts at every origin with two full windows of data before it and a known outcome; hit rate = share of (account, origin) pairs whose call equals the corrected realised category. horizons.<h>.model = the shipped method, lastChange = plain persistence.",
    thresholds: {
      upRatio: config.upRatio,
      downRatio: config.downRatio,
      upLog: Math.log1p(config.upRatio),
      downLog: Math.log1p(-config.downRatio),
    },
    data: frame
      ? {
          firstDay: frame.firstDay,
          lastDay: frame.lastDay,
          historyWeeks: sampled?.weeks ?? 0,
          sampledAccounts: sampled?.sample.length ?? 0,
        }
      : null,
    populationChange: result.populationChange,
    accountsWithoutFullInputs: result.accountsWithoutFullInputs,
    accountsWithoutDailyMetrics: result.accountsWithoutDailyMetrics,
    shrinkage: result.shrinkage,
    methods: result.methods,
    horizons: { '3m': horizon('3m'), '6m': horizon('6m') },
    counts: {
      '3m': counts3m,
      '6m': counts6m,
      persistence3m: categoryCounts(result.rows, 'persistence_3m'),
      persistence6m: categoryCounts(result.rows, 'persistence_6m'),
    },
    topRising,
    topDeclining,
  };
  await ctx.run.put(TREND_BACKTEST_KEY, JSON.stringify(report, null, 2), 'application/json');
  const bt3 = result.backtest['3m'];
  const m3 = bt3?.metrics;
  ctx.log(
    `value-trends: 3m ${result.methods['3m'].method}, 6m ${result.methods['6m'].method} (b = ${round(result.shrinkage.b)}); 3m backtest on ${bt3?.baseOrigins ?? 0} origins: shipped ${round(bt3 ? m3?.[bt3.method]?.hitRate : null)}, flat ${round(m3?.flat.hitRate)}, persistence ${round(m3?.persistence.hitRate)}`,
  );
  return {
    valueTrendsKey: VALUE_TRENDS_KEY,
    trendsKey: partKey('trends'),
    backtestKey: TREND_BACKTEST_KEY,
    accounts: result.rows.length,
    method3m: result.methods['3m'].method,
    method6m: result.methods['6m'].method,
    shrinkage: round(result.shrinkage.b),
    counts3m,
    counts6m,
    topRising,
    topDeclining,
    hitRate3mSelected: bt3 ? round(m3?.[bt3.method]?.hitRate) : null,
    hitRate3mModel: round(m3?.model.hitRate),
    hitRate3mFlat: round(m3?.flat.hitRate),
    hitRate3mLastChange: round(m3?.persistence.hitRate),
    backtestOrigins3m: bt3?.baseOrigins ?? 0,
    historyWeeks: sampled?.weeks ?? 0,
  };
};
