import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { loadConfig } from '../config/load.ts';
import { type CvsConfig, MEMORY_SIZE_RE } from '../config/schema.ts';
import { isRealDate } from '../dates.ts';
import { diffConfigCommand } from '../diffConfig/command.ts';
import { asError, CvsError } from '../errors.ts';
import { evaluateRun, formatEvaluation, writeEvaluation } from '../evaluate/index.ts';
import { generateSample, MAX_HISTORY_DAYS, WORLD_NAMES } from '../generate/index.ts';
import { runBackfill } from '../pipeline/backfill.ts';
import { refreshLocal, refreshSummary } from '../pipeline/refreshLocal.ts';
import { type LocalRunOptions, runLocalPipeline } from '../pipeline/runLocal.ts';
import { scoreLocal, trainLocal, trainSummary } from '../pipeline/trainLocal.ts';
import { buildReportFromRunDir } from '../report/buildReport.ts';
import { runSummary } from './summary.ts';

/** Parses a YYYY-MM-DD option value naming a day that exists (2024-02-30 is refused). */
function dateOption(value: string): string {
  if (!isRealDate(value)) {
    const why = /^\d{4}-\d{2}-\d{2}$/.test(value) ? ' (no such day)' : '';
    throw new InvalidArgumentError(`expected a date YYYY-MM-DD, got '${value}'${why}`);
  }
  return value;
}

/** Parses an interval like `7d` or `7` into whole days. */
function daysOption(value: string): number {
  const m = /^(\d+)d?$/.exec(value.trim());
  if (!m || Number(m[1]) <= 0)
    throw new InvalidArgumentError(`expected a number of days like 7d, got '${value}'`);
  return Number(m[1]);
}

/** Parses a positive integer option value. */
function intOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new InvalidArgumentError(`expected a positive whole number, got '${value}'`);
  return n;
}

/** Parses a memory size like `2GB` or `1500MB` (DuckDB's memory limit). */
function memoryOption(value: string): string {
  if (!MEMORY_SIZE_RE.test(value.trim()))
    throw new InvalidArgumentError(`expected a memory size like 2GB or 1500MB, got '${value}'`);
  return value.trim();
}

/** The config file's settings with `--memory-limit` (when given) as the engine's memory limit. */
async function configWith(file: string | undefined, memoryLimit: string | undefined) {
  const config: CvsConfig = await loadConfig(file);
  return memoryLimit ? { ...config, engine: { ...config.engine, memoryLimit } } : config;
}

const MEMORY_HELP =
  'DuckDB memory limit, e.g. 2GB; beyond it DuckDB spills to disk (default: config engine.memoryLimit, else a quarter of RAM between 1 and 2 GiB)';

const stderrLog = (m: string) => process.stderr.write(`${m}\n`);

/** What a pipeline command passes on: resolved folders, the run date if given, the validated config. */
type PipelineOptions = Omit<LocalRunOptions, 'pipeline'> & { readonly out: string };

/**
 * Declares a command that runs a job on an export folder: `--input`, `--out`, `--as-of`, `--config`, an example, and
 * an action whose text result goes to stdout.
 */
function pipelineCommand(
  program: Command,
  name: string,
  spec: {
    description: string;
    out: string;
    asOf: string;
    example: string;
    action: (opts: PipelineOptions) => Promise<string>;
  },
): void {
  program
    .command(name)
    .description(spec.description)
    .requiredOption(
      '-i, --input <dir>',
      'folder with pendo/<table>/ and salesforce/<table>/ exports',
    )
    .requiredOption('-o, --out <dir>', spec.out)
    .option(
      '--as-of <date>',
      `${spec.asOf} (default: newest event date in the exports)`,
      dateOption,
    )
    .option('-c, --config <file>', 'scoring config (JSON); defaults equal the seed analyses')
    .option('--memory-limit <size>', MEMORY_HELP, memoryOption)
    .option('--allow-stale', 'run even when --as-of is far beyond the newest data date')
    .addHelpText('after', `\nExample:\n  $ ${spec.example}`)
    .action(async (opts) => {
      const text = await spec.action({
        input: resolve(opts.input),
        out: resolve(opts.out),
        asOf: opts.asOf,
        config: await configWith(opts.config, opts.memoryLimit),
        log: stderrLog,
        allowStale: opts.allowStale === true,
      });
      console.log(text);
    });
}

