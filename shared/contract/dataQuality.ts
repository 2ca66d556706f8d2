import type { SourceName, TableDef } from './tables.ts';

/** One input file of a table as read by the validation. */
export interface FileQuality {
  /** Key relative to the input root, e.g. `pendo/pendo__account/part-1.csv`. */
  readonly key: string;
  /** Size in bytes. */
  readonly size: number;
  /** SHA-256 of the file's bytes, lower-case hex. */
  readonly sha256: string;
  /** Data rows read from the file (header excluded; 0 for an empty file). */
  readonly rows: number;
}

/** What the validation found in one contract table. */
export interface TableQuality {
  readonly source: SourceName;
  /** Contract table name (`pendo__account`, `account`, ...). */
  readonly table: string;
  /** Name of the clean view / Glue table (`pendo__account`, `salesforce__account`, ...). */
  readonly view: string;
  /** True when the table's folder holds at least one CSV or Parquet file. */
  readonly present: boolean;
  readonly files: FileQuality[];
  /** Every data row read, valid + quarantined + deleted. */
  readonly rows_read: number;
  /** Rows in the clean view. */
  readonly rows_valid: number;
  /** Rows written to the quarantine file. */
  readonly rows_quarantined: number;
  /**
   * Quarantined rows per reason category (`missing value`, `not a bigint`, `not a finite number`, `out of range`,
   * `duplicate key`, `NUL byte`, and for records that could not be parsed `too few fields`, `too many fields`,
   * `unterminated quote`, `invalid UTF-8`, `line too long`); a row with several categories counts in each.
   */
  readonly quarantined_by_reason: Record<string, number>;
  /** Salesforce rows with is_deleted true or _fivetran_active false: dropped, not quarantined. */
  readonly deleted_rows: number;
  /** Input columns not in the contract, lower-cased; kept in the views as varchar. */
  readonly unknown_columns: string[];
  /** 0-byte files skipped. */
  readonly empty_files: number;
  /** Entries of the table folder that were not read, with the reason (unknown extension, broken link, ...). */
  readonly skipped_files: { key: string; reason: string }[];
  /** Key of the quarantine CSV in the run store, or null when no row was quarantined. */
  readonly quarantine_key: string | null;
}

/** The data-quality report of one run, written as `data_quality.json`. */
export interface DataQualityReport {
  /** Scoring date, YYYY-MM-DD. */
  readonly as_of: string;
  /** Sources whose core table has files. */
  readonly sources: SourceName[];
  /** Per contract table, keyed `<source>/<table>` (e.g. `pendo/pendo__account`, `salesforce/account`), in contract order. */
  readonly tables: Record<string, TableQuality>;
  /** Input keys outside the contract table folders; never read. */
  readonly ignored_files: string[];
  /** Entries inside contract table folders that were not read, with the reason (also per table). */
  readonly skipped_files: { key: string; reason: string }[];
  /** Plain-language notes: absent optional tables and what they change, unknown link column, ... */
  readonly notes: string[];
  /** Cross-table counts over the clean views (orphans, missing links, future-dated tasks); never quarantined. */
  readonly cross_table: Record<string, number>;
}

/** The report key of a contract table, `<source>/<table>`. */
export function tableKey(table: TableDef): string {
  return `${table.source}/${table.name}`;
}

/** Rows per category from counts of `;`-joined category lists; a category repeated in one list counts once. */
export function countCategories(
  groups: readonly { categories: string | null; n: number }[],
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const g of groups) {
    const cats = new Set((g.categories ?? 'unknown').split(';').filter((c) => c !== ''));
    for (const c of cats) out[c] = (out[c] ?? 0) + g.n;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const ABSENT_NOTES: Record<string, string> = {
  'pendo/pendo__account_daily_metrics': 'daily usage series are not available',
  'salesforce/contact': 'total_contacts and contacts_with_email are not available',
  'salesforce/opportunity': 'total_won_amount and current_pipeline_amount are not available',
  'salesforce/task': 'total_activities_30d uses events only',
  'salesforce/event': 'total_activities_30d uses tasks only',
};

/** The note for an optional table absent from a present source, e.g. `salesforce/task absent: ... events only`. */
export function absentTableNote(table: TableDef): string {
  const key = tableKey(table);
  return `${key} absent: ${ABSENT_NOTES[key] ?? 'its features are not available'}`;
}

/** The note for a source with no files at all. */
export function absentSourceNote(source: SourceName): string {
  return source === 'pendo'
    ? 'pendo absent: usage features are not available, only CRM fields are scored'
    : 'salesforce absent: CRM features are not available, only usage is scored';
}
