import type { InsightsConfig } from '../config/insights.ts';
import type { HealthBand, ScoredAccount } from './types.ts';

/** The size groups seed 004's playbooks are written for. */
export type PlaybookSize = 'Small Business' | 'Mid-Market' | 'Large/Enterprise';

/** The playbook fields attached to an account row. */
export interface PlaybookAssignment {
  /** Health band x size playbook id (seed 004), e.g. `health-low-smb`; NULL without a health band. */
  playbook_id: string | null;
  /** Its text: title, actions, cadence, owners. */
  playbook: string | null;
  /** Trend playbook id (seed 000), e.g. `trend-down`; NULL without a trend. */
  trend_playbook_id: string | null;
  trend_playbook: string | null;
  /** Value-segment playbook id (seed 003), e.g. `segment-high`; NULL without a segment. */
  segment_playbook_id: string | null;
  segment_playbook: string | null;
}

type Playbooks = InsightsConfig['playbooks'];

/** The playbook size group of a size segment; Unknown or NULL uses the configured fallback. */
export function playbookSize(
  size: ScoredAccount['account_size_segment'],
  playbooks: Pick<Playbooks, 'unknownSizeUses'>,
): PlaybookSize {
  if (size === 'Small Business' || size === 'Mid-Market') return size;
  if (size === 'Large' || size === 'Enterprise') return 'Large/Enterprise';
  return playbooks.unknownSizeUses;
}

/** The health playbook (id and parts) for a band and size segment. */
export function healthPlaybook(
  band: HealthBand,
  size: ScoredAccount['account_size_segment'],
  playbooks: Playbooks,
): Playbooks['health']['High']['Small Business'] {
  return playbooks.health[band][playbookSize(size, playbooks)];
}

/** A health playbook as one line of text: "title. Actions: a; b. Cadence: c. Owners: d." */
export function healthPlaybookText(p: Playbooks['health']['High']['Small Business']): string {
  return memo(
    p,
    () =>
      `${p.title}. Actions: ${p.actions.join('; ')}. Cadence: ${p.cadence.join('; ')}. Owners: ${p.owners.join('; ')}.`,
  );
}

/** A trend or value-segment playbook as one line of text: "title. Actions: a; b. Measure: c." */
export function segmentPlaybookText(p: Playbooks['trend']['Up']): string {
  return memo(
    p,
    () => `${p.title}. Actions: ${p.actions.join('; ')}. Measure: ${p.measure.join('; ')}.`,
  );
}

/** Texts already built, per (immutable, parsed) playbook object. */
const texts = new WeakMap<object, string>();
const memo = (p: object, build: () => string) => {
  let t = texts.get(p);
  if (t === undefined) {
    t = build();
    texts.set(p, t);
  }
  return t;
};

/**
 * Attaches the configured playbooks to an account: seed 004 health band x size, seed 000 trend, seed 003 value
 * segment. The texts come from config, so changing a playbook needs no code change.
 */
export function assignPlaybooks<T extends ScoredAccount>(
  row: T,
  config: Pick<InsightsConfig, 'playbooks'>,
): T & PlaybookAssignment {
  return { ...row, ...playbookFields(row, config) };
}

/** The playbook fields of an account alone (no copy of the row), for callers that build their own output row. */
export function playbookFields(
  row: Pick<
    ScoredAccount,
    'crm_health_band' | 'account_size_segment' | 'trend_3m' | 'value_segment'
  >,
  config: Pick<InsightsConfig, 'playbooks'>,
): PlaybookAssignment {
  const { playbooks } = config;
  const health = row.crm_health_band
    ? healthPlaybook(row.crm_health_band, row.account_size_segment, playbooks)
    : null;
  const trend = row.trend_3m ? playbooks.trend[row.trend_3m] : null;
  const segment = row.value_segment ? playbooks.valueSegment[row.value_segment] : null;
  return {
    playbook_id: health?.id ?? null,
    playbook: health ? healthPlaybookText(health) : null,
    trend_playbook_id: trend?.id ?? null,
    trend_playbook: trend ? segmentPlaybookText(trend) : null,
    segment_playbook_id: segment?.id ?? null,
    segment_playbook: segment ? segmentPlaybookText(segment) : null,
  };
}
