import type { CvsConfig } from '../config/schema.ts';
import { sqlDate } from '../sql/literals.ts';

/**
 * Seed 002 at visitor level, in the SQL subset Athena (Trino) and DuckDB share: every identified visitor of an account
 * scored on duration (sum_minutes), frequency (count_active_days), feature adoption (distinct features clicked),
 * engagement (feature clicks), recency (days since the last event) and satisfaction (latest NPS answer, where the
 * visitor answered). Each dimension is a percentile rank among the scored visitors (pandas `rank(pct=True)`: average
 * rank of ties / non-null count, so in (0, 1]); a visitor who never had an event ranks 0 on recency. The weighted
 * score uses the account scorecard's seed 002 weights and re-weights a missing dimension (no NPS answer, no
 * visitor_feature export) instead of scoring it 0; the 2-D score is the mean of duration and frequency.
 *
 * Anonymous visitors (`_PENDO_T_...`, input contract 1.2 and pitfall 8) and visitors without an account are left out;
 * `visitorCountsSql` counts them. Visitor metrics are all-time and attributed to `pendo__visitor.account_id` (the
 * visitor's latest account), the same attribution the breadth features use.
 */

/** Recency input: minus days since the last event; a visitor who never had one ranks below everyone. */
const RECENCY = 'coalesce(-days_since_last_event, -1e15)';

/** True for a visitor id Pendo gives anonymous visitors. */
const ANONYMOUS = `upper(substr(v.visitor_id, 1, 9)) = '_PENDO_T_'`;

/**
 * A CTE of the percentile rank of each distinct value of `expr` over `base` (pandas `rank(pct=True)`: rows below plus
 * the mean position of the value's ties, over the non-null count). Ranking the distinct values and joining them back
 * costs one GROUP BY and a small window instead of three windows over every visitor.
 */
function rankCte(name: string, expr: string): string {
  return `${name} AS (
  SELECT x, (cast(sum(c) OVER (ORDER BY x) AS double) - cast(c AS double) + (cast(c AS double) + 1) / 2)
    / cast(sum(c) OVER () AS double) AS p
  FROM (SELECT ${expr} AS x, count(*) AS c FROM base WHERE ${expr} IS NOT NULL GROUP BY ${expr}) g
)`;
}

/** Weighted mean of the non-null parts, re-weighting the rest (as `weightedMean` in shared/scoring). */
function weighted(parts: readonly [string, number][]): string {
  const used = parts.filter(([, w]) => w > 0);
  if (used.length === 0) return 'cast(NULL AS double)';
  const num = used.map(([c, w]) => `${w} * coalesce(${c}, 0)`).join(' + ');
  const den = used.map(([c, w]) => `CASE WHEN ${c} IS NULL THEN 0 ELSE ${w} END`).join(' + ');
  return `(${num}) / nullif(${den}, 0)`;
}

