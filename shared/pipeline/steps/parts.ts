import type { Row } from '../../ports/index.ts';

/** Merges the per-account part tables by account_id, features first; a column already present is not replaced. */
export function mergeParts(parts: readonly Row[][]): { rows: Row[]; columns: string[] } {
  const [base, ...rest] = parts;
  const columns = base.length ? Object.keys(base[0]) : [];
  const byId = new Map<string, Row>(base.map((r) => [String(r.account_id), { ...r }]));
  for (const part of rest) {
    const newCols = part.length ? Object.keys(part[0]).filter((c) => !columns.includes(c)) : [];
    columns.push(...newCols);
    for (const r of part) {
      const target = byId.get(String(r.account_id));
      if (!target) continue;
      for (const c of newCols) target[c] = r[c];
    }
  }
  return { rows: [...byId.values()], columns };
}
