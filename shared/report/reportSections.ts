import type { TopLevelSpec } from 'vega-lite';
import { SIZE_ORDER } from '../insights/riskMatrix.ts';
import { RUN_KEYS } from '../pipeline/steps/keys.ts';
import {
  highValueRatios,
  numberOf,
  type SegmentProfileCell,
  segmentProfile,
  trendCounts,
  trendMethodsText,
} from './accountSections.ts';
import {
  calibrationSpec,
  groupedCountSpec,
  highValueRatioSpec,
  importanceSpec,
  modelComparisonSpec,
  riskHeatmapSpec,
  rocSpec,
  segmentProfileSpec,
  tierSummarySpec,
} from './chartSpecs.ts';
import {
  calibrationPoints,
  importanceRows,
  modelComparison,
  noModelReason,
  rocPoints,
} from './classifierSections.ts';
import type { ReportInputs } from './reportInputs.ts';

/** One chart of the report: a Vega-Lite spec to render, or the reason its data is missing. */
export interface ChartSection {
  /** Stable name, used as the container's `data-chart` (or `data-missing`) attribute. */
  readonly name: string;
  readonly title: string;
  /** One or two sentences under the title. */
  readonly caption: string;
  /** The chart; absent when the data is missing. */
  readonly spec?: TopLevelSpec;
  /** Why there is no chart (shown instead of an empty one). */
  readonly missing?: string;
}

/** True when the run has CRM data (Salesforce exports, or any account with a CRM health score). */
export function hasCrm(inputs: ReportInputs): boolean {
  const sources = inputs.dataQuality?.sources;
  if (Array.isArray(sources) && sources.includes('salesforce')) return true;
  return inputs.accounts.some((r) => numberOf(r.crm_health_score) !== null);
}

/** Message for sections that need the classifier when the run has none of its outputs. */
export const NO_MODEL =
  'No classifier model in this run yet: model_metrics.json, feature_importances.csv and hv_predictions_testset.csv are not in the run folder (no champion model, or too little data to train one).';

/** Message for sections that need CRM data when the exports have none. */
export const NO_CRM =
  'No CRM data in this run: the Salesforce exports were not provided, so there is no CRM health score, risk matrix or revenue tier.';

const missingFile = (file: string, what: string) =>
  `${file} is not in this run folder, so there is no ${what} to show (the step that writes it did not run).`;

function segmentSection(inputs: ReportInputs, k: 3 | 5): ChartSection {
  const column = k === 3 ? 'value_segment' : 'cluster';
  const name = `segment-profile-k${k}`;
  const title = k === 3 ? 'Value segments (k = 3)' : 'Behavioural clusters (k = 5)';
  const caption = `Mean of each feature in the segment divided by the mean of all segmented accounts (1.00 = average); column \`${column}\`.`;
  const cells: SegmentProfileCell[] = segmentProfile(inputs.accounts, column);
  if (cells.length === 0)
    return {
      name,
      title,
      caption,
      missing: `No ${k === 3 ? 'value segments' : 'clusters'} in this run: account_scores.csv has no \`${column}\` values (the k-means segments come with the classifier model).`,
    };
  return { name, title, caption, spec: segmentProfileSpec(cells) };
}

function riskSection(inputs: ReportInputs, crm: boolean): ChartSection {
  const name = 'risk-heatmap';
  const title = 'High-risk accounts by industry x size';
  const min = (inputs.riskMatrix ?? [])
    .filter((r) => r.thin !== true)
    .map((r) => numberOf(r.accounts) ?? 0);
  const caption = `Share of accounts with CRM health below 50 in each cell; "high-risk/accounts" in the cell. Faded cells marked * are thin (fewer accounts than the configured minimum${min.length ? `, ${Math.min(...min)} in the smallest full cell` : ''}): read their rate with care.`;
  if (!crm) return { name, title, caption, missing: NO_CRM };
  if (!inputs.riskMatrix || inputs.riskMatrix.length === 0)
    return { name, title, caption, missing: missingFile(RUN_KEYS.riskMatrix, 'risk matrix') };
  const cells = inputs.riskMatrix.map((r) => {
    const n = numberOf(r.accounts) ?? 0;
    const k = numberOf(r.high_risk_accounts) ?? 0;
    const thin = r.thin === true;
    return {
      industry: String(r.industry ?? 'Unknown'),
      size: String(r.account_size_segment ?? 'Unknown'),
      rate: numberOf(r.high_risk_rate) ?? (n ? k / n : 0),
      label: `${k}/${n}${thin ? '*' : ''}`,
      thin,
    };
  });
  const sizes = [...new Set(cells.map((c) => c.size))];
  const order = [
    ...SIZE_ORDER.filter((s) => sizes.includes(s)),
    ...sizes.filter((s) => !SIZE_ORDER.includes(s)),
  ];
  return { name, title, caption, spec: riskHeatmapSpec(cells, order) };
}

