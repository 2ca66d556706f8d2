import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ContractViolationError, QueryFailedError } from '../errors.ts';
import type { ObjectStore, QueryEngine, RawRelation, RawTableSpec, Row } from '../ports/index.ts';
import { sqlString } from '../sql/literals.ts';
import {
  absentSourceNote,
  absentTableNote,
  countCategories,
  type DataQualityReport,
  type FileQuality,
  type TableQuality,
  tableKey,
} from './dataQuality.ts';
import { type DiscoveredTable, discoverInputs, inventoryProblems } from './discover.ts';
import type { ColumnDef } from './tables.ts';
import { crossTableChecks, runCrossTableChecks } from './validateCrossTable.ts';
import { type FileLayout, fileLayout } from './validateHeader.ts';
import {
  checkedRelationSql,
  cleanSelectSql,
  duplicateRowsSql,
  fileCountsSql,
  quarantineSelectSql,
  storedDuplicateKeysSql,
  validatedSelectSql,
  viewName,
} from './validationSql.ts';

/** What validateInputs needs: the read-only input store, the engine, the run's output store, as-of and CRM link. */
export interface ValidateInputsArgs {
  readonly input: ObjectStore;
  readonly engine: QueryEngine;
  /** The run's output store; quarantine files go to `quarantine/<view>.csv`. */
  readonly run: ObjectStore;
  /** Scoring date, YYYY-MM-DD. */
  readonly asOf: string;
  /** pendo__account column holding the Salesforce Account.Id (config crm.linkColumn). */
  readonly linkColumn: string;
  readonly log?: (m: string) => void;
  /** Validate only these tables (`source/name` keys); the others are left out of the report. @default all */
  readonly only?: readonly string[];
}

/** A present table once its headers are read: its files' layouts and the engine's raw relation over them. */
interface PlannedTable {
  readonly disc: DiscoveredTable;
  readonly columns: ColumnDef[];
  readonly unknown: string[];
  readonly spec: RawTableSpec;
  readonly raw: RawRelation;
}

/** The error for a list of problems: the problem itself when there is one, else all of them, one per line. */
function contractError(problems: readonly string[], cause?: unknown): ContractViolationError {
  const text =
    problems.length === 1
      ? problems[0]
      : `${problems.length} problems in the input (all listed):\n${problems.map((p) => `- ${p.replaceAll('\n', '\n  ')}`).join('\n')}`;
  return new ContractViolationError(text, cause === undefined ? undefined : { cause });
}

/** The lines of a ContractViolationError raised for one file, each prefixed with the table when it lacks it. */
function problemLines(err: ContractViolationError, label: string): string[] {
  return err.message
    .split('\n')
    .map((l) => (l.startsWith(`${label}:`) || l.startsWith(`${label}/`) ? l : `${label}: ${l}`));
}

/**
 * Discovers the exports and checks them in two stages, each reporting every problem it finds before it stops:
 * 1. the inventory and every file's header (missing or repeated columns, unreadable headers, Parquet columns of a
 *    wrong type, files not read) for every table; any problem stops the run with all of them listed;
 * 2. per present table, one pass over its files into the stored rows `validated_<view>` (typed, with `_reason`),
 *    records the engine could not parse collected as rejects, repeated keys found over the stored table, the clean
 *    view `<view>`, the counts and the quarantine file. A file with no readable record stops the run (after every
 *    table was read, naming all such files).
 * Then the cross-table checks; returns the data-quality report. Absent tables get no view. Input files are only read.
 */
