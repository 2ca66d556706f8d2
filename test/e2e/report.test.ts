import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/load.ts';
import { generateSample } from '../../shared/generate/index.ts';
import { runLocalPipeline } from '../../shared/pipeline/runLocal.ts';

/** Debian's chromium (CVS_CHROMIUM overrides the path); CI (.ci/run) installs it when missing. */
const CHROMIUM = process.env.CVS_CHROMIUM || '/usr/bin/chromium';
/** Without a browser the test is skipped on a developer machine, but fails under CI=true. */
const IN_CI = process.env.CI === 'true';
const SKIP = !existsSync(CHROMIUM) && !IN_CI;
if (SKIP)
  console.log(
    `report browser test skipped: ${CHROMIUM} not found (enable it with \`apt-get install -y chromium\`, or set CVS_CHROMIUM to a Chromium binary)`,
  );
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/** Every chart section of the report: drawn, or replaced by a notice saying why its data is missing. */
const SECTIONS = [
  'permutation-importance',
  'high-value-ratios',
  'model-comparison',
  'roc-curves',
  'calibration',
  'segment-profile-k3',
  'segment-profile-k5',
  'risk-heatmap',
  'trend-counts',
  'trend-backtest',
  'tier-summary',
];

describe.skipIf(SKIP)('End to end: the run report in headless Chromium', () => {
  let root: string;
  let runDir: string;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(
        `${CHROMIUM} not found and CI=true: the report test needs Debian's chromium. Install it with \`apt-get update && apt-get install -y chromium\` (.ci/run does this in CI).`,
      );
    root = mkdtempSync(join(tmpdir(), 'cvs-report-e2e-'));
    const input = join(root, 'data');
    await generateSample({ outDir: input, accounts: 200, seed: 11, asOf: '2024-10-31' });
    const result = await runLocalPipeline({
      input,
      out: join(root, 'out'),
      asOf: '2024-10-31',
      config: parseConfig({}),
    });
    runDir = result.runDir;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('renders every chart with marks, logs no console error, and is small and quick to open', async () => {
    // Prepare
    const reportPath = join(runDir, 'report.html');
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    const requests: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith('file://')) requests.push(r.url());
    });
    // Act
    const started = Date.now();
    await page.goto(`file://${reportPath}`, { waitUntil: 'load' });
    const loadMs = Date.now() - started;
    const charts = await page.$$eval('[data-chart]', (els) =>
      els.map((el) => ({
        name: el.getAttribute('data-chart'),
        svgs: el.querySelectorAll('svg').length,
        marks: el.querySelectorAll(
          'svg g.role-mark path, svg g.role-mark rect, svg g.role-mark line, svg g.role-mark text',
        ).length,
      })),
    );
    const missing = await page.$$eval('[data-missing]', (els) =>
      els.map((el) => el.getAttribute('data-missing')),
    );
    const cs = {
      sections: await page
        .locator('section#changes, section#champions, section#segments-made')
        .count(),
      moversNotice: await page.locator('[data-missing="movers"]').count(),
      championRows: await page.locator('[data-table="champions"] tbody tr').count(),
      tierRows: await page.locator('[data-table="value-tiers"] tbody tr').count(),
    };
    await page.screenshot({ path: join(runDir, 'report.png') });
    await page.close();
    // Assess
    const bytes = statSync(reportPath).size;
    console.log(
      `report.html: ${(bytes / 1024).toFixed(0)} KiB, load ${loadMs} ms, charts ${charts.map((c) => c.name).join(', ')}; without data: ${missing.join(', ') || 'none'}`,
    );
    expect(charts.length).toBeGreaterThanOrEqual(4);
    for (const chart of charts) {
      expect(chart.svgs, `${chart.name} has no SVG`).toBe(1);
      expect(chart.marks, `${chart.name} has no marks`).toBeGreaterThan(0);
    }
    const names = charts.map((c) => c.name);
    for (const section of SECTIONS)
      expect(
        names.includes(section) || missing.includes(section),
        `${section} is neither drawn nor explained`,
      ).toBe(true);
    // issue 13: what changed (first run: a notice), champions, how the segments were made
    expect(cs.sections).toBe(3);
    expect(cs.moversNotice).toBe(1);
    expect(cs.championRows).toBeGreaterThan(0);
    expect(cs.tierRows).toBe(3);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    expect(bytes).toBeLessThan(2 * 1024 * 1024);
    expect(loadMs).toBeLessThan(2000);
    expect(statSync(join(runDir, 'report.png')).size).toBeGreaterThan(10_000);
    expect(readFileSync(reportPath, 'utf8')).not.toContain('<script');
  });
});