/** The visitor scores query: one row per identified visitor with an account (columns in the README). */
export function visitorScoresSql({ asOf, config }: { asOf: string; config: CvsConfig }): string {
  const asOfDate = sqlDate(asOf);
  const w = config.scorecard.weighted;
  // count(*) counts the visitor's distinct features: the validated view holds one row per key (source_relation,
  // visitor_id, feature_id), feature_id never NULL (shared/contract/tables.ts; later rows of a key are quarantined).
  // count(DISTINCT feature_id) gave the same counts at 7 times the cost (8.2 against 1.2 s at 100,000 accounts).
  return `WITH vf AS (
  SELECT visitor_id, coalesce(source_relation, '') AS src,
    count(*) AS n_features_used, sum(sum_clicks) AS feature_clicks
  FROM pendo__visitor_feature GROUP BY visitor_id, coalesce(source_relation, '')
),
base AS (
  SELECT v.account_id, v.visitor_id,
    cast(coalesce(v.sum_minutes, 0) AS double) AS sum_minutes,
    cast(coalesce(v.count_active_days, 0) AS double) AS count_active_days,
    CASE WHEN s.has_visitor_feature THEN cast(coalesce(vf.n_features_used, 0) AS double) END AS n_features_used,
    CASE WHEN s.has_visitor_feature THEN cast(coalesce(vf.feature_clicks, 0) AS double) END AS feature_clicks,
    CASE WHEN v.last_event_on IS NULL THEN NULL
         WHEN v.last_event_on > ${asOfDate} THEN 0
         ELSE cast(date_diff('day', v.last_event_on, ${asOfDate}) AS double) END AS days_since_last_event,
    cast(v.latest_nps_rating AS double) AS nps_rating
  FROM pendo__visitor v
  CROSS JOIN cvs_sources s
  LEFT JOIN vf ON vf.visitor_id = v.visitor_id AND vf.src = coalesce(v.source_relation, '')
  WHERE v.account_id IS NOT NULL AND NOT (${ANONYMOUS})
),
${rankCte('r_duration', 'sum_minutes')},
${rankCte('r_frequency', 'count_active_days')},
${rankCte('r_adoption', 'n_features_used')},
${rankCte('r_engagement', 'feature_clicks')},
${rankCte('r_recency', RECENCY)},
${rankCte('r_satisfaction', 'nps_rating')},
ranked AS (
  SELECT b.*, d.p AS duration_pct, f.p AS frequency_pct, a.p AS adoption_pct, e.p AS engagement_pct,
    CASE WHEN b.days_since_last_event IS NULL THEN 0 ELSE r.p END AS recency_pct, s.p AS satisfaction_pct
  FROM base b
  LEFT JOIN r_duration d ON d.x = b.sum_minutes
  LEFT JOIN r_frequency f ON f.x = b.count_active_days
  LEFT JOIN r_adoption a ON a.x = b.n_features_used
  LEFT JOIN r_engagement e ON e.x = b.feature_clicks
  LEFT JOIN r_recency r ON r.x = ${RECENCY.replaceAll('days_since_last_event', 'b.days_since_last_event')}
  LEFT JOIN r_satisfaction s ON s.x = b.nps_rating
),
scored AS (
  SELECT r.*,
    (duration_pct + frequency_pct) / 2 AS baseline_2d_score,
    ${weighted([
      ['duration_pct', w.duration],
      ['frequency_pct', w.frequency],
      ['adoption_pct', w.featureAdoption],
      ['engagement_pct', w.featureEngagement],
      ['recency_pct', w.recency],
      ['satisfaction_pct', w.satisfaction],
    ])} AS weighted_score
  FROM ranked r
)
SELECT account_id, visitor_id, sum_minutes, count_active_days, n_features_used, feature_clicks,
  days_since_last_event, nps_rating, duration_pct, frequency_pct, adoption_pct, engagement_pct, recency_pct,
  satisfaction_pct, baseline_2d_score, weighted_score,
  row_number() OVER (PARTITION BY account_id ORDER BY weighted_score DESC, visitor_id) AS rank_in_account,
  cast(sum_minutes / nullif(sum(sum_minutes) OVER (PARTITION BY account_id), 0) AS double) AS activity_share
FROM scored`;
}

/**
 * Per account, from the visitor scores (a table or a parenthesised query): identified visitors, the top `perAccount` champions (id, weighted score, share of the account's
 * minutes, days since their last event) and the share of the account's minutes the champions carry together.
 */
export function championsSql(visitorScores: string, config: CvsConfig): string {
  const k = config.champions.perAccount;
  const cols: string[] = [];
  for (let i = 1; i <= k; i++) {
    const at = (c: string) => `max(CASE WHEN rank_in_account = ${i} THEN ${c} END)`;
    cols.push(
      `${at('visitor_id')} AS champion_${i}`,
      `${at('weighted_score')} AS champion_${i}_score`,
      `${at('activity_share')} AS champion_${i}_share`,
      `${at('days_since_last_event')} AS champion_${i}_days_silent`,
    );
  }
  return `SELECT account_id,
  count(*) AS identified_visitors,
  ${cols.join(',\n  ')},
  cast(sum(CASE WHEN rank_in_account <= ${k} THEN sum_minutes ELSE 0 END) AS double)
    / nullif(sum(sum_minutes), 0) AS champion_activity_share
FROM ${visitorScores}
GROUP BY account_id
ORDER BY account_id`;
}

/** Visitors of pendo__visitor by how the champion scoring treats them: scored, anonymous, or without an account. */
export function visitorCountsSql(): string {
  return `SELECT
  count(CASE WHEN NOT (${ANONYMOUS}) AND v.account_id IS NOT NULL THEN 1 END) AS scored_visitors,
  count(CASE WHEN ${ANONYMOUS} THEN 1 END) AS anonymous_visitors,
  count(CASE WHEN NOT (${ANONYMOUS}) AND v.account_id IS NULL THEN 1 END) AS visitors_without_account
FROM pendo__visitor v`;
}
