/**
 * The README's generated examples: runs the daily pipeline on the default sample (1,000 accounts, seed 42, as of
 * 2024-10-31, the default config) and renders the run summary and one alert digest as the README shows them, with
 * the run's folders written `out` and `sample-data`. Used by `npm run docs:examples` (which writes them into the
 * README) and by readmeExamples.test.ts (which checks that the README still shows them).
 */

import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runSummary } from '../../shared/cli/summary.ts';
import { parseConfig } from '../../shared/config/load.ts';
import { generateSample } from '../../shared/generate/index.ts';
import type { AlertDigestResult } from '../../shared/insights/index.ts';
import { runLocalPipeline } from '../../shared/pipeline/runLocal.ts';

/** The README blocks the examples go into. */
export const EXAMPLE_BLOCKS = ['summary-example', 'alert-example'] as const;
export type ExampleBlock = (typeof EXAMPLE_BLOCKS)[number];

/** Where the body of the block `name` starts and ends in `text` (between its start and end markers). */
function blockRange(text: string, name: string): { from: number; to: number } {
  const start = `<!-- ${name}:start -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(`<!-- ${name}:end -->`);
  if (i < 0 || j < i) throw new Error(`README has no ${name} block`);
  return { from: i + start.length, to: j };
}

/** The text between `<!-- name:start -->` and `<!-- name:end -->` (without the newlines around it). */
export function readBlock(text: string, name: string): string {
  const { from, to } = blockRange(text, name);
  return text.slice(from, to).replace(/^\n/, '').replace(/\n$/, '');
}

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->`. */
export function replaceBlock(text: string, name: string, body: string): string {
  const { from, to } = blockRange(text, name);
  return `${text.slice(0, from)}\n${body}\n${text.slice(to)}`;
}

/**
 * Generates the default sample under `work/sample-data` (kept when already there), runs the pipeline into
 * `work/out` and returns each README block's body (a fenced text block) and the number of alert digests.
 */
export async function readmeExamples(
  work: string,
): Promise<{ blocks: Record<ExampleBlock, string>; asOf: string; digests: number }> {
  const data = join(work, 'sample-data');
  const out = join(work, 'out');
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
  const fence = (t: string) => `\`\`\`text\n${t}\n\`\`\``;
  return {
    blocks: { 'summary-example': fence(summary), 'alert-example': fence(alert) },
    asOf: result.asOf,
    digests: digests.messages.length,
  };
}
