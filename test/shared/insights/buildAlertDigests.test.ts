import { describe, expect, it } from 'vitest';
import {
  type AlertDigestInput,
  buildAlertDigests,
  revenueAtRisk,
  truncateSubject,
} from '../../../shared/insights/buildAlertDigests.ts';
import type { TriggerResult } from '../../../shared/insights/evaluateTriggers.ts';
import type { ScoredAccount } from '../../../shared/insights/types.ts';
import { account, defaults } from './fixtures.ts';

const asOf = '2024-06-30';
const inactive = (days: number): TriggerResult => ({
  trigger: 'no-recent-activity',
  action: 'rescue',
  fired: true,
  reason: `no CRM activity for ${days} days (days_since_last_activity > 14)`,
});
const healthy = (id: string, industry = 'Retail') =>
  account({ account_id: id, industry, account_size_segment: 'Mid-Market', crm_health_score: 90 });
const input = (overrides: Partial<AlertDigestInput>): AlertDigestInput => ({
  rows: [],
  triggers: {},
  asOf,
  runLink: 'https://example.test/runs/2024-06-30/',
  alertLog: [],
  inputsNewestDate: '2024-06-29',
  config: defaults(),
  ...overrides,
});

describe('Function: revenueAtRisk', () => {
  it('is (pipeline + won) x (1 - health/100)', () => {
    // Prepare: (100,000 + 50,000) x (1 - 0.4) = 90,000
    const row = account({
      account_id: 'a',
      crm_health_score: 40,
      current_pipeline_amount: 100_000,
      total_won_amount: 50_000,
    });
    // Act & Assess
    expect(revenueAtRisk(row)).toBeCloseTo(90_000, 9);
  });
});

describe('Function: truncateSubject', () => {
  it('cuts to 99 characters ending with an ellipsis, and leaves short subjects alone', () => {
    // Prepare
    const long = 'x'.repeat(150);
    // Act
    const cut = truncateSubject(long);
    // Assess
    expect(cut).toHaveLength(99);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut.slice(0, 98)).toBe('x'.repeat(98));
    expect(truncateSubject('short')).toBe('short');
  });
});