export async function validateInputs(args: ValidateInputsArgs): Promise<DataQualityReport> {
  const log = args.log ?? (() => {});
  const inventory = await discoverInputs(args.input);
  const wanted = inventory.tables.filter(
    (d) => !args.only || args.only.includes(tableKey(d.table)),
  );
  // A table left out by `only` is not read, so its unreadable files do not stop this validation.
  const unread = inventory.tables
    .filter((d) => !wanted.includes(d))
    .map((d) => `${tableKey(d.table)}/: no file`);
  const problems = inventoryProblems(inventory).filter((p) => !unread.some((u) => p.startsWith(u)));
  const planned: PlannedTable[] = [];
  for (const disc of wanted) {
    if (disc.files.length === 0) continue;
    const plan = await planTable(args, disc, problems);
    if (plan) planned.push(plan);
  }
  if (problems.length > 0) throw contractError(problems);

  const notes: string[] = [];
  for (const source of ['pendo', 'salesforce'] as const) {
    if (!inventory.sources.includes(source)) notes.push(absentSourceNote(source));
  }
  const tables: Record<string, TableQuality> = {};
  for (const disc of wanted) {
    if (disc.skipped.length > 0) {
      const n = disc.skipped.length;
      notes.push(
        `${tableKey(disc.table)}: ${n} file${n > 1 ? 's' : ''} not read: ` +
          disc.skipped.map((s) => `${s.key} (${s.reason})`).join('; '),
      );
    }
    if (disc.files.length === 0) {
      if (inventory.sources.includes(disc.table.source)) notes.push(absentTableNote(disc.table));
      tables[tableKey(disc.table)] = absentTable(disc);
    }
  }
  const present = new Set<string>();
  const stops: string[] = [];
  let accountColumns: string[] = [];
  for (const plan of planned) {
    const { table } = plan.disc;
    const result = await validateTable(args, plan, log);
    if ('stop' in result) {
      stops.push(...result.stop);
      continue;
    }
    for (const n of [...plan.raw.notes, ...result.notes]) if (!notes.includes(n)) notes.push(n);
    tables[tableKey(table)] = result.quality;
    present.add(result.quality.view);
    const { rows_quarantined: n, quarantine_key: where } = result.quality;
    if (n > 0)
      notes.push(`${tableKey(table)}: ${n} row${n > 1 ? 's' : ''} quarantined, see ${where}`);
    if (table.source === 'pendo' && table.name === 'pendo__account')
      accountColumns = plan.columns.map((c) => c.name);
  }
  if (stops.length > 0) throw contractError(stops);
  const ordered: Record<string, TableQuality> = {};
  for (const disc of wanted) {
    const q = tables[tableKey(disc.table)];
    if (q) ordered[tableKey(disc.table)] = q;
  }
  const { checks, notes: crossNotes } = crossTableChecks({
    present,
    accountColumns,
    linkColumn: args.linkColumn,
    asOf: args.asOf,
  });
  notes.push(...crossNotes);
  const crossTable = await runCrossTableChecks(args.engine, checks);
  return {
    as_of: args.asOf,
    sources: inventory.sources,
    tables: ordered,
    ignored_files: inventory.ignored,
    skipped_files: wanted.flatMap((d) => d.skipped.map((s) => ({ key: s.key, reason: s.reason }))),
    notes,
    cross_table: crossTable,
  };
}

function absentTable(disc: DiscoveredTable): TableQuality {
  return {
    source: disc.table.source,
    table: disc.table.name,
    view: viewName(disc.table),
    present: false,
    files: [],
    rows_read: 0,
    rows_valid: 0,
    rows_quarantined: 0,
    quarantined_by_reason: {},
    deleted_rows: 0,
    unknown_columns: [],
    empty_files: 0,
    skipped_files: disc.skipped.map((s) => ({ key: s.key, reason: s.reason })),
    quarantine_key: null,
  };
}

/**
 * Reads the headers of a present table's files and asks the engine for its raw relation; every problem found is
 * added to `problems` (and null returned) instead of stopping at the first.
 */
async function planTable(
  args: ValidateInputsArgs,
  disc: DiscoveredTable,
  problems: string[],
): Promise<PlannedTable | null> {
  const { engine, input } = args;
  const { table } = disc;
  const label = tableKey(table);
  const layouts: FileLayout[] = [];
  let failed = false;
  for (const f of disc.files.filter((x) => x.size > 0)) {
    try {
      layouts.push(await fileLayout(input, engine, table, f));
    } catch (err) {
      if (!(err instanceof ContractViolationError)) throw err;
      problems.push(...problemLines(err, label));
      failed = true;
    }
  }
  if (failed) return null;
  const unknown = [...new Set(layouts.flatMap((l) => l.unknown))];
  const wanted: ColumnDef[] = [
    ...table.columns,
    ...unknown.map((name): ColumnDef => ({ name, type: 'varchar' })),
  ];
  const spec: RawTableSpec = {
    label,
    view: viewName(table),
    contractColumns: table.columns.map((c) => c.name),
    columns: wanted.map((c) => c.name),
    files: layouts,
    locate: (k) => input.locate(k),
  };
  let raw: RawRelation;
  try {
    raw = engine.rawRelation(spec);
  } catch (err) {
    if (!(err instanceof ContractViolationError)) throw err;
    problems.push(...problemLines(err, label));
    return null;
  }
  const kept = new Set(raw.columns);
  return { disc, columns: wanted.filter((c) => kept.has(c.name)), unknown, spec, raw };
}

