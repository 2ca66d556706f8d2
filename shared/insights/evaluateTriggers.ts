import type { InsightsConfig } from '../config/insights.ts';
import { daysBetween } from './dates.ts';
import type { ScoredAccount } from './types.ts';

/** The monitoring triggers of seed 004 (activity, contacts, pipeline) and seed 000 (recency jump, NPS drop). */
export const TRIGGERS = {
  'no-recent-activity': 'rescue',
  'low-activity-30d': 'rescue',
  'few-contacts': 'enrichment',
  'few-email-contacts': 'enrichment',
  'pipeline-stagnant': 'executive review',
  'event-recency-jump': 'retention rescue',
  'nps-drop': 'success review',
  'champion-silent': 'champion outreach',
} as const;

/** A trigger's id. */
export type TriggerId = keyof typeof TRIGGERS;

/** The value of a trigger that cannot be decided yet: missing input or too little history. */
export const NOT_YET_EVALUABLE = 'not yet evaluable';

/** One trigger's outcome for one account on one run. */
export interface TriggerResult {
  trigger: TriggerId;
  /** What the trigger calls for (rescue, enrichment, executive review, ...). */
  action: (typeof TRIGGERS)[TriggerId];
  fired: boolean | typeof NOT_YET_EVALUABLE;
  /** Human text naming the input and its values, e.g. "no CRM activity for 23 days (days_since_last_activity > 14)". */
  reason: string;
}

/** One earlier run's values of an account, from the score store. */
export interface TriggerHistoryEntry {
  /** Run date, YYYY-MM-DD. */
  asOf: string;
  current_pipeline_amount: number | null;
  days_since_last_event: number | null;
  avg_nps_rating: number | null;
}

type Thresholds = InsightsConfig['triggers'];
type Row = Pick<
  ScoredAccount,
  | 'days_since_last_activity'
  | 'total_activities_30d'
  | 'total_contacts'
  | 'contacts_with_email'
  | 'current_pipeline_amount'
  | 'days_since_last_event'
  | 'avg_nps_rating'
>;

const num = (x: number) => String(Number(x.toFixed(2)));
const result = (
  trigger: TriggerId,
  fired: TriggerResult['fired'],
  reason: string,
): TriggerResult => ({
  trigger,
  action: TRIGGERS[trigger],
  fired,
  reason,
});
const missing = (trigger: TriggerId, input: string) =>
  result(trigger, NOT_YET_EVALUABLE, `${input} is missing`);
const same = (x: number, y: number) =>
  Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));

/**
 * Evaluates every monitoring trigger for one account as of a run date (YYYY-MM-DD), given the account's earlier
 * runs (any order; entries on or after asOf are ignored). A trigger whose input is NULL, or that needs more history
 * than there is, is `not yet evaluable`.
 */
export function evaluateTriggers(
  row: Row,
  history: readonly TriggerHistoryEntry[],
  asOf: string,
  config: Pick<InsightsConfig, 'triggers'>,
): TriggerResult[] {
  const t = config.triggers;
  const past = history
    .filter((h) => daysBetween(h.asOf, asOf) > 0)
    .sort((x, y) => (x.asOf < y.asOf ? 1 : -1));
  return [
    threshold(
      'no-recent-activity',
      row.days_since_last_activity,
      'days_since_last_activity',
      (v) =>
        v > t.maxDaysSinceActivity
          ? [
              true,
              `no CRM activity for ${num(v)} days (days_since_last_activity > ${t.maxDaysSinceActivity})`,
            ]
          : [
              false,
              `last CRM activity ${num(v)} days ago (days_since_last_activity <= ${t.maxDaysSinceActivity})`,
            ],
    ),
    threshold('low-activity-30d', row.total_activities_30d, 'total_activities_30d', (v) => [
      v < t.minActivities30d,
      `${num(v)} CRM activities in the last 30 days (total_activities_30d ${v < t.minActivities30d ? '<' : '>='} ${t.minActivities30d})`,
    ]),
    threshold('few-contacts', row.total_contacts, 'total_contacts', (v) => [
      v < t.minContacts,
      `${num(v)} contacts (total_contacts ${v < t.minContacts ? '<' : '>='} ${t.minContacts})`,
    ]),
    threshold('few-email-contacts', row.contacts_with_email, 'contacts_with_email', (v) => [
      v < t.minContactsWithEmail,
      `${num(v)} contacts with e-mail (contacts_with_email ${v < t.minContactsWithEmail ? '<' : '>='} ${t.minContactsWithEmail})`,
    ]),
    pipelineStagnant(row.current_pipeline_amount, past, asOf, t),
    eventRecencyJump(row.days_since_last_event, past, asOf, t),
    npsDrop(row.avg_nps_rating, past, t),
  ];
}

