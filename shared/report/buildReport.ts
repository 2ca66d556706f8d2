import { tmpdir } from 'node:os';
import { localPorts } from '../adapters/select.ts';
import type { ObjectStore } from '../ports/index.ts';
import { ChartRenderError, renderChartSvg } from './renderChartSvg.ts';
import { type RenderedSection, renderReportHtml } from './renderReportHtml.ts';
import { loadReportInputs } from './reportInputs.ts';
import { reportSections } from './reportSections.ts';

/** The report's key in the run folder. */
export const REPORT_KEY = 'report.html';

/** What buildReport wrote: the key, its size in bytes, and which charts were drawn or missing. */
export interface ReportResult {
  readonly reportKey: string;
  readonly bytes: number;
  readonly charts: string[];
  readonly missing: string[];
}

/**
 * Builds report.html from a run folder's outputs (read and written through the store, so it works on a local folder
 * and on the results bucket alike); nothing is recomputed. `known` passes what the pipeline already has (the as-of
 * date and the step outputs), since manifest.json is written after this step.
 */
export async function buildReport(
  run: ObjectStore,
  known: { asOf?: string; steps?: Record<string, Record<string, unknown>> } = {},
): Promise<ReportResult> {
  const inputs = await loadReportInputs(run, known);
  const sections: RenderedSection[] = [];
  for (const s of reportSections(inputs)) {
    if (!s.spec) {
      sections.push(s);
      continue;
    }
    try {
      sections.push({ ...s, svg: await renderChartSvg(s.spec) });
    } catch (err) {
      // One bad chart must not cost the run its report: the section says what went wrong instead.
      if (!(err instanceof ChartRenderError)) throw err;
      sections.push({ ...s, spec: undefined, missing: `${err.message}.` });
    }
  }
  const html = renderReportHtml(inputs, sections, new Date().toISOString());
  await run.put(REPORT_KEY, html, 'text/html; charset=utf-8');
  return {
    reportKey: REPORT_KEY,
    bytes: Buffer.byteLength(html),
    charts: sections.filter((s) => s.svg).map((s) => s.name),
    missing: sections.filter((s) => !s.svg).map((s) => s.name),
  };
}

/** `cvs report --run DIR`: rebuilds DIR/report.html from the run folder's files and returns its path. */
export async function buildReportFromRunDir(runDir: string): Promise<{ reportPath: string }> {
  const ports = await localPorts({ input: runDir, output: runDir, scratchParent: tmpdir() });
  try {
    await buildReport(ports.output);
    return { reportPath: ports.output.locate(REPORT_KEY) };
  } finally {
    await ports.query.close();
  }
}