/** Builds the `cvs` command line program. */
export function buildProgram(): Command {
  const program = new Command()
    .name('cvs')
    .description(
      'customer value scoring: value index, health, risk and trends from Pendo and Salesforce exports',
    )
    .version('0.1.0')
    .option('--verbose', 'print stack traces on failure')
    .showHelpAfterError('(add --help for additional information)')
    .exitOverride();

  program
    .command('generate')
    .description('write deterministic sample Pendo and Salesforce exports')
    .requiredOption('-o, --out <dir>', 'folder to create (must be empty or an earlier sample)')
    .option('-n, --accounts <n>', 'number of accounts', intOption, 1000)
    .option('-s, --seed <seed>', 'random seed', intOption, 42)
    .option('--as-of <date>', 'last day of the generated history', dateOption, '2024-10-31')
    .option(
      '--history-days <n>',
      `days of daily metrics ending at --as-of, 1-${MAX_HISTORY_DAYS} (e.g. 730 for two years); default: the 10 months before --as-of (2024-01-01..2024-10-31, 305 days)`,
      intOption,
    )
    .option(
      '--world <name>',
      `known-answer world (${WORLD_NAMES.join(', ')}); default: the usual sample`,
    )
    .option('--truth <file>', 'write the truth CSV there (outside --out; read by cvs evaluate)')
    .action(async (opts) => {
      const summary = await generateSample({
        outDir: resolve(opts.out),
        accounts: opts.accounts,
        seed: opts.seed,
        asOf: opts.asOf,
        historyDays: opts.historyDays,
        world: opts.world,
        truthFile: opts.truth === undefined ? undefined : resolve(opts.truth),
        onProgress: stderrLog,
      });
      console.log(
        `generated ${summary.accounts} accounts, ${summary.visitors} visitors in ${summary.outDir}`,
      );
    });

  pipelineCommand(program, 'run', {
    description: 'run the daily scoring pipeline locally on exports in a folder',
    out: 'output folder (runs/<as-of>/ is written there)',
    asOf: 'scoring date',
    example: 'cvs run --input ./exports --out ./cvs-out --as-of 2024-10-31',
    action: async (opts) => runSummary(await runLocalPipeline(opts)),
  });
  pipelineCommand(program, 'train', {
    description:
      'train the high-value classifier (quarterly job) and promote it if it passes the gate',
    out: 'output folder (models/ and runs/quarterly-<as-of>/ are written there)',
    asOf: 'training date',
    example: 'cvs train --input ./exports --out ./cvs-out',
    action: async (opts) => trainSummary(await trainLocal(opts), opts.out),
  });
  pipelineCommand(program, 'score', {
    description: 'daily scoring with the existing champion model (fails when there is none)',
    out: 'output folder holding models/champion.json',
    asOf: 'scoring date',
    example: 'cvs score --input ./exports --out ./cvs-out',
    action: async (opts) => runSummary(await scoreLocal(opts)),
  });
  pipelineCommand(program, 'refresh', {
    description:
      'weekly refresh of the heavy aggregates (account breadth), reused by daily runs on the same files',
    out: 'output folder (aggregates/ and runs/weekly-<as-of>/ are written there)',
    asOf: 'run date',
    example: 'cvs refresh --input ./exports --out ./cvs-out',
    action: async (opts) => refreshSummary(await refreshLocal(opts), opts.out),
  });

  program
    .command('backfill')
    .description(
      'rebuild point-in-time trend history for past dates from the daily metrics (no look-ahead)',
    )
    .requiredOption('-i, --input <dir>', 'folder with the exports')
    .requiredOption('-o, --out <dir>', 'output folder whose score store receives the history')
    .requiredOption('--from <date>', 'first date, YYYY-MM-DD', dateOption)
    .requiredOption('--to <date>', 'last date, YYYY-MM-DD', dateOption)
    .option('--every <days>', 'step between dates, e.g. 7d', daysOption, 7)
    .option('-c, --config <file>', 'scoring config (JSON)')
    .option('--memory-limit <size>', MEMORY_HELP, memoryOption)
    .addHelpText(
      'after',
      '\nExample:\n  $ cvs backfill --input ./exports --out ./cvs-out --from 2024-01-07 --to 2024-10-27 --every 7d',
    )
    .action(async (opts) => {
      const result = await runBackfill({
        input: resolve(opts.input),
        out: resolve(opts.out),
        from: opts.from,
        to: opts.to,
        everyDays: opts.every,
        config: await configWith(opts.config, opts.memoryLimit),
        log: stderrLog,
      });
      console.log(
        `backfilled ${result.written.length} dates (${result.records} account records); skipped ${result.skipped.length} with a daily run, ${result.empty.length} without data`,
      );
    });

  program
    .command('evaluate')
    .description(
      'measure a run against the truth of a known-answer world (cvs generate --world NAME --truth FILE)',
    )
    .requiredOption('-r, --run <dir>', 'run folder, e.g. out/runs/2024-10-31')
    .requiredOption('-t, --truth <file>', 'truth CSV written by cvs generate --truth')
    .option('-s, --seed <seed>', 'seed of the bootstrap resampling', intOption, 1)
    .option('-o, --out <file>', 'where to write the JSON (default: <run>/evaluation.json)')
    .option(
      '--no-references',
      "skip the truth-trained references (diagnostics that fit 25 forests, most of an evaluation's time)",
    )
    .addHelpText(
      'after',
      '\nExample:\n  $ cvs generate --world trends --out ./exports --truth ./truth.csv\n  $ cvs run --input ./exports --out ./cvs-out\n  $ cvs evaluate --run ./cvs-out/runs/2024-10-31 --truth ./truth.csv',
    )
    .action(async (opts) => {
      const evaluation = await evaluateRun({
        run: resolve(opts.run),
        truth: resolve(opts.truth),
        seed: opts.seed,
        truthReference: opts.references,
      });
      const path = await writeEvaluation(evaluation, opts.out);
      console.log(`${formatEvaluation(evaluation)}\n\nevaluation written: ${path}`);
    });

  program
    .command('report')
    .description('rebuild report.html of a finished run from its folder, without recomputing')
    .requiredOption('-r, --run <dir>', 'run folder, e.g. out/runs/2024-10-31')
    .action(async (opts) => {
      const { reportPath } = await buildReportFromRunDir(resolve(opts.run));
      console.log(`report written: ${reportPath}`);
    });

  diffConfigCommand(program);

  program
    .command('start', { hidden: true })
    .description('generate sample exports if absent, then run the daily pipeline on them')
    .option('--data <dir>', 'sample exports folder', 'sample-data')
    .option('--out <dir>', 'output folder', 'out')
    .action(async (opts) => {
      const data = resolve(opts.data);
      if (!existsSync(data)) {
        stderrLog(`generating sample exports in ${data} ...`);
        await generateSample({ outDir: data, onProgress: stderrLog });
      }
      const result = await runLocalPipeline({
        input: data,
        out: resolve(opts.out),
        config: await loadConfig(),
        log: stderrLog,
      });
      console.log(await runSummary(result));
    });
  return program;
}

/** Runs the CLI: exit 0 ok, 1 the run failed, 2 bad usage or bad input; one-line cause unless --verbose. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    const e = asError(err);
    const verbose = argv.includes('--verbose');
    process.stderr.write(`cvs: ${e.message}\n`);
    if (verbose && e.stack) process.stderr.write(`${e.stack}\n`);
    return e instanceof CvsError ? e.exitCode : 1;
  }
}

if (process.argv[1] && /(cli[/\\]main\.ts|bin[/\\]cvs(\.js)?)$/.test(process.argv[1])) {
  process.exitCode = await main(process.argv.slice(2));
}
