import { FolderStore } from '../../shared/adapters/local/folderStore.ts';
import { readCsvRows } from '../../shared/io/csvTable.ts';
import type { Row } from '../../shared/ports/index.ts';

/**
 * `npm run bench -- segments --run OUT/runs/<as-of>`: how the k-means value segments (value_segment) and the value
 * tiers cut on the value index (value_tier) split a run's accounts: share per segment, value-index range, median won
 * amount (an outcome neither method sees), and how often the segment order agrees with the won amount and with the
 * value index over account pairs in different segments (1 = always).
 */

const ORDER: Record<string, number> = { 'High value': 2, 'Medium value': 1, 'Low value': 0 };
const num = (v: Row[string] | undefined) => (typeof v === 'number' ? v : null);

function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Share of pairs (in different segments, different values) where segment order and value agree. */
function concordance(pairs: { seg: number; v: number }[]): number | null {
  let agree = 0;
  let total = 0;
  for (let i = 0; i < pairs.length; i++)
    for (let j = i + 1; j < pairs.length; j++) {
      const ds = pairs[i].seg - pairs[j].seg;
      const dv = pairs[i].v - pairs[j].v;
      if (ds === 0 || dv === 0) continue;
      total++;
      if (ds * dv > 0) agree++;
    }
  return total ? agree / total : null;
}

/** The comparison table of both segmentations of one run. */
export async function runValueTierBench(runDir: string) {
  const rows = (await readCsvRows(new FolderStore(runDir), 'account_scores.csv')).filter(
    (r) => num(r.value_index) !== null,
  );
  return ['value_segment', 'value_tier'].flatMap((column) => {
    const scored = rows.filter((r) => typeof r[column] === 'string' && r[column] in ORDER);
    const won = concordance(
      scored
        .filter((r) => num(r.total_won_amount) !== null)
        .map((r) => ({ seg: ORDER[String(r[column])], v: num(r.total_won_amount) as number })),
    );
    const vi = concordance(
      scored.map((r) => ({ seg: ORDER[String(r[column])], v: num(r.value_index) as number })),
    );
    return Object.keys(ORDER).map((name) => {
      const members = scored.filter((r) => r[column] === name);
      const v = members.map((r) => num(r.value_index) as number);
      const w = members.map((r) => num(r.total_won_amount)).filter((x): x is number => x !== null);
      return {
        method: column === 'value_tier' ? 'cut on value index' : 'k-means (seed 003)',
        segment: name,
        share: Number((members.length / rows.length).toFixed(3)),
        'value index range': v.length
          ? `${v.reduce((a, b) => Math.min(a, b)).toFixed(3)}-${v.reduce((a, b) => Math.max(a, b)).toFixed(3)}`
          : '-',
        'median won': median(w) === null ? null : Math.round(median(w) as number),
        'order agrees with won': won === null ? null : Number(won.toFixed(3)),
        'order agrees with value index': vi === null ? null : Number(vi.toFixed(3)),
      };
    });
  });
}
