/**
 * `npm run docs:examples`: runs the daily pipeline on the default sample and writes its real output into the
 * README blocks `summary-example` and `alert-example`, so the examples there are generated, never hand-written.
 */

import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { runSummary } from '../../shared/cli/summary.ts';
import { parseConfig } from '../../shared/config/load.ts';
import { generateSample } from '../../shared/generate/index.ts';
import type { AlertDigestResult } from '../../shared/insights/index.ts';
import { runLocalPipeline } from '../../shared/pipeline/runLocal.ts';

const root = resolve(import.meta.dirname, '..', '..');
const work = join(root, '.cvs', 'docs');
const data = join(work, 'sample-data');
const out = join(work, 'out');

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->`. */
function replaceBlock(text: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`README has no ${name} block`);
  return `${text.slice(0, i + start.length)}\n${body}\n${text.slice(j)}`;
}

if (!existsSync(join(data, '_generator.json'))) await generateSample({ outDir: data });
await rm(out, { recursive: true, force: true });
const result = await runLocalPipeline({ input: data, out, config: parseConfig({}) });
const display = (s: string) => s.replaceAll(out, 'out').replaceAll(data, 'sample-data');
const summary = display(await runSummary(result));
const digests = JSON.parse(
  await readFile(join(result.runDir, 'alerts', 'digests.json'), 'utf8'),
) as AlertDigestResult;
const steps = result.state.steps['risk-and-revenue'] as { riskiestSegments?: string[] };
const riskiest = steps?.riskiestSegments?.[0]?.split(':')[0];
const message =
  digests.messages.find((m) => m.attributes.segment === riskiest) ??
  digests.messages.find((m) => m.attributes.severity === 'high') ??
  digests.messages[0];
const alert = message
  ? display(
      `Subject: ${message.subject}\nAttributes: ${Object.entries(message.attributes)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}\n\n${message.body}`,
    )
  : '(no digest: the sample produced no alert)';
const readmePath = join(root, 'README.md');
let readme = await readFile(readmePath, 'utf8');
readme = replaceBlock(readme, 'summary-example', `\`\`\`text\n${summary}\n\`\`\``);
readme = replaceBlock(readme, 'alert-example', `\`\`\`text\n${alert}\n\`\`\``);
await writeFile(readmePath, readme);
console.log(
  `README examples updated from the run of ${result.asOf} (${digests.messages.length} digests)`,
);
