import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { insightsConfig } from '../../../shared/config/insights.ts';

describe('Schema: insightsConfig', () => {
  it('fills the seeds defaults when the section is empty or absent', () => {
    // Prepare: the integrator nests it as `insights: insightsConfig`
    const parent = z.object({ insights: insightsConfig });
    // Act
    const { insights } = parent.parse({});
    // Assess
    expect(insights.riskMatrix).toEqual({ minCellCount: 10, confidenceLevel: 0.95 });
    expect(insights.revenue).toEqual({
      upsellShare: 0.5,
      upsellBase: 0.05,
      upsellPerPWin: 0.25,
      lowerQuantile: 0.25,
      upperQuantile: 0.75,
    });
    expect(insights.triggers).toMatchObject({
      maxDaysSinceActivity: 14,
      minActivities30d: 3,
      minContacts: 20,
      minContactsWithEmail: 15,
      pipelineStagnantDays: 30,
      npsDropPoints: 1,
    });
    expect(insights.alerts).toMatchObject({
      highRiskRate: 0.5,
      topAccounts: 10,
      cooldownDays: 7,
      maxInputAgeDays: 3,
    });
    expect(insights.playbooks.health.Low['Small Business'].id).toBe('health-low-smb');
    expect(insights.playbooks.health.High['Large/Enterprise'].owners).toEqual([
      'Strategic CSM',
      'Account Director',
      'Product liaison',
    ]);
    expect(insights.playbooks.trend.Down.measure).toContain('NPS recovery');
    expect(insights.playbooks.valueSegment['Low value'].id).toBe('segment-low');
  });

  it('keeps the other defaults when one playbook field is overridden', () => {
    // Act
    const config = insightsConfig.parse({
      playbooks: { health: { Low: { 'Mid-Market': { owners: ['Team X'] } } } },
    });
    // Assess
    const p = config.playbooks.health.Low['Mid-Market'];
    expect(p.owners).toEqual(['Team X']);
    expect(p.id).toBe('health-low-mid');
    expect(p.actions[0]).toBe('Churn-prevention SWAT—exec escalation when needed');
    expect(config.playbooks.health.Low['Small Business'].owners).toContain('Renewal desk');
  });

  it('rejects a misspelt key and an out-of-range threshold', () => {
    // Act & Assess
    expect(insightsConfig.safeParse({ alerts: { coolDownDays: 3 } }).success).toBe(false);
    expect(insightsConfig.safeParse({ alerts: { highRiskRate: 1.5 } }).success).toBe(false);
  });
});
