import { championColumns, summarizeChampions } from '../../champions/championSummary.ts';
import {
  championsSql,
  visitorCountsSql,
  visitorScoresSql,
} from '../../champions/visitorScoresSql.ts';
import { writeCsvRows } from '../../io/csvTable.ts';
import type { StepFn } from '../types.ts';
import { partKey } from './keys.ts';

/** The visitor-level deliverable (one row per identified visitor); a Parquet copy sits beside it. */
export const VISITOR_SCORES_KEY = 'visitor_scores.csv';

/** The query engine's scratch table holding this run's visitor scores. */
const TABLE = 'cvs_visitor_scores';

/**
 * Step visitor-champions (seed 002 at visitor level): scores every identified visitor in SQL and COPYs the result
 * straight to visitor_scores.csv and .parquet (no visitor row enters the heap), then reads one row per account back:
 * its top champions, the share of its minutes they carry, and whether one has gone silent (parts/champions.csv).
 */
export const visitorChampionsStep: StepFn = async (state, ctx) => {
  const q = ctx.ports.query;
  const cfg = ctx.config.champions;
  await q.createTable(TABLE, visitorScoresSql({ asOf: state.asOf, config: ctx.config }), {
    temporary: true,
  });
  try {
    const ordered = `SELECT * FROM ${TABLE} ORDER BY account_id, rank_in_account`;
    const visitors = await q.exportTo(ordered, ctx.run.locate(VISITOR_SCORES_KEY), 'csv');
    await q.exportTo(
      ordered,
      ctx.run.locate(VISITOR_SCORES_KEY.replace(/\.csv$/, '.parquet')),
      'parquet',
    );
    const rows = await q.query(championsSql(TABLE, ctx.config));
    const summaries = summarizeChampions(rows, cfg.perAccount, cfg.silentDays);
    const part = rows.map((r, i) => ({ ...r, ...summaries[i] }));
    await writeCsvRows(ctx.run, partKey('champions'), part, championColumns(cfg.perAccount));
    const counts = (await q.query(visitorCountsSql()))[0] ?? {};
    const n = (v: unknown) => (typeof v === 'number' ? v : 0);
    ctx.log(
      `visitor-champions: ${visitors} visitors scored, ${n(counts.anonymous_visitors)} anonymous left out`,
    );
    return {
      visitorScoresKey: VISITOR_SCORES_KEY,
      visitorsScored: visitors,
      anonymousVisitorsLeftOut: n(counts.anonymous_visitors),
      visitorsWithoutAccount: n(counts.visitors_without_account),
      accountsWithChampions: summaries.length,
      accountsWithSilentChampion: summaries.filter((s) => s.champion_silent).length,
      partKey: partKey('champions'),
    };
  } finally {
    await q.dropTable(TABLE);
  }
};
