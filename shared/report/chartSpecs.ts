import type { TopLevelSpec } from 'vega-lite';
import type { HighValueRatio, SegmentProfileCell } from './accountSections.ts';
import type { MetricValue } from './classifierSections.ts';

/** Shared look: report fonts and colours, no actions, a white background. */
const CONFIG = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  axis: { labelFontSize: 11, titleFontSize: 11 },
  legend: { labelFontSize: 11, titleFontSize: 11 },
  view: { stroke: null },
};

const MODEL_COLORS = {
  domain: ['Forest', '2-D baseline', 'Composite value index'],
  range: ['#1f6feb', '#9aa4ae', '#d29922'],
};

const base = (width: number, height: number) => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  width,
  height,
  config: CONFIG,
  background: 'white',
});

/** Horizontal bars of permutation importance (mean AUC drop) with a +/- 1 std rule. */
export function importanceSpec(
  rows: { feature: string; mean: number; std: number }[],
): TopLevelSpec {
  const values = rows.map((r) => ({ ...r, lo: r.mean - r.std, hi: r.mean + r.std }));
  const y = { field: 'feature', type: 'nominal', sort: null, title: null } as const;
  return {
    ...base(400, Math.max(120, rows.length * 18)),
    data: { values },
    layer: [
      {
        mark: { type: 'bar', color: '#1f6feb' },
        encoding: {
          y,
          x: { field: 'mean', type: 'quantitative', title: 'mean drop in AUC when shuffled' },
        },
      },
      {
        mark: { type: 'rule', color: '#333' },
        encoding: { y, x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } },
      },
    ],
  } as TopLevelSpec;
}

/** Bars of the high-value / others ratio per seed-001 dimension, labelled "4.7x", with a rule at 1. */
export function highValueRatioSpec(rows: HighValueRatio[]): TopLevelSpec {
  const values = rows
    .filter((r) => r.ratio !== null)
    .map((r) => ({
      dimension: r.dimension,
      ratio: r.ratio,
      label: `${(r.ratio as number).toFixed(1)}x`,
    }));
  const y = { field: 'dimension', type: 'nominal', title: null, sort: null } as const;
  // Room right of the longest bar for its "4.7x" label.
  const top = Math.max(1, ...values.map((v) => v.ratio as number)) * 1.15;
  return {
    ...base(420, 150),
    data: { values },
    layer: [
      {
        mark: { type: 'bar', color: '#2da44e' },
        encoding: {
          y,
          x: {
            field: 'ratio',
            type: 'quantitative',
            title: 'high-value mean / others mean',
            scale: { domain: [0, top] },
          },
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 4 },
        encoding: { y, x: { field: 'ratio', type: 'quantitative' }, text: { field: 'label' } },
      },
      {
        data: { values: [{ one: 1 }] },
        mark: { type: 'rule', strokeDash: [4, 3] },
        encoding: { x: { field: 'one', type: 'quantitative' } },
      },
    ],
  } as TopLevelSpec;
}

/** Grouped bars: forest vs 2-D baseline on accuracy, precision, recall and AUC (0-1). */
export function modelComparisonSpec(values: MetricValue[]): TopLevelSpec {
  return {
    ...base(110, 200),
    data: { values },
    mark: 'bar',
    encoding: {
      column: {
        field: 'metric',
        type: 'nominal',
        title: null,
        sort: ['accuracy', 'precision', 'recall', 'auc'],
      },
      x: { field: 'model', type: 'nominal', title: null, axis: { labels: false, ticks: false } },
      y: { field: 'value', type: 'quantitative', scale: { domain: [0, 1] }, title: null },
      color: { field: 'model', type: 'nominal', scale: MODEL_COLORS, title: 'model' },
      tooltip: [{ field: 'value', format: '.3f' }],
    },
  } as TopLevelSpec;
}

/** ROC curves of both models with the chance diagonal. */
export function rocSpec(
  points: { model: string; fpr: number; tpr: number; order: number }[],
): TopLevelSpec {
  return {
    ...base(300, 300),
    layer: [
      {
        data: { values: [{ a: 0 }, { a: 1 }] },
        mark: { type: 'line', color: '#bbb', strokeDash: [4, 3] },
        encoding: {
          x: { field: 'a', type: 'quantitative' },
          y: { field: 'a', type: 'quantitative' },
        },
      },
      {
        data: { values: points },
        mark: { type: 'line', interpolate: 'step-after' },
        encoding: {
          x: {
            field: 'fpr',
            type: 'quantitative',
            title: 'false positive rate',
            scale: { domain: [0, 1] },
          },
          y: {
            field: 'tpr',
            type: 'quantitative',
            title: 'true positive rate',
            scale: { domain: [0, 1] },
          },
          color: { field: 'model', type: 'nominal', scale: MODEL_COLORS },
          order: { field: 'order', type: 'quantitative' },
        },
      },
    ],
  } as TopLevelSpec;
}

