import { afterEach, describe, expect, it } from 'vitest';
import { crossTableChecks } from '../../../shared/contract/validateCrossTable.ts';
import { pendoBase, validationHarness } from './fixtures.ts';

const harness = validationHarness();
afterEach(() => harness.close());

const validate = async (files: Record<string, string>, linkColumn = 'agent_salesforceaccountid') =>
  (await harness.validate(files, { linkColumn })).report;

/** Pendo base (A1 linked to 001A, A2 unlinked) plus a Salesforce export with known orphans. */
function bothSources(): Record<string, string> {
  const files = pendoBase();
  files['pendo/pendo__visitor_feature/part-1.csv'] +=
    '\ndb.pendo,v9,F1,PA1,1,1\ndb.pendo,v9,F9,PA1,1,1';
  files['pendo/pendo__account/part-1.csv'] += '\ndb.pendo,A3,001Z,1,,,,1,1,1,1,1,1,1,,';
  return {
    ...files,
    'pendo/pendo__account_daily_metrics/d.csv': [
      'source_relation,date_day,account_id,count_active_visitors,sum_minutes,sum_events,count_features_clicked',
      'db.pendo,2024-01-01,A1,1,5,5,1',
      'db.pendo,2024-01-01,AX,1,5,5,1',
      'db.pendo,2024-01-02,AX,1,5,5,1',
      'db.pendo,2024-01-01,,1,5,5,1',
    ].join('\n'),
    'salesforce/account/a.csv': 'id,name,industry,number_of_employees,annual_revenue\n001A,Acme,,,',
    'salesforce/contact/c.csv': 'id,account_id,email\n003A,001A,a@x.io\n003B,,b@x.io\n003C,001Q,',
    'salesforce/task/t.csv': [
      'id,account_id,activity_date',
      '00TA,001A,2024-01-31',
      '00TB,001A,2024-02-01',
      '00TC,001A,2024-02-02',
      '00TD,,2024-03-01T00:00:00Z',
    ].join('\n'),
  };
}

describe('Function: crossTableChecks', () => {
  it('runs only the checks whose views are present', () => {
    // Act
    const { checks } = crossTableChecks({
      present: new Set(['salesforce__account', 'salesforce__event']),
      accountColumns: [],
      linkColumn: 'agent_salesforceaccountid',
      asOf: '2024-02-01',
    });

    // Assess
    expect(checks.map((c) => c.key)).toEqual([
      'salesforce_event_without_account',
      'salesforce_event_account_not_found',
    ]);
  });
});

describe('Function: validateInputs (cross-table counts)', () => {
  it('counts orphans, missing links and future-dated tasks without quarantining them', async () => {
    // Act
    const report = await validate(bothSources());

    // Assess
    expect(report.cross_table).toEqual({
      visitor_feature_visitors_not_in_visitor: 1,
      visitor_feature_features_not_in_feature: 1,
      daily_metrics_accounts_not_in_account: 1,
      daily_metrics_rows_null_account: 1,
      pendo_accounts_without_crm_link: 1,
      pendo_accounts_crm_link_not_found: 1,
      salesforce_contact_without_account: 1,
      salesforce_contact_account_not_found: 1,
      salesforce_task_without_account: 1,
      salesforce_task_account_not_found: 0,
      salesforce_task_future_dated: 2,
    });
    expect(report.tables['pendo/pendo__visitor_feature'].rows_quarantined).toBe(0);
    expect(report.sources).toEqual(['pendo', 'salesforce']);
    expect(report.notes).toEqual([
      'salesforce/opportunity absent: total_won_amount and current_pipeline_amount are not available',
      'salesforce/event absent: total_activities_30d uses tasks only',
    ]);
  });

  it('notes a link column the accounts do not have and counts every account as unlinked', async () => {
    // Act
    const report = await validate(pendoBase(), 'crm_account_id');

    // Assess
    expect(report.cross_table.pendo_accounts_without_crm_link).toBe(2);
    expect(report.notes).toContain(
      'pendo__account has no column crm_account_id (crm.linkColumn): no Pendo account is linked to Salesforce',
    );
  });
});
