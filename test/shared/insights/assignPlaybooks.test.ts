import { describe, expect, it } from 'vitest';
import { insightsConfig } from '../../../shared/config/insights.ts';
import { assignPlaybooks, playbookFields } from '../../../shared/insights/assignPlaybooks.ts';
import { account, defaults } from './fixtures.ts';

describe('Function: assignPlaybooks', () => {
  it('attaches the seed 004, 000 and 003 playbooks to a low-health small business', () => {
    // Prepare
    const row = account({
      account_id: 'a',
      crm_health_score: 42,
      account_size_segment: 'Small Business',
      trend_3m: 'Down',
      value_segment: 'High value',
    });
    // Act
    const out = assignPlaybooks(row, defaults());
    // Assess
    expect(out.account_id).toBe('a');
    expect(out.playbook_id).toBe('health-low-smb');
    expect(out.playbook).toBe(
      'Low health (<50), Small Business: recover and prevent churn. Actions: Rapid rescue—reactivation campaigns; ' +
        'fast-track support resolution; offer short-term discounts to reopen pipeline; content to re-engage ' +
        'inactive users. Cadence: Weekly outreach until engagement improves; 30-day rescue program. ' +
        'Owners: Renewal desk; Scaled CSM; Support lead.',
    );
    expect(out.trend_playbook_id).toBe('trend-down');
    expect(out.trend_playbook).toContain(
      'Retention rescue. Actions: Trigger CSM outreach when freshness deteriorates',
    );
    expect(out.segment_playbook_id).toBe('segment-high');
    expect(out.segment_playbook).toContain(
      'Beta Programs: Invite them to exclusive beta programs for new features',
    );
  });

  it('maps Large and Enterprise to the Large/Enterprise playbook and Unknown to the fallback', () => {
    // Prepare
    const large = account({ account_id: 'l', crm_health_score: 85, account_size_segment: 'Large' });
    const enterprise = account({
      account_id: 'e',
      crm_health_score: 60,
      account_size_segment: 'Enterprise',
    });
    const unknown = account({
      account_id: 'u',
      crm_health_score: 60,
      account_size_segment: 'Unknown',
    });
    const config = defaults();
    const midFallback = insightsConfig.parse({ playbooks: { unknownSizeUses: 'Mid-Market' } });
    // Act & Assess
    expect(assignPlaybooks(large, config).playbook_id).toBe('health-high-ent');
    expect(assignPlaybooks(enterprise, config).playbook_id).toBe('health-medium-ent');
    expect(assignPlaybooks(unknown, config).playbook_id).toBe('health-medium-smb');
    expect(assignPlaybooks(unknown, midFallback).playbook_id).toBe('health-medium-mid');
  });

  it('changes the text when the config overrides a playbook', () => {
    // Prepare
    const row = account({
      account_id: 'a',
      crm_health_score: 10,
      account_size_segment: 'Mid-Market',
      trend_3m: 'Up',
    });
    const config = insightsConfig.parse({
      playbooks: {
        health: { Low: { 'Mid-Market': { actions: ['Call the sponsor today'], id: 'rescue-mm' } } },
        trend: { Up: { title: 'Expand now' } },
      },
    });
    // Act
    const out = assignPlaybooks(row, config);
    // Assess
    expect(out.playbook_id).toBe('rescue-mm');
    expect(out.playbook).toContain(
      'Actions: Call the sponsor today. Cadence: Weekly operational reviews',
    );
    expect(out.trend_playbook).toMatch(/^Expand now\. Actions: Early upsell talk tracks/);
  });

  it('returns NULL playbooks when band, trend and segment are missing', () => {
    // Prepare
    const row = account({ account_id: 'n', crm_health_score: null });
    // Act
    const out = assignPlaybooks(row, defaults());
    // Assess
    expect(out).toMatchObject({
      playbook_id: null,
      playbook: null,
      trend_playbook_id: null,
      segment_playbook_id: null,
    });
  });
});

describe('Function: playbookFields', () => {
  it('returns only the playbook fields, without copying the row', () => {
    // Prepare
    const row = account({
      account_id: 'a',
      crm_health_score: 65,
      account_size_segment: 'Enterprise',
      value_segment: 'Low value',
    });
    // Act
    const fields = playbookFields(row, defaults());
    // Assess
    expect(Object.keys(fields).sort()).toEqual([
      'playbook',
      'playbook_id',
      'segment_playbook',
      'segment_playbook_id',
      'trend_playbook',
      'trend_playbook_id',
    ]);
    expect(fields.playbook_id).toBe('health-medium-ent');
    expect(fields.segment_playbook).toMatch(
      /^Low-value customers: re-engage or right-size\. Actions: Re-engagement/,
    );
  });
});
