import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { LocalRunResult } from '../pipeline/runLocal.ts';

/** Formats a number for a summary line (thousands separators, up to 1 decimal). */
const fmt = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 1 });

/** A short text summary of a finished run: accounts, quarantine, top accounts, where the outputs are. */
export async function runSummary(result: LocalRunResult): Promise<string> {
  const rows: Record<string, string>[] = parse(
    await readFile(join(result.runDir, 'account_scores.csv')),
    {
      columns: true,
    },
  );
  const dq = JSON.parse(await readFile(join(result.runDir, 'data_quality.json'), 'utf8'));
  const tables = Object.entries(
    dq.tables as Record<string, { present?: boolean; rows_quarantined?: number }>,
  );
  const quarantined = tables.reduce((s, [, t]) => s + (t.rows_quarantined ?? 0), 0);
  const byTable = tables
    .filter(([, t]) => (t.rows_quarantined ?? 0) > 0)
    .map(([name, t]) => `${name} ${fmt(t.rows_quarantined ?? 0)}`)
    .join(', ');
  const scored = rows.filter((r) => r.value_index !== '');
  const top = [...scored].sort((a, b) => Number(b.value_index) - Number(a.value_index)).slice(0, 5);
  const withCrm = rows.filter((r) => r.crm_health_score !== '');
  const highRisk = withCrm.filter((r) => r.high_risk === 'true').length;
  const lines = [
    `CVS run ${result.asOf}`,
    `  accounts scored: ${fmt(rows.length)} (${fmt(scored.length)} with product usage, ${fmt(withCrm.length)} with CRM)`,
    `  rows quarantined: ${fmt(quarantined)}${byTable ? ` (${byTable})` : ''}`,
    `  high-risk accounts (CRM health < 50): ${fmt(highRisk)} of ${fmt(withCrm.length)}`,
    '  top accounts by value index:',
    ...top.map(
      (r, i) =>
        `    ${i + 1}. ${r.account_id}${r.account_name ? ` (${r.account_name})` : ''}  value index ${Number(r.value_index).toFixed(3)}  product health ${Number(r.product_health_score).toFixed(0)}${r.crm_health_score ? `  CRM health ${Number(r.crm_health_score).toFixed(0)}` : ''}`,
    ),
    ...(dq.notes?.length ? ['  notes:', ...dq.notes.map((n: string) => `    - ${n}`)] : []),
    `  outputs: ${result.runDir}/ (account_scores.csv, data_quality.json, manifest.json)`,
  ];
  return lines.join('\n');
}
