import { readFileSync } from 'node:fs';
import type { Node } from 'constructs';
import { parseConfig } from '../shared/config/load.ts';

/** One customer-success team's e-mail subscription and the segments it owns (SNS filter policy on `segment`). */
export interface TeamSubscription {
  readonly email: string;
  readonly segments: readonly string[];
}

/** Every deploy-time parameter of the stack, read from CDK context (`-c name=value` or cdk.json). */
export interface CvsParams {
  /** Existing bucket holding the exports; when absent the stack creates one. */
  readonly exportBucket?: string;
  /** Key prefix of the exports inside the bucket ('' or ending with '/'). @default '' */
  readonly exportPrefix: string;
  /** File format of the exports: csv (every Glue column string) or parquet (contract types). @default 'csv' */
  readonly exportFormat: 'csv' | 'parquet';
  /** E-mails receiving every CS alert digest. @default [] */
  readonly alertEmails: readonly string[];
  /** E-mails receiving failure notices and alarms. @default alertEmails */
  readonly opsEmails: readonly string[];
  /** Team subscriptions filtered by segment. @default [] */
  readonly teams: readonly TeamSubscription[];
  /** Schedule expressions by job; `off` disables a job's schedule. */
  readonly schedules: Readonly<Record<string, string>>;
  /** IANA time zone the schedules are read in. @default 'UTC' */
  readonly scheduleTimezone: string;
  /** Lambda memory by step name, MB (overrides the declaration). @default {} */
  readonly memorySizes: Readonly<Record<string, number>>;
  /** Athena per-query bytes-scanned cut-off, bytes (>= 10 MB). @default 107374182400 (100 GiB) */
  readonly athenaBytesScannedCutoff: number;
  /** Scoring config JSON text (validated at synth), embedded in the Lambdas. @default '{}' */
  readonly configJson: string;
  /** Days score history items live in DynamoDB (TTL). @default 400 */
  readonly historyDays: number;
  /** CloudWatch log retention, days. @default 90 */
  readonly logRetentionDays: number;
  /** Days Athena result files are kept. @default 30 */
  readonly athenaResultsExpiryDays: number;
  /** Glue database name. @default 'cvs' */
  readonly glueDatabase: string;
  /** Athena workgroup name. @default 'cvs' */
  readonly workGroup: string;
  /** Replace Lambda bundling by an inline stub (tests only). @default false */
  readonly skipBundling: boolean;
}

/** Default schedule expressions (UTC): daily 05:00, weekly Sunday 03:00, quarterly 1 Jan/Apr/Jul/Oct 02:00. */
export const DEFAULT_SCHEDULES: Readonly<Record<string, string>> = {
  daily: 'cron(0 5 * * ? *)',
  weekly: 'cron(0 3 ? * SUN *)',
  quarterly: 'cron(0 2 1 1,4,7,10 ? *)',
};

const list = (v: unknown): string[] =>
  v === undefined || v === ''
    ? []
    : (Array.isArray(v) ? v.map(String) : String(v).split(','))
        .map((s) => s.trim())
        .filter(Boolean);

const json = <T>(v: unknown, name: string, fallback: T): T => {
  if (v === undefined || v === '') return fallback;
  if (typeof v !== 'string') return v as T;
  try {
    return JSON.parse(v) as T;
  } catch (err) {
    throw new Error(`context ${name} is not valid JSON: ${(err as Error).message}`);
  }
};

const int = (v: unknown, name: string, fallback: number, min: number): number => {
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`context ${name} must be an integer >= ${min}, got ${v}`);
  return n;
};

/** Retention periods CloudWatch Logs accepts, days. */
const RETENTIONS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
];

const retention = (days: number): number => {
  if (!RETENTIONS.includes(days))
    throw new Error(`context logRetentionDays must be one of ${RETENTIONS.join(', ')}`);
  return days;
};

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Reads and checks the parameters from a construct node's context; throws naming the bad parameter. */
export function readParams(node: Node): CvsParams {
  const ctx = (name: string): unknown => node.tryGetContext(name);
  const alertEmails = list(ctx('alertEmails'));
  const opsEmails = ctx('opsEmails') === undefined ? alertEmails : list(ctx('opsEmails'));
  const teams = json<TeamSubscription[]>(ctx('teams'), 'teams', []);
  for (const e of [...alertEmails, ...opsEmails, ...teams.map((t) => t.email)]) {
    if (!EMAIL.test(e)) throw new Error(`not an e-mail address in the alert parameters: ${e}`);
  }
  for (const t of teams) {
    if (!Array.isArray(t.segments) || t.segments.length === 0)
      throw new Error(`team ${t.email} owns no segments`);
  }
  const schedules: Record<string, string> = { ...DEFAULT_SCHEDULES };
  for (const job of Object.keys(DEFAULT_SCHEDULES)) {
    const v = ctx(`${job}Schedule`);
    if (v !== undefined && v !== '') schedules[job] = String(v);
  }
  const configFile = ctx('configFile');
  const configJson = configFile ? readFileSync(String(configFile), 'utf8') : '{}';
  parseConfig(JSON.parse(configJson), `config file ${configFile ?? '(defaults)'}`);
  const minified = JSON.stringify(JSON.parse(configJson));
  if (minified.length > 3000)
    throw new Error('config file over 3000 characters: too large for a Lambda variable');
  const prefix = String(ctx('exportPrefix') ?? '');
  const format = String(ctx('exportFormat') ?? 'csv');
  if (format !== 'csv' && format !== 'parquet')
    throw new Error(`context exportFormat must be csv or parquet`);
  const name = (key: string, fallback: string): string => {
    const v = String(ctx(key) ?? fallback);
    if (!/^[a-z][a-z0-9_]{0,62}$/.test(v))
      throw new Error(`context ${key} must match [a-z][a-z0-9_]*, got ${v}`);
    return v;
  };
  return {
    exportBucket: ctx('exportBucket') ? String(ctx('exportBucket')) : undefined,
    exportPrefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`,
    exportFormat: format,
    alertEmails,
    opsEmails,
    teams,
    schedules,
    scheduleTimezone: String(ctx('scheduleTimezone') ?? 'UTC'),
    memorySizes: json<Record<string, number>>(ctx('memorySizes'), 'memorySizes', {}),
    athenaBytesScannedCutoff: int(
      ctx('athenaBytesScannedCutoff'),
      'athenaBytesScannedCutoff',
      100 * 2 ** 30,
      10_485_760,
    ),
    configJson: minified,
    historyDays: int(ctx('historyDays'), 'historyDays', 400, 1),
    logRetentionDays: retention(int(ctx('logRetentionDays'), 'logRetentionDays', 90, 1)),
    athenaResultsExpiryDays: int(ctx('athenaResultsExpiryDays'), 'athenaResultsExpiryDays', 30, 1),
    glueDatabase: name('glueDatabase', 'cvs'),
    workGroup: name('workGroup', 'cvs'),
    skipBundling: [true, 'true', '1'].includes(ctx('cvs:skipBundling') as string),
  };
}
