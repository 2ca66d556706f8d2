import type { CsvTable } from '../../io/csvTable.ts';
import type { Row } from '../../ports/index.ts';

/**
 * Merges per-account parts by account_id one part at a time, so a caller can read the next part after the last one
 * is merged and dropped: the first part's rows fix the accounts and their order, a later part adds its columns not
 * already present to the accounts it shares; an account only in a later part is left out. The first part's rows are
 * copied, or with `inPlace` filled in place (for a caller that drops them: no second copy of the largest part).
 */
export class PartMerger {
  constructor(private readonly options: { inPlace?: boolean } = {}) {}

  private readonly byId = new Map<string, Row>();
  private readonly present = new Set<string>();
  /** The merged columns, in the order they were added. */
  readonly columns: string[] = [];
  private started = false;

  /** True when an earlier part gave the column (a later part's copy of it is not read). */
  has(column: string): boolean {
    return this.present.has(column);
  }

  add(part: readonly Row[]): void {
    const newCols = part.length ? Object.keys(part[0]).filter((c) => !this.present.has(c)) : [];
    if (!this.started) {
      this.started = true;
      for (const r of part)
        this.byId.set(String(r.account_id), this.options.inPlace ? r : { ...r });
    } else {
      for (const r of part) {
        const target = this.byId.get(String(r.account_id));
        if (!target) continue;
        for (const c of newCols) target[c] = r[c];
      }
    }
    for (const c of newCols) this.present.add(c);
    this.columns.push(...newCols);
  }

  /** The merged rows, one per account of the first part; the merger is empty afterwards (it holds no second index). */
  takeRows(): Row[] {
    const rows = [...this.byId.values()];
    this.byId.clear();
    return rows;
  }
}

/** Merges the per-account part tables by account_id, features first; a column already present is not replaced. */
export function mergeParts(parts: readonly Row[][]): { rows: Row[]; columns: string[] } {
  const merger = new PartMerger();
  for (const part of parts) merger.add(part);
  return { rows: merger.takeRows(), columns: merger.columns };
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
