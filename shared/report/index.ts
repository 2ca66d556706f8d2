/** The run report: one self-contained HTML page per run, charts rendered with Vega-Lite in Node. */
export * from './accountSections.ts';
export * from './buildReport.ts';
export * from './classifierSections.ts';
export * from './renderChartSvg.ts';
export * from './renderReportHtml.ts';
export * from './reportInputs.ts';
export * from './reportSections.ts';
export * from './reportTables.ts';