/** Reliability curve: observed rate vs mean predicted probability per bin, point size by count. */
export function calibrationSpec(
  points: { model: string; meanPredicted: number; observedRate: number; count: number }[],
): TopLevelSpec {
  const x = {
    field: 'meanPredicted',
    type: 'quantitative',
    title: 'mean predicted probability',
    scale: { domain: [0, 1] },
  };
  const y = {
    field: 'observedRate',
    type: 'quantitative',
    title: 'observed high-value rate',
    scale: { domain: [0, 1] },
  };
  const color = { field: 'model', type: 'nominal', scale: MODEL_COLORS };
  return {
    ...base(300, 300),
    layer: [
      {
        data: { values: [{ a: 0 }, { a: 1 }] },
        mark: { type: 'line', color: '#bbb', strokeDash: [4, 3] },
        encoding: {
          x: { field: 'a', type: 'quantitative' },
          y: { field: 'a', type: 'quantitative' },
        },
      },
      { data: { values: points }, mark: 'line', encoding: { x, y, color } },
      {
        data: { values: points },
        mark: { type: 'point', filled: true },
        encoding: {
          x,
          y,
          color,
          size: { field: 'count', type: 'quantitative', title: 'accounts' },
        },
      },
    ],
  } as TopLevelSpec;
}

/** Heatmap of segment x feature: mean relative to all accounts (1 = average), value in each cell. */
export function segmentProfileSpec(cells: SegmentProfileCell[]): TopLevelSpec {
  const values = cells.map((c) => ({
    ...c,
    row: `${c.segment} (${c.accounts})`,
    text: c.index === null ? 'n/a' : `${c.index.toFixed(2)}`,
    // Colour on log2 of the ratio, clipped to [-2, 2] (a quarter to 4x average): 0 and n/a stay drawable.
    shade: c.index === null || c.index <= 0 ? null : Math.max(-2, Math.min(2, Math.log2(c.index))),
  }));
  const enc = {
    x: { field: 'feature', type: 'nominal', title: null, axis: { labelAngle: -30 } },
    y: { field: 'row', type: 'nominal', title: 'segment (accounts)' },
  };
  return {
    ...base(400, Math.max(90, new Set(values.map((v) => v.row)).size * 34)),
    data: { values },
    layer: [
      {
        mark: 'rect',
        encoding: {
          ...enc,
          color: {
            field: 'shade',
            type: 'quantitative',
            title: 'log2(x average)',
            scale: { scheme: 'blueorange', domain: [-2, 2] },
          },
        },
      },
      { mark: { type: 'text', fontSize: 11 }, encoding: { ...enc, text: { field: 'text' } } },
    ],
  } as TopLevelSpec;
}

/** Industry x size heatmap of the high-risk rate; "k/n" in each cell, thin cells faded and starred. */
export function riskHeatmapSpec(
  cells: { industry: string; size: string; rate: number; label: string; thin: boolean }[],
  sizeOrder: string[],
): TopLevelSpec {
  const enc = {
    x: {
      field: 'size',
      type: 'nominal',
      title: 'account size',
      sort: sizeOrder,
      axis: { labelAngle: 0 },
    },
    y: { field: 'industry', type: 'nominal', title: null },
  };
  return {
    ...base(
      Math.max(300, sizeOrder.length * 110),
      Math.max(120, new Set(cells.map((c) => c.industry)).size * 26),
    ),
    data: { values: cells },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white' },
        encoding: {
          ...enc,
          color: {
            field: 'rate',
            type: 'quantitative',
            title: 'high-risk rate',
            scale: { scheme: 'reds', domain: [0, 1] },
            legend: { format: '.0%' },
          },
          opacity: { condition: { test: 'datum.thin', value: 0.45 }, value: 1 },
        },
      },
      {
        mark: { type: 'text', fontSize: 11 },
        encoding: {
          ...enc,
          text: { field: 'label' },
          color: {
            condition: { test: 'datum.rate > 0.6 && !datum.thin', value: 'white' },
            value: 'black',
          },
        },
      },
    ],
  } as TopLevelSpec;
}

/** Grouped bars of a category count per group (e.g. Up / Flat / Down accounts per horizon). */
export function groupedCountSpec(
  values: object[],
  group: string,
  category: string,
  measure: string,
  categories: string[],
  colors: string[],
  yTitle: string,
  format = '',
): TopLevelSpec {
  return {
    ...base(90, 200),
    data: { values },
    mark: 'bar',
    encoding: {
      column: { field: group, type: 'nominal', title: null },
      x: { field: category, type: 'nominal', title: null, sort: categories },
      y: {
        field: measure,
        type: 'quantitative',
        title: yTitle,
        ...(format ? { axis: { format } } : {}),
      },
      color: {
        field: category,
        type: 'nominal',
        scale: { domain: categories, range: colors },
        legend: null,
      },
    },
  } as TopLevelSpec;
}

/** Tier summary: accounts and total predicted 6-month revenue per contribution tier, side by side. */
export function tierSummarySpec(
  rows: { tier: string; accounts: number; revenue: number }[],
): TopLevelSpec {
  const x = {
    field: 'tier',
    type: 'nominal',
    title: 'tier',
    sort: ['A', 'B', 'C'],
    axis: { labelAngle: 0 },
  };
  const color = {
    field: 'tier',
    type: 'nominal',
    scale: { domain: ['A', 'B', 'C'], range: ['#2da44e', '#d4a72c', '#cf222e'] },
    legend: null,
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    config: CONFIG,
    background: 'white',
    data: { values: rows },
    hconcat: [
      {
        width: 180,
        height: 180,
        mark: 'bar',
        encoding: { x, y: { field: 'accounts', type: 'quantitative', title: 'accounts' }, color },
      },
      {
        width: 180,
        height: 180,
        mark: 'bar',
        encoding: {
          x,
          y: {
            field: 'revenue',
            type: 'quantitative',
            title: 'predicted 6-month revenue',
            axis: { format: '~s' },
          },
          color,
        },
      },
    ],
  } as TopLevelSpec;
}
