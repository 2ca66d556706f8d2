import type { Row } from '../ports/index.ts';
import {
  type AccountFeatures,
  CRM_NUMERIC_FEATURES,
  PRODUCT_FEATURES,
  REVENUE_LABEL_COLUMN,
} from './columns.ts';

const num = (v: Row[string], column: string, row: number): number | null => {
  if (v === null) return null;
  if (typeof v === 'number') return v;
  throw new Error(
    `account features: column ${column}, row ${row + 2}: expected a number, got '${v}'`,
  );
};
const text = (v: Row[string] | undefined): string | null =>
  v === null || v === undefined ? null : String(v);

/** Every column `toAccountFeatures` reads. */
export const ACCOUNT_FEATURE_COLUMNS: readonly string[] = [
  'account_id',
  'salesforce_account_id',
  'account_name',
  'industry',
  'account_size_segment',
  'first_event_on',
  'last_event_on',
  'has_crm',
  'has_product',
  ...PRODUCT_FEATURES,
  ...CRM_NUMERIC_FEATURES,
  REVENUE_LABEL_COLUMN,
];

/**
 * Converts rows of the feature SQL's result into typed AccountFeatures (numbers stay null when NULL); `firstRow`: the
 * index of rows[0] among all rows, for the row numbers of error messages.
 */
export function toAccountFeatures(rows: readonly Row[], firstRow = 0): AccountFeatures[] {
  return rows.map((r, at) => {
    const i = firstRow + at;
    const out: Record<string, unknown> = {
      account_id: String(r.account_id),
      salesforce_account_id: text(r.salesforce_account_id),
      account_name: text(r.account_name),
      industry: text(r.industry),
      account_size_segment: text(r.account_size_segment),
      first_event_on: text(r.first_event_on),
      last_event_on: text(r.last_event_on),
      has_crm: r.has_crm === true,
      has_product: r.has_product === true,
    };
    for (const c of [...PRODUCT_FEATURES, ...CRM_NUMERIC_FEATURES]) out[c] = num(r[c], c, i);
    out[REVENUE_LABEL_COLUMN] =
      r[REVENUE_LABEL_COLUMN] === undefined
        ? null
        : num(r[REVENUE_LABEL_COLUMN], REVENUE_LABEL_COLUMN, i);
    return out as AccountFeatures;
  });
}
