import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ObjectNotFoundError } from '../../../shared/errors.ts';
import type { ObjectInfo, ObjectStore } from '../../../shared/ports/index.ts';
import { buildReport, buildReportFromRunDir } from '../../../shared/report/buildReport.ts';
import { NO_CRM, NO_MODEL } from '../../../shared/report/reportSections.ts';

/** An object store in memory. */
class MemoryStore implements ObjectStore {
  readonly files = new Map<string, Uint8Array>();
  async list(prefix: string): Promise<ObjectInfo[]> {
    return [...this.files]
      .filter(([k]) => k.startsWith(prefix))
      .map(([key, b]) => ({ key, size: b.length }));
  }
  async get(key: string): Promise<Uint8Array> {
    const b = this.files.get(key);
    if (!b) throw new ObjectNotFoundError(`no ${key}`);
    return b;
  }
  async put(key: string, body: Uint8Array | string): Promise<void> {
    this.files.set(key, typeof body === 'string' ? Buffer.from(body) : body);
  }
  async exists(key: string): Promise<boolean> {
    return this.files.has(key);
  }
  locate(key: string): string {
    return `mem://${key}`;
  }
}

const HEADER =
  'account_id,account_name,industry,account_size_segment,sum_minutes,count_active_days,count_associated_visitors,avg_nps_rating,value_index,high_value_quintile,crm_health_score,high_risk,has_crm,has_product,trend_3m,trend_6m';
const ROWS = [
  'a1,Alpha <Co>,Retail,Large,500,40,10,9,0.9,true,,,false,true,Up,Up',
  'a2,Beta,Retail,Small Business,100,10,2,6,0.4,false,,,false,true,Flat,Down',
  'a3,Gamma,Media,Large,50,5,1,5,0.2,false,,,false,true,Down,Flat',
];

function usageOnlyRun(): MemoryStore {
  const store = new MemoryStore();
  store.files.set('account_scores.csv', Buffer.from([HEADER, ...ROWS].join('\n')));
  store.files.set(
    'data_quality.json',
    Buffer.from(JSON.stringify({ as_of: '2024-10-31', sources: ['pendo'], tables: {}, notes: [] })),
  );
  return store;
}

describe('Function: buildReport', () => {
  it('draws the usage charts and says which sections have no data when there is no CRM and no model', async () => {
    // Prepare
    const store = usageOnlyRun();
    // Act
    const result = await buildReport(store);
    const html = Buffer.from(await store.get('report.html')).toString('utf8');
    // Assess
    expect(result.charts).toEqual(['high-value-ratios', 'trend-counts']);
    expect(result.missing).toContain('risk-heatmap');
    expect(result.missing).toContain('roc-curves');
    expect(html).toContain('data-chart="high-value-ratios"');
    expect(html).toContain('data-missing="risk-heatmap"');
    expect(html).toContain(NO_CRM);
    expect(html).toContain(NO_MODEL);
    expect(html).toContain('run of 2024-10-31');
    expect(html).toContain('Alpha &lt;Co&gt;');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it('draws the model and risk charts when the run has their files', async () => {
    // Prepare
    const store = usageOnlyRun();
    store.files.set(
      'hv_predictions_testset.csv',
      Buffer.from(
        'account_id,label,p_forest,p_baseline\na1,1,0.9,0.6\na2,0,0.2,0.7\na3,0,0.1,0.1\n',
      ),
    );
    store.files.set(
      'feature_importances.csv',
      Buffer.from('feature,forest_importance_mean,forest_importance_std\nsum_minutes,0.2,0.01\n'),
    );
    store.files.set(
      'risk_matrix_counts.csv',
      Buffer.from(
        'industry,account_size_segment,accounts,high_risk_accounts,high_risk_rate,rate_ci_low,rate_ci_high,thin\nRetail,Large,12,6,0.5,0.25,0.75,false\nMedia,Large,2,2,1,0.34,1,true\n',
      ),
    );
    store.files.set(
      'tier_summary.csv',
      Buffer.from('tier,accounts,total_predicted_6m_revenue\nA,1,100\nB,1,50\nC,1,1\n'),
    );
    store.files.set(
      'data_quality.json',
      Buffer.from(
        JSON.stringify({ as_of: '2024-10-31', sources: ['pendo', 'salesforce'], tables: {} }),
      ),
    );
    // Act
    const result = await buildReport(store, { asOf: '2024-11-01' });
    const html = Buffer.from(await store.get('report.html')).toString('utf8');
    // Assess
    for (const chart of [
      'permutation-importance',
      'model-comparison',
      'roc-curves',
      'calibration',
      'risk-heatmap',
      'tier-summary',
    ])
      expect(result.charts).toContain(chart);
    expect(html).toContain('run of 2024-11-01');
    expect(html).toContain('6/12');
    expect(html).toContain('2/2*');
  });
});

describe('Function: buildReportFromRunDir', () => {
  it('writes report.html into the run folder and returns its path', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'cvs-report-'));
    writeFileSync(join(dir, 'account_scores.csv'), [HEADER, ...ROWS].join('\n'));
    try {
      // Act
      const { reportPath } = await buildReportFromRunDir(dir);
      // Assess
      expect(reportPath).toBe(join(dir, 'report.html'));
      expect(readFileSync(reportPath, 'utf8')).toContain('data-chart="trend-counts"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