function backtestSection(inputs: ReportInputs): ChartSection {
  const name = 'trend-backtest';
  const title = 'Trend backtest: direction hit rate';
  const caption =
    "Share of (account, origin) pairs whose call Up / Flat / Down matched the account's corrected usage change that followed, for the shipped method, all Flat and persistence (the last change continues) on the same pairs. The outcome is observed usage, not value: a method can win here and lose against the value (docs/evaluation.md, the 730-day check).";
  const horizons = (inputs.trendBacktest?.horizons ?? null) as Record<
    string,
    Record<string, unknown>
  > | null;
  if (!horizons)
    return { name, title, caption, missing: missingFile(RUN_KEYS.trendBacktest, 'backtest') };
  const values: { horizon: string; method: string; hitRate: number }[] = [];
  const notes: string[] = [];
  for (const [h, label] of [
    ['3m', '3 months'],
    ['6m', '6 months'],
  ]) {
    const bt = horizons[h];
    if (!bt) continue;
    if (bt.evaluable !== true) {
      notes.push(`${label}: ${typeof bt.note === 'string' ? bt.note : 'not evaluable yet'}`);
      continue;
    }
    for (const [key, method] of [
      ['model', 'shipped method'],
      ['flat', 'all Flat'],
      ['lastChange', 'persistence'],
    ]) {
      const rate = numberOf((bt[key] as Record<string, unknown> | undefined)?.hitRate);
      if (rate !== null) values.push({ horizon: label, method, hitRate: rate });
    }
  }
  const noteText = notes.length ? ` Not shown: ${notes.join('; ')}.` : '';
  if (values.length === 0)
    return {
      name,
      title,
      caption,
      missing: `No backtest yet: the daily metrics hold too few weeks before the as-of.${noteText}`,
    };
  return {
    name,
    title,
    caption: caption + noteText,
    spec: groupedCountSpec(
      values,
      'horizon',
      'method',
      'hitRate',
      ['shipped method', 'all Flat', 'persistence'],
      ['#1f6feb', '#9aa4ae', '#d4a72c'],
      'hit rate',
      '.0%',
    ),
  };
}

/** The report's charts in page order, each with its spec or the reason its data is missing. */
export function reportSections(inputs: ReportInputs): ChartSection[] {
  const crm = hasCrm(inputs);
  const importance = importanceRows(inputs.featureImportances);
  const comparison = modelComparison(inputs.modelMetrics, inputs.testSet);
  const roc = rocPoints(inputs.testSet);
  const calibration = calibrationPoints(inputs.testSet);
  const ratios = highValueRatios(inputs.accounts);
  const trends = trendCounts(inputs.accounts);
  const tiers = (inputs.tierSummary ?? []).map((r) => ({
    tier: String(r.tier),
    accounts: numberOf(r.accounts) ?? 0,
    revenue: numberOf(r.total_predicted_6m_revenue) ?? 0,
  }));
  const modelMissing =
    noModelReason(inputs.modelMetrics) ?? (inputs.modelMetrics || inputs.testSet ? null : NO_MODEL);
  const chart = (
    name: string,
    title: string,
    caption: string,
    spec: TopLevelSpec | null,
    missing: string,
  ) => (spec ? { name, title, caption, spec } : { name, title, caption, missing });
  return [
    chart(
      'permutation-importance',
      'What the forest relies on: permutation importance',
      'Mean drop of the holdout AUC when one feature is shuffled (bar), +/- one standard deviation over the repeats (line); top 20 features.',
      importance.length ? importanceSpec(importance) : null,
      inputs.featureImportances
        ? 'feature_importances.csv has no rows.'
        : (modelMissing ?? NO_MODEL),
    ),
    chart(
      'high-value-ratios',
      'High-value vs other customers (seed 001)',
      'Mean of high-value accounts (top 20% of the quintile scorecard) divided by the mean of the others, on the four dimensions of seed 001.',
      ratios.some((r) => r.ratio !== null) ? highValueRatioSpec(ratios) : null,
      'No ratio can be computed: account_scores.csv has no high-value flag (high_value_quintile) on both sides, or the four dimensions are empty.',
    ),
    chart(
      'model-comparison',
      'Forest vs the 2-D baseline',
      `Accuracy, precision, recall and ROC AUC on the same holdout; the baseline is the old two-metric model (sum_minutes + sum_events). Source: ${comparison.source || 'none'}.`,
      comparison.values.length ? modelComparisonSpec(comparison.values) : null,
      modelMissing ??
        'model_metrics.json has no metrics for both models and there is no test set to compute them from.',
    ),
    chart(
      'roc-curves',
      'ROC curves',
      'True vs false positive rate as the probability threshold falls, both models on the holdout (hv_predictions_testset.csv); dashed: chance.',
      roc.length ? rocSpec(roc) : null,
      modelMissing ?? missingFile(RUN_KEYS.testSet, 'ROC curve'),
    ),
    chart(
      'calibration',
      'Calibration (reliability) curve',
      'Observed high-value rate vs mean predicted probability in 10 equal-width bins; points sized by accounts; dashed: perfect calibration.',
      calibration.length ? calibrationSpec(calibration) : null,
      modelMissing ?? missingFile(RUN_KEYS.testSet, 'calibration curve'),
    ),
    segmentSection(inputs, 3),
    segmentSection(inputs, 5),
    riskSection(inputs, crm),
    chart(
      'trend-counts',
      'Value trends: Up / Flat / Down',
      `Accounts per forecast direction of their own usage at 3 and 6 months: active visitor-days over the trailing 91 days, corrected for the population's median change, Up above +10 %, Down below -10 %. ${trendMethodsText(inputs.trendBacktest)}`.trim(),
      trends.some((t) => t.accounts > 0)
        ? groupedCountSpec(
            trends,
            'horizon',
            'trend',
            'accounts',
            ['Up', 'Flat', 'Down'],
            ['#2da44e', '#9aa4ae', '#cf222e'],
            'accounts',
          )
        : null,
      'No trends in this run: account_scores.csv has no trend_3m / trend_6m values (the value-trends step did not run or had no history).',
    ),
    backtestSection(inputs),
    chart(
      'tier-summary',
      'Contribution tiers (6-month revenue)',
      'Accounts and total predicted 6-month revenue per tier: A above the 75th percentile, C below the 25th, B between.',
      crm && tiers.length ? tierSummarySpec(tiers) : null,
      crm ? missingFile(RUN_KEYS.tierSummary, 'tier summary') : NO_CRM,
    ),
  ];
}
