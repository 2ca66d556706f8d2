import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FolderStore } from '../../../shared/adapters/local/folderStore.ts';
import { parseConfig } from '../../../shared/config/load.ts';
import { generateSample } from '../../../shared/generate/index.ts';
import { readCsvRows } from '../../../shared/io/csvTable.ts';
import { runLocalPipeline } from '../../../shared/pipeline/runLocal.ts';
import { RUN_KEYS } from '../../../shared/pipeline/steps/keys.ts';
import type { Row } from '../../../shared/ports/index.ts';
import { renderReportHtml } from '../../../shared/report/renderReportHtml.ts';
import {
  loadReportInputs,
  REPORT_ACCOUNT_COLUMNS,
  type ReportInputs,
} from '../../../shared/report/reportInputs.ts';
import { reportSections } from '../../../shared/report/reportSections.ts';

/** The report's sections (chart specs and notices) and its HTML, from the given inputs. */
function render(inputs: ReportInputs): { sections: string; html: string } {
  const sections = reportSections(inputs);
  return {
    sections: JSON.stringify(sections),
    html: renderReportHtml(inputs, sections, '2024-11-01T00:00:00.000Z'),
  };
}

// build-report reads only REPORT_ACCOUNT_COLUMNS of account_scores.csv: the report must not change for it.
describe('report: the account columns it reads', () => {
  let root: string;
  const runs: string[] = [];
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'cvs-report-columns-'));
    const input = join(root, 'data');
    await generateSample({ outDir: input, accounts: 240, seed: 13, asOf: '2024-10-31' });
    for (const name of ['first', 'second']) {
      // the second run of the same output folder has a previous run: the "what changed" columns are filled
      const { runDir } = await runLocalPipeline({
        input,
        out: join(root, 'out'),
        asOf: name === 'first' ? '2024-10-24' : '2024-10-31',
        config: parseConfig({}),
      });
      runs.push(runDir);
    }
  }, 240_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('touches no column outside REPORT_ACCOUNT_COLUMNS, and renders the same from those columns alone', async () => {
    for (const runDir of runs) {
      const store = new FolderStore(runDir);
      const filtered = await loadReportInputs(store, {});
      const whole = await readCsvRows(store, RUN_KEYS.accountScores);
      expect(whole.length).toBe(filtered.accounts.length);
      expect(Object.keys(whole[0] ?? {}).length).toBeGreaterThan(
        Object.keys(filtered.accounts[0] ?? {}).length,
      );
      const touched = new Set<string>();
      const watched = whole.map(
        (r) =>
          new Proxy(r, {
            get(target, key, receiver) {
              if (typeof key === 'string') touched.add(key);
              return Reflect.get(target, key, receiver);
            },
            has(target, key) {
              if (typeof key === 'string') touched.add(key);
              return Reflect.has(target, key);
            },
            ownKeys(target) {
              touched.add('(every column)');
              return Reflect.ownKeys(target);
            },
          }) as Row,
      );
      const fromWhole = render({ ...filtered, accounts: watched });
      expect([...touched].filter((c) => !REPORT_ACCOUNT_COLUMNS.has(c))).toEqual([]);
      expect(touched.has('why_changed')).toBe(true);
      expect(render(filtered)).toEqual(fromWhole);
    }
  });
});
