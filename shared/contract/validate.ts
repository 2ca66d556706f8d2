import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ContractViolationError, QueryFailedError } from '../errors.ts';
import type { ObjectStore, QueryEngine, RawTableSpec } from '../ports/index.ts';
import {
  absentSourceNote,
  absentTableNote,
  countCategories,
  type DataQualityReport,
  type FileQuality,
  type TableQuality,
  tableKey,
} from './dataQuality.ts';
import { checkInventory, type DiscoveredTable, discoverInputs } from './discover.ts';
import type { ColumnDef } from './tables.ts';
import { crossTableChecks, runCrossTableChecks } from './validateCrossTable.ts';
import { type FileLayout, fileLayout } from './validateHeader.ts';
import {
  categoryCountsSql,
  cleanSelectSql,
  fileCountsSql,
  quarantineSelectSql,
  quoteIdent,
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

/**
 * Discovers the exports, checks every file's header against the contract, and for every present table stores the
 * engine's raw relation of its files once as the text table `text_<view>` (dropped at the end), then the table
 * `validated_<view>` (typed, with `_reason`), and creates the clean view `<view>`; writes quarantined rows to the run
 * store, runs the cross-table checks and returns the data-quality report. Absent tables get no view. Input files are
 * only read. Engine differences (how files are opened, whether rows have file row numbers) stay behind the
 * QueryEngine port. Throws ContractViolationError when the input cannot be scored.
 */
export async function validateInputs(args: ValidateInputsArgs): Promise<DataQualityReport> {
  const log = args.log ?? (() => {});
  const inventory = await discoverInputs(args.input);
  checkInventory(inventory);
  const notes: string[] = [];
  for (const source of ['pendo', 'salesforce'] as const) {
    if (!inventory.sources.includes(source)) notes.push(absentSourceNote(source));
  }
  const tables: Record<string, TableQuality> = {};
  const present = new Set<string>();
  let accountColumns: string[] = [];
  for (const disc of inventory.tables) {
    const { table } = disc;
    if (args.only && !args.only.includes(tableKey(table))) continue;
    if (disc.files.length === 0) {
      if (inventory.sources.includes(table.source)) notes.push(absentTableNote(table));
      tables[tableKey(table)] = absentTable(disc);
      continue;
    }
    const result = await validateTable(args, disc, log);
    for (const n of result.engineNotes) if (!notes.includes(n)) notes.push(n);
    tables[tableKey(table)] = result.quality;
    present.add(result.quality.view);
    const { rows_quarantined: n, quarantine_key: where } = result.quality;
    if (n > 0)
      notes.push(`${tableKey(table)}: ${n} row${n > 1 ? 's' : ''} quarantined, see ${where}`);
    if (table.source === 'pendo' && table.name === 'pendo__account')
      accountColumns = result.columns;
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
    tables,
    ignored_files: inventory.ignored,
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
    quarantine_key: null,
  };
}

/** Validates one present table: headers, text / validated tables and clean view, counts, quarantine file. */
async function validateTable(
  args: ValidateInputsArgs,
  disc: DiscoveredTable,
  log: (m: string) => void,
): Promise<{ quality: TableQuality; columns: string[]; engineNotes: string[] }> {
  const { engine, input } = args;
  const { table } = disc;
  const view = viewName(table);
  const nonEmpty = disc.files.filter((f) => f.size > 0);
  const layouts: FileLayout[] = [];
  for (const f of nonEmpty) layouts.push(await fileLayout(input, engine, table, f));
  const unknown = [...new Set(layouts.flatMap((l) => l.unknown))];
  const wanted: ColumnDef[] = [
    ...table.columns,
    ...unknown.map((name): ColumnDef => ({ name, type: 'varchar' })),
  ];
  const spec: RawTableSpec = {
    label: tableKey(table),
    view,
    contractColumns: table.columns.map((c) => c.name),
    columns: wanted.map((c) => c.name),
    files: layouts,
    locate: (k) => input.locate(k),
  };
  const raw = engine.rawRelation(spec);
  const kept = new Set(raw.columns);
  const columns = wanted.filter((c) => kept.has(c.name));
  const names = columns.map((c) => c.name);
  const validated = `validated_${view}`;
  // The files are parsed once into a text table: the validation reads that (several times faster than reading the
  // files through the validation's layers, and in Athena it fixes `_row` for the quarantine join), then it is dropped.
  const text = `text_${view}`;
  try {
    await engine.createTable(text, raw.sql, { temporary: true });
    // The key window is the costliest part: build the table without it, then a GROUP BY over the stored table tells
    // whether any key repeats; only then is the table rebuilt with the key check.
    await engine.createTable(
      validated,
      validatedSelectSql(table, columns, text, { keyCheck: false }),
    );
    const [dup] = await engine.query(storedDuplicateKeysSql(table, validated));
    if (Number(dup?.n ?? 0) > 0) {
      await engine.createTable(
        validated,
        validatedSelectSql(table, columns, text, { keyCheck: true }),
      );
    }
  } catch (err) {
    await engine.dropTable(text);
    throw await unreadableFileError(engine, spec, err);
  }
  await engine.execute(`CREATE OR REPLACE VIEW ${view} AS ${cleanSelectSql(columns, validated)}`);

  const perFile = new Map(
    (await engine.query(fileCountsSql(validated))).map((r) => [String(r._file), r]),
  );
  const sum = (field: string): number =>
    [...perFile.values()].reduce((s, r) => s + Number(r[field] ?? 0), 0);
  const groups = await engine.query(categoryCountsSql(validated));
  const quarantined = sum('rows_quarantined');
  let quarantineKey: string | null = null;
  if (quarantined > 0) {
    quarantineKey = `quarantine/${view}.csv`;
    const location = args.run.locate(quarantineKey);
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(location))
      await mkdir(dirname(location), { recursive: true });
    const sql = quarantineSelectSql(columns, text, validated);
    await engine.exportTo(raw.rowNumbers ? sql : withoutRowNumbers(columns, sql), location, 'csv');
  }
  await engine.dropTable(text);
  const files: FileQuality[] = disc.files.map((f) => ({
    key: f.key,
    size: f.size,
    sha256: f.sha256,
    rows: Number(perFile.get(f.key)?.rows_read ?? 0),
  }));
  const quality: TableQuality = {
    source: table.source,
    table: table.name,
    view,
    present: true,
    files,
    rows_read: sum('rows_read'),
    rows_valid: sum('rows_valid'),
    rows_quarantined: quarantined,
    quarantined_by_reason: countCategories(
      groups.map((g) => ({
        categories: g._categories === null ? null : String(g._categories),
        n: Number(g.n),
      })),
    ),
    deleted_rows: sum('deleted_rows'),
    unknown_columns: unknown,
    empty_files: disc.files.length - nonEmpty.length,
    quarantine_key: quarantineKey,
  };
  log(
    `validated ${tableKey(table)}: ${quality.rows_read} rows, ${quality.rows_valid} valid, ` +
      `${quality.rows_quarantined} quarantined, ${quality.deleted_rows} deleted`,
  );
  return { quality, columns: names, engineNotes: raw.notes };
}