function threshold(
  trigger: TriggerId,
  value: number | null,
  input: string,
  judge: (v: number) => [boolean, string],
): TriggerResult {
  if (value === null) return missing(trigger, input);
  const [fired, reason] = judge(value);
  return result(trigger, fired, reason);
}

/** Fires when the pipeline has kept the current value since a run at least `pipelineStagnantDays` ago. */
function pipelineStagnant(
  current: number | null,
  past: readonly TriggerHistoryEntry[],
  asOf: string,
  t: Thresholds,
): TriggerResult {
  const id = 'pipeline-stagnant';
  if (current === null) return missing(id, 'current_pipeline_amount');
  if (current === 0 && !t.stagnantIncludesZeroPipeline) {
    return result(id, false, 'no open pipeline (current_pipeline_amount 0): nothing to stall');
  }
  let since = asOf;
  for (const h of past) {
    if (h.current_pipeline_amount === null) continue;
    if (!same(h.current_pipeline_amount, current)) {
      const days = daysBetween(since, asOf);
      if (days >= t.pipelineStagnantDays) break;
      return result(
        id,
        false,
        `current_pipeline_amount changed from ${num(h.current_pipeline_amount)} (${h.asOf}) to ${num(current)} within ${t.pipelineStagnantDays} days`,
      );
    }
    since = h.asOf;
  }
  const days = daysBetween(since, asOf);
  if (days >= t.pipelineStagnantDays) {
    return result(
      id,
      true,
      `pipeline unchanged at ${num(current)} for ${days} days (current_pipeline_amount, >= ${t.pipelineStagnantDays})`,
    );
  }
  return result(
    id,
    NOT_YET_EVALUABLE,
    `current_pipeline_amount history covers ${days} days, needs ${t.pipelineStagnantDays}`,
  );
}

/** Fires when days_since_last_event grew by eventGapJumpDays more than the days elapsed since the previous run. */
function eventRecencyJump(
  current: number | null,
  past: readonly TriggerHistoryEntry[],
  asOf: string,
  t: Thresholds,
): TriggerResult {
  const id = 'event-recency-jump';
  if (current === null) return missing(id, 'days_since_last_event');
  const prev = past.find((h) => h.days_since_last_event !== null);
  if (!prev || prev.days_since_last_event === null) {
    return result(id, NOT_YET_EVALUABLE, 'no previous run with days_since_last_event');
  }
  const elapsed = daysBetween(prev.asOf, asOf);
  const excess = current - prev.days_since_last_event - elapsed;
  const what = `days_since_last_event went from ${num(prev.days_since_last_event)} to ${num(current)} over ${elapsed} days between runs (${excess >= 0 ? '+' : ''}${num(excess)} beyond the elapsed days`;
  return excess >= t.eventGapJumpDays
    ? result(id, true, `${what}, >= ${t.eventGapJumpDays})`)
    : result(id, false, `${what}, < ${t.eventGapJumpDays})`);
}

/** Fires when avg_nps_rating fell by at least npsDropPoints since the previous run that had one. */
function npsDrop(
  current: number | null,
  past: readonly TriggerHistoryEntry[],
  t: Thresholds,
): TriggerResult {
  const id = 'nps-drop';
  if (current === null) return missing(id, 'avg_nps_rating');
  const prev = past.find((h) => h.avg_nps_rating !== null);
  if (!prev || prev.avg_nps_rating === null) {
    return result(id, NOT_YET_EVALUABLE, 'no previous run with avg_nps_rating');
  }
  const drop = prev.avg_nps_rating - current;
  const what = `avg_nps_rating went from ${num(prev.avg_nps_rating)} (${prev.asOf}) to ${num(current)}`;
  // A small tolerance: 8.2 - 7.2 is 0.9999999999999991 in floating point.
  return drop >= t.npsDropPoints - 1e-9
    ? result(id, true, `${what} (fell ${num(drop)} points, >= ${t.npsDropPoints})`)
    : result(
        id,
        false,
        `${what} (change ${num(-drop)} points, a fall of ${t.npsDropPoints} alerts)`,
      );
}
