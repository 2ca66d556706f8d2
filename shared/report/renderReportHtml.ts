import { customerSuccessHtml } from './customerSuccessSections.ts';
import type { ReportInputs } from './reportInputs.ts';
import type { ChartSection } from './reportSections.ts';
import {
  escapeHtml,
  missingNotice,
  riskiestSegmentsTable,
  summaryHtml,
  topAtRiskTable,
  topHighValueTable,
} from './reportTables.ts';

/** A chart section with its rendered SVG (absent when the section's data is missing). */
export type RenderedSection = ChartSection & { readonly svg?: string };

const CSS = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#f6f8fa;--accent:#1f6feb}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:#fff}
header{padding:20px 32px 12px;border-bottom:1px solid var(--line);background:var(--bg)}
header h1{margin:0 0 4px;font-size:22px}
header p{margin:0;color:var(--muted)}
main{padding:16px 32px 48px;max-width:1400px}
h2{font-size:18px;margin:28px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:15px;margin:16px 0 6px}
dl.summary{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dl.summary dt{font-weight:600}
dl.summary dd{margin:0}
ul.notes{margin:8px 0;padding-left:20px;color:#9a6700}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:16px}
figure.chart{margin:0;padding:12px;border:1px solid var(--line);border-radius:6px;overflow-x:auto}
figure.chart h3{margin-top:0}
figure.chart svg{max-width:100%;height:auto}
table[data-table=key-metrics]{width:auto;min-width:360px}
.caption,figcaption{color:var(--muted);font-size:13px;margin:0 0 8px}
.missing{margin:0;padding:12px;background:#fff8c5;border:1px solid #d4a72c;border-radius:6px}
table{border-collapse:collapse;width:100%;font-size:13px;margin:4px 0 12px}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--bg)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
nav a{color:var(--accent);margin-right:12px;text-decoration:none}
footer{color:var(--muted);font-size:12px;padding:0 32px 24px}
`;

function chartFigure(s: RenderedSection): string {
  const head = `<h3 id="${escapeHtml(s.name)}">${escapeHtml(s.title)}</h3><figcaption>${escapeHtml(s.caption)}</figcaption>`;
  if (!s.svg)
    return `<figure class="chart">${head}${missingNotice(s.name, s.missing ?? 'No data.')}</figure>`;
  return `<figure class="chart" data-chart="${escapeHtml(s.name)}">${head}${s.svg}</figure>`;
}

const GROUPS: { title: string; id: string; charts: string[] }[] = [
  {
    title: 'The high-value model',
    id: 'model',
    charts: [
      'permutation-importance',
      'high-value-ratios',
      'model-comparison',
      'roc-curves',
      'calibration',
    ],
  },
  { title: 'Segments', id: 'segments', charts: ['segment-profile-k3', 'segment-profile-k5'] },
  { title: 'Risk and revenue', id: 'risk', charts: ['risk-heatmap', 'tier-summary'] },
  { title: 'Trends', id: 'trends', charts: ['trend-counts', 'trend-backtest'] },
];

/**
 * The whole report page: self-contained HTML (inline CSS and SVG, no script, no external resource) with the run
 * summary, the chart groups and the account tables.
 */
export function renderReportHtml(
  inputs: ReportInputs,
  sections: readonly RenderedSection[],
  generatedAt: string,
): string {
  const byName = new Map(sections.map((s) => [s.name, s]));
  const groups = GROUPS.map((g) => {
    const figures = g.charts.flatMap((n) =>
      byName.has(n) ? [chartFigure(byName.get(n) as RenderedSection)] : [],
    );
    return `<section id="${g.id}"><h2>${escapeHtml(g.title)}</h2><div class="grid">${figures.join('\n')}</div></section>`;
  });
  const nav = [
    ['summary', 'Summary'],
    ...GROUPS.map((g) => [g.id, g.title]),
    ['accounts', 'Accounts'],
    ['changes', 'What changed'],
    ['champions', 'Champions'],
  ]
    .map(([id, t]) => `<a href="#${id}">${escapeHtml(t)}</a>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>CVS run report ${escapeHtml(inputs.asOf)}</title>
<style>${CSS}</style></head>
<body>
<header><h1>Customer Value Scoring: run of ${escapeHtml(inputs.asOf)}</h1>
<p>Generated ${escapeHtml(generatedAt)} from the run folder's outputs; nothing was recomputed.</p>
<nav>${nav}</nav></header>
<main>
<section id="summary"><h2>Run summary</h2>${summaryHtml(inputs)}</section>
${groups.join('\n')}
<section id="accounts"><h2>Accounts</h2>
<h3>Top 20 high-value accounts</h3>${topHighValueTable(inputs)}
<h3>Top 20 at-risk accounts</h3>${topAtRiskTable(inputs)}
<h3>Riskiest segments</h3>${riskiestSegmentsTable(inputs)}
</section>
${customerSuccessHtml(inputs)}
</main>
<footer>Charts: Vega-Lite, rendered to SVG in Node. Deliverables (CSV, JSON) are in the same run folder.</footer>
</body></html>
`;
}
