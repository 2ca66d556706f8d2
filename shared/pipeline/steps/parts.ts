import type { CsvTable } from '../../io/csvTable.ts';
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

/**
 * `mergeParts` on tables of cells: the same columns in the same order and the same values, with `undefined` where
 * an account has no row in a part (`mergeParts` leaves that key out). The first table's rows are filled in place
 * (an account_id listed twice keeps its last row, at its first place, as in `mergeParts`).
 */
export function mergePartTables(parts: readonly CsvTable[]): CsvTable {
  const [base, ...rest] = parts;
  const columns = base.rows.length ? [...base.columns] : [];
  const idAt = base.columns.indexOf('account_id');
  const byId = new Map(base.rows.map((r) => [String(r[idAt]), r]));
  for (const part of rest) {
    if (!part.rows.length) continue;
    const from = part.columns.flatMap((c, i) => (columns.includes(c) ? [] : [i]));
    const at = columns.length;
    columns.push(...from.map((i) => part.columns[i]));
    const partId = part.columns.indexOf('account_id');
    for (const r of part.rows) {
      const target = byId.get(String(r[partId]));
      if (!target) continue;
      for (let k = 0; k < from.length; k++) target[at + k] = r[from[k]];
    }
  }
  return { columns, rows: [...byId.values()] };
}