const num = (v: unknown): number => Number(v ?? 0);

/**
 * Validates one present table in one pass over its files: the validated table, the rejected records, the repeated
 * keys, the clean view, the counts and the quarantine file. Returns the problems that stop the run instead when a
 * file is unreadable or has no readable record.
 */
async function validateTable(
  args: ValidateInputsArgs,
  plan: PlannedTable,
  log: (m: string) => void,
): Promise<{ quality: TableQuality; notes: string[] } | { stop: string[] }> {
  const { engine } = args;
  const { disc, columns, raw, spec } = plan;
  const { table } = disc;
  const label = spec.label;
  const view = spec.view;
  const validated = `validated_${view}`;
  const duplicates = `duplicates_${view}`;
  const engineRejects = raw.rejects?.tables ?? [];
  const dropRejects = async (): Promise<void> => {
    for (const t of engineRejects) await engine.dropTable(t);
  };
  try {
    // Stored once, in the files' order (DuckDB: a Parquet file of its scratch folder, see QueryEngine.storeRows).
    await engine.storeRows(validated, validatedSelectSql(table, columns, `(${raw.sql}) cvs_raw`));
  } catch (err) {
    await dropRejects();
    return { stop: [await unreadableFileError(engine, spec, err)] };
  }

  // Records the engine could not parse (read from the engine's rejects tables, dropped at the end).
  const rejectCounts = raw.rejects
    ? await engine.query(
        `SELECT _file, _categories, count(*) AS n, min(_row) AS first_row FROM (${raw.rejects.sql}) cvs_j GROUP BY _file, _categories`,
      )
    : [];
  const rejects = rejectCounts.length > 0 && raw.rejects ? `(${raw.rejects.sql})` : null;
  const rejectedIn = (key: string): Row[] => rejectCounts.filter((r) => r._file === key);

  // Repeated keys: one GROUP BY over the stored table; only when some key repeats are its rows ranked.
  const [dup] = await engine.query(storedDuplicateKeysSql(table, validated));
  const dups = num(dup?.n) > 0 ? duplicates : null;
  // Rows the engine numbers after storing them (DuckDB CSV, see validateRaw.ts): all of them when some key repeats
  // (the repeated keys' rows are ranked and told apart by file and row), else only those the quarantine file lists.
  if (raw.numberRows) {
    const flagged = async (): Promise<boolean> => {
      const [r] = await engine.query(
        `SELECT count(*) AS n FROM ${validated} WHERE _reason IS NOT NULL`,
      );
      return num(r?.n) > 0;
    };
    if (dups !== null || (await flagged()))
      for (const sql of raw.numberRows(validated, dups === null)) await engine.execute(sql);
  }
  if (dups) await engine.createTable(dups, duplicateRowsSql(table, validated), { temporary: true });
  const checked = checkedRelationSql(columns, validated, dups);
  const counts = await engine.query(fileCountsSql(checked));
  const perFile = new Map<string, Record<string, number>>();
  for (const r of counts) {
    const f = perFile.get(String(r._file)) ?? {};
    for (const k of ['rows_read', 'rows_valid', 'rows_quarantined', 'deleted_rows'])
      f[k] = (f[k] ?? 0) + num(r[k]);
    perFile.set(String(r._file), f);
  }

  // A file with records but none readable stops the run; a header-only file is noted.
  const stop: string[] = [];
  const notes: string[] = [];
  for (const f of disc.files) {
    const read = num(perFile.get(f.key)?.rows_read);
    const rejected = rejectedIn(f.key);
    if (read === 0 && rejected.length > 0 && rejects) {
      const firstRow = Math.min(...rejected.map((r) => num(r.first_row)));
      const [first] = await engine.query(
        `SELECT _row, _reason FROM ${rejects} cvs_j WHERE _file = ${sqlString(f.key)} AND _row = ${firstRow}`,
      );
      const n = rejected.reduce((a, r) => a + num(r.n), 0);
      stop.push(
        `${label}: file ${f.key} has no readable record: all ${n} records were rejected ` +
          `(first: row ${num(first?._row)}, ${String(first?._reason ?? '')})`,
      );
    } else if (read === 0 && f.size > 0) {
      notes.push(`${label}: file ${f.key} has a header but no record`);
    }
  }
  if (stop.length > 0) {
    await dropRejects();
    return { stop };
  }

  const groups = [
    ...counts
      .filter((r) => num(r.rows_quarantined) > 0)
      .map((r) => ({ _categories: r._categories, n: r.rows_quarantined })),
    ...rejectCounts,
  ];
  const sum = (field: string): number =>
    [...perFile.values()].reduce((s, r) => s + num(r[field]), 0);
  const rejected = rejectCounts.reduce((s, r) => s + num(r.n), 0);
  const quarantined = sum('rows_quarantined') + rejected;
  let quarantineKey: string | null = null;
  if (quarantined > 0) {
    quarantineKey = `quarantine/${view}.csv`;
    const location = args.run.locate(quarantineKey);
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(location))
      await mkdir(dirname(location), { recursive: true });
    await engine.exportTo(
      quarantineSelectSql(columns, checked, { rowNumbers: raw.rowNumbers, rejects }),
      location,
      'csv',
    );
  }
  await dropRejects();
  // The clean view, once the quarantine file is written. Without repeated keys it is a view over the stored rows
  // (filtered on `_reason` and `_deleted` as it is read); with them, the clean rows are stored once (QueryEngine.
  // storeView) rather than every later read of the view joining the stored rows with the repeated ones.
  if (dups)
    await engine.storeView(view, cleanSelectSql(columns, validated, dups), [validated, dups]);
  else
    await engine.execute(`CREATE OR REPLACE VIEW ${view} AS ${cleanSelectSql(columns, validated)}`);
  const files: FileQuality[] = disc.files.map((f) => ({
    key: f.key,
    size: f.size,
    sha256: f.sha256,
    rows: num(perFile.get(f.key)?.rows_read) + rejectedIn(f.key).reduce((a, r) => a + num(r.n), 0),
  }));
  const quality: TableQuality = {
    source: table.source,
    table: table.name,
    view,
    present: true,
    files,
    rows_read: sum('rows_read') + rejected,
    rows_valid: sum('rows_valid'),
    rows_quarantined: quarantined,
    quarantined_by_reason: countCategories(
      groups.map((g) => ({
        categories: g._categories === null ? null : String(g._categories),
        n: num(g.n),
      })),
    ),
    deleted_rows: sum('deleted_rows'),
    unknown_columns: plan.unknown,
    empty_files: disc.files.filter((f) => f.size === 0).length,
    skipped_files: disc.skipped.map((s) => ({ key: s.key, reason: s.reason })),
    quarantine_key: quarantineKey,
  };
  log(
    `validated ${label}: ${quality.rows_read} rows, ${quality.rows_valid} valid, ` +
      `${quality.rows_quarantined} quarantined, ${quality.deleted_rows} deleted`,
  );
  return { quality, notes };
}

/** Finds which file the engine could not read (each file probed alone) and names table, file and cause. */
async function unreadableFileError(
  engine: QueryEngine,
  spec: RawTableSpec,
  err: unknown,
): Promise<string> {
  if (!(err instanceof QueryFailedError)) throw err;
  const why = (e: Error): string =>
    e.message
      .replace(/^query failed: /, '')
      .split('\n')
      .slice(0, 3)
      .join(' ');
  for (const file of spec.files) {
    const probe = engine.rawRelation({ ...spec, files: [file] });
    try {
      await engine.query(`SELECT count(*) AS n FROM (${probe.sql}) cvs_p`);
    } catch (e) {
      return `${spec.label}: file ${file.key} is not readable as ${file.format.toUpperCase()}: ${why(e as Error)}`;
    } finally {
      for (const t of probe.rejects?.tables ?? []) await engine.dropTable(t);
    }
  }
  return `${spec.label}: files not readable: ${why(err)}`;
}