describe('Function: buildAlertDigests', () => {
  it('sends one message for two triggered accounts of one segment, ranked by revenue at risk', () => {
    // Prepare: 10 healthy Retail Mid-Market accounts (rate 0) plus two triggered healthy ones;
    // at risk: small (1,000 + 0) x 0.1 = 100; big (50,000 + 50,000) x 0.1 = 10,000
    const small = account({
      ...healthy('small'),
      account_name: 'Small Co',
      current_pipeline_amount: 1_000,
    });
    const big = account({
      ...healthy('big'),
      account_name: 'Big Co',
      current_pipeline_amount: 50_000,
      total_won_amount: 50_000,
    });
    const rows = [...Array.from({ length: 10 }, (_, i) => healthy(`h${i}`)), small, big];
    // Act
    const out = buildAlertDigests(
      input({ rows, triggers: { small: [inactive(20)], big: [inactive(30)] } }),
    );
    // Assess
    expect(out.held).toBe(false);
    expect(out.messages).toHaveLength(1);
    const [m] = out.messages;
    expect(m.attributes).toEqual({
      segment: 'Retail - Mid-Market',
      industry: 'Retail',
      size: 'Mid-Market',
      severity: 'medium',
    });
    expect(m.dedupeKey).toBe('2024-06-30#Retail - Mid-Market');
    expect(m.subject).toBe('[CVS] New alerts: Retail - Mid-Market, 0% high-risk, 2 flagged');
    expect(m.body).toContain('1. Big Co (big): 10,000 at risk, health 90');
    expect(m.body).toContain('2. Small Co (small): 100 at risk, health 90');
    expect(m.body).toContain(
      '   - no CRM activity for 30 days (days_since_last_activity > 14) -> rescue',
    );
    expect(m.body).toContain(
      'Playbook health-high-mid: High health (80+), Mid-Market: retain and expand.',
    );
    expect(m.body).toContain('Full list: https://example.test/runs/2024-06-30/');
    // each entry names the message that carries it: logged only once that message is delivered
    const dedupeKey = '2024-06-30#Retail - Mid-Market';
    expect(out.logEntries).toEqual([
      { accountId: 'big', trigger: 'no-recent-activity', asOf, dedupeKey },
      { accountId: 'small', trigger: 'no-recent-activity', asOf, dedupeKey },
    ]);
  });

  it('alerts a high-risk segment with its rate versus the previous run', () => {
    // Prepare: Manufacturing Small Business, 6 of 10 high-risk today, 5 of 10 in the previous run; no triggers
    const segment = (k: number, tag: string): ScoredAccount[] =>
      Array.from({ length: 10 }, (_, i) =>
        account({
          account_id: `m${i}`,
          account_name: `${tag}${i}`,
          industry: 'Manufacturing',
          account_size_segment: 'Small Business',
          crm_health_score: i < k ? 20 + i : 70,
          current_pipeline_amount: 1_000 * (i + 1),
        }),
      );
    // Act
    const out = buildAlertDigests(input({ rows: segment(6, 'M'), previousRows: segment(5, 'P') }));
    // Assess
    expect(out.messages).toHaveLength(1);
    const [m] = out.messages;
    expect(m.attributes.severity).toBe('high');
    expect(m.subject).toBe(
      '[CVS] High-risk segment: Manufacturing - Small Business, 60% high-risk, 6 flagged',
    );
    expect(m.body).toContain('High-risk rate: 60% (6 of 10 scored accounts;');
    expect(m.body).toContain('previous run 50% (5 of 10).');
    // m5: (6,000) x (1 - 0.25) = 4,500 is the largest revenue at risk among the six
    expect(m.body).toContain('1. M5 (m5): 4,500 at risk, health 25');
    expect(m.body).toContain('   - CRM health 25 (< 50) -> health playbook');
    expect(m.body).toContain('Playbook health-low-smb:');
    expect(out.logEntries).toHaveLength(6);
  });

  it('sends nothing for a thin high-risk segment without triggers', () => {
    // Prepare: 3 of 3 high-risk, below the minimum count of 10
    const rows = ['a', 'b', 'c'].map((id) =>
      account({ account_id: id, industry: 'Retail', crm_health_score: 10 }),
    );
    // Act
    const out = buildAlertDigests(input({ rows }));
    // Assess
    expect(out.messages).toEqual([]);
    expect(out.logEntries).toEqual([]);
  });

  it('does not repeat an account alerted for the same reason within the cool-down', () => {
    // Prepare: 'a' was alerted 3 days ago for the same trigger, 'b' 7 days ago (cool-down over)
    const rows = [healthy('a'), healthy('b')];
    const alertLog = [
      { accountId: 'a', trigger: 'no-recent-activity', asOf: '2024-06-27' },
      { accountId: 'b', trigger: 'no-recent-activity', asOf: '2024-06-23' },
    ];
    // Act
    const out = buildAlertDigests(
      input({ rows, alertLog, triggers: { a: [inactive(20)], b: [inactive(20)] } }),
    );
    // Assess
    expect(out.messages).toHaveLength(1);
    expect(out.messages[0].body).not.toContain('(a)');
    expect(out.messages[0].body).toContain('(b)');
    expect(out.messages[0].body).toContain('1 more already alerted within 7 days');
    expect(out.logEntries).toEqual([
      {
        accountId: 'b',
        trigger: 'no-recent-activity',
        asOf,
        dedupeKey: '2024-06-30#Retail - Mid-Market',
      },
    ]);
  });

  it('sends no digest when the only triggered account is in cool-down', () => {
    // Prepare
    const alertLog = [{ accountId: 'a', trigger: 'no-recent-activity', asOf: '2024-06-29' }];
    // Act
    const out = buildAlertDigests(
      input({ rows: [healthy('a')], alertLog, triggers: { a: [inactive(20)] } }),
    );
    // Assess
    expect(out.messages).toEqual([]);
  });

  it('keeps subjects under 100 characters for long segment names', () => {
    // Prepare
    const industry =
      'Industrial Machinery, Components and Precision Manufacturing Equipment Wholesale';
    // Act
    const out = buildAlertDigests(
      input({ rows: [healthy('a', industry)], triggers: { a: [inactive(20)] } }),
    );
    // Assess
    const [m] = out.messages;
    expect(m.subject).toHaveLength(99);
    expect(m.subject.endsWith('…')).toBe(true);
    expect(m.attributes.industry).toBe(industry);
  });

  it('holds alerts back and returns one freshness notice when inputs are stale', () => {
    // Prepare: newest input 5 days before the run, maximum 3
    const rows = [healthy('a'), healthy('b', 'Education')];
    const triggers = { a: [inactive(20)], b: [inactive(20)] };
    // Act
    const stale = buildAlertDigests(input({ rows, triggers, inputsNewestDate: '2024-06-25' }));
    const unknown = buildAlertDigests(input({ rows, triggers, inputsNewestDate: null }));
    // Assess
    expect(stale.held).toBe(true);
    expect(stale.messages).toHaveLength(1);
    expect(stale.messages[0]).toMatchObject({
      subject:
        '[CVS] Alerts held for 2024-06-30: the newest input (2024-06-25) is 5 days old (max 3)',
      attributes: { severity: 'ops' },
      dedupeKey: '2024-06-30#freshness',
    });
    expect(stale.messages[0].body).toContain('2 segment digest(s) were not sent');
    expect(stale.logEntries).toEqual([]);
    expect(unknown.held).toBe(true);
  });
});