/**
 * The quarantine SELECT with `_row` left empty, for an engine whose `_row` only tells rows apart (still used to
 * order the rows of a file as they were read).
 */
function withoutRowNumbers(columns: readonly ColumnDef[], quarantineSql: string): string {
  const cols = columns.map((c) => `cvs_q.${quoteIdent(c.name)}`).join(', ');
  return (
    `SELECT ${cols}, cvs_q._file, CAST(NULL AS bigint) AS _row, cvs_q._reason ` +
    `FROM (${quarantineSql}) cvs_q ORDER BY cvs_q._file, cvs_q._row`
  );
}

/** Finds which file the engine could not read (each file probed alone) and names it in a ContractViolationError. */
async function unreadableFileError(
  engine: QueryEngine,
  spec: RawTableSpec,
  err: unknown,
): Promise<Error> {
  if (!(err instanceof QueryFailedError)) return err as Error;
  for (const file of spec.files) {
    const { sql } = engine.rawRelation({ ...spec, files: [file] });
    try {
      await engine.query(`SELECT count(*) AS n FROM (${sql}) cvs_p`);
    } catch (probe) {
      const why = (probe as Error).message
        .replace(/^query failed: /, '')
        .split('\n')
        .slice(0, 3)
        .join(' ');
      return new ContractViolationError(
        `file ${file.key} is not readable as ${file.format.toUpperCase()}: ${why}`,
        { cause: probe },
      );
    }
  }
  return err;
}
