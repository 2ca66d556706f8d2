import type { TriggerResult } from '../insights/evaluateTriggers.ts';
import type { ScoredAccount } from '../insights/types.ts';

/**
 * The `champion-silent` trigger of one account: fired when one of its champions had no product activity for more
 * than `champions.silentDays` days (decided in the visitor-champions step); null when the run has no champion data.
 */
export function championSilentTrigger(
  row: Pick<ScoredAccount, 'champion_silent' | 'champion_silent_reason'>,
): TriggerResult | null {
  if (row.champion_silent === undefined) return null;
  return {
    trigger: 'champion-silent',
    action: 'champion outreach',
    fired: row.champion_silent === true,
    reason: row.champion_silent
      ? `champion silent: ${row.champion_silent_reason ?? ''}`
      : 'no champion silent',
  };
}
