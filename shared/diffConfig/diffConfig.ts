import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { FileScoreStore } from '../adapters/local/fileScoreStore.ts';
import { FolderStore } from '../adapters/local/folderStore.ts';
import type { ChampionPointer } from '../classifier/registry.ts';
import { CHAMPION_KEY } from '../classifier/registry.ts';
import type { CvsConfig } from '../config/schema.ts';
import { ContractViolationError, CvsError } from '../errors.ts';
import { readCsvRows } from '../io/csvTable.ts';
import {
  ACCOUNT_SCORES_KEY,
  DIGESTS_KEY,
  FEATURES_KEY,
  MANIFEST_KEY,
} from '../pipeline/steps/keys.ts';
import { mergeParts } from '../pipeline/steps/parts.ts';
import { predictHighValueStep } from '../pipeline/steps/predictHighValueStep.ts';
import { riskAndRevenueStep } from '../pipeline/steps/riskAndRevenueStep.ts';
import { scoreAccountsStep } from '../pipeline/steps/scoreAccountsStep.ts';
import type { RunState, StepContext } from '../pipeline/types.ts';
import type { Notifier, Ports, QueryEngine, Row, ScoreStore } from '../ports/index.ts';
import {
  type AlertEntry,
  compareAlerts,
  compareDigests,
  compareRows,
  compareTriggers,
  configChanges,
  type MoveSummary,
} from './compareRuns.ts';
import { OverlayStore } from './overlayStore.ts';

/** Parts taken over from the run as they are: they do not depend on the settings the dry run recomputes. */
const KEPT_PARTS = ['trends', 'champions', 'changes'];

/** What `cvs diff-config` found. */
export interface ConfigDiff {
  runDir: string;
  asOf: string;
  /** The run's config (from its manifest) and the new one: version and SHA-256 of the canonical JSON. */
  current: { version: number; sha256: string };
  proposed: { version: number; sha256: string; file: string };
  configChanges: string[];
  /** Model version the dry run scored with (the run's own). */
  modelVersion: string | null;
  accounts: number;
  moves: MoveSummary[];
  triggers: ReturnType<typeof compareTriggers>;
  /** Alerts (account x reason, high-risk included) the digests would carry now and did not, and the reverse. */
  alerts: ReturnType<typeof compareAlerts>;
  digests: ReturnType<typeof compareDigests>;
  /** What the dry run could not recompute, in plain words. */
  notes: string[];
}

/** SHA-256 of a config's canonical JSON (keys sorted), so key order does not change the hash. */
export function configHash(config: unknown): string {
  const canonical = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(canonical)
      : typeof x === 'object' && x !== null
        ? Object.fromEntries(
            Object.keys(x)
              .sort()
              .map((k) => [k, canonical((x as Record<string, unknown>)[k])]),
          )
        : x;
  return createHash('sha256')
    .update(JSON.stringify(canonical(config)))
    .digest('hex');
}

const refuseScoreWrite = async (): Promise<never> => {
  throw new CvsError('diff-config is a dry run: it never writes the score store');
};

const readOnlyScores = (base: ScoreStore): ScoreStore => ({
  listRuns: () => base.listRuns(),
  getRun: (d) => base.getRun(d),
  putRun: refuseScoreWrite,
  beginRun: refuseScoreWrite,
  putShard: refuseScoreWrite,
  endRun: refuseScoreWrite,
});

const noNotifier: Notifier = {
  publish: async () => {
    throw new CvsError('diff-config is a dry run: it never sends alerts');
  },
};

async function readJson<T>(store: FolderStore, key: string): Promise<T | null> {
  if (!(await store.exists(key))) return null;
  return JSON.parse(Buffer.from(await store.get(key)).toString('utf8')) as T;
}

/**
 * Re-scores a finished run's feature table with another config, without writing a run: score-accounts (value index,
 * health, value tiers), predict-high-value with the model the run used, and risk-and-revenue (tiers, playbooks,
 * triggers, digests) run against a scratch folder; the output folder, the score store and the outbox are only read.
 * Compares the result with the run's account_scores.csv and digests.
 */
export async function diffConfig(opts: {
  runDir: string;
  config: CvsConfig;
  configFile: string;
  query?: QueryEngine;
}): Promise<ConfigDiff> {
  const runDir = resolve(opts.runDir);
  const run = new FolderStore(runDir);
  const manifest = await readJson<{
    asOf: string;
    config: CvsConfig;
    steps?: Record<string, Record<string, unknown>>;
  }>(run, MANIFEST_KEY);
  if (!manifest)
    throw new ContractViolationError(`${runDir} has no ${MANIFEST_KEY}: not a finished run`);
  if (!(await run.exists(FEATURES_KEY)))
    throw new ContractViolationError(
      `${runDir} has no ${FEATURES_KEY}: the feature table is needed`,
    );
  const outRoot = dirname(dirname(runDir));
  const output = new FolderStore(outRoot);
  const scratchDir = await mkdtemp(join(tmpdir(), 'cvs-diff-config-'));
  try {
    const notes: string[] = [];
    const modelVersion = (manifest.steps?.['predict-high-value']?.modelVersion as string) ?? null;
    const pinned = new Map<string, string>();
    const champion = await readJson<ChampionPointer>(output, CHAMPION_KEY);
    if (modelVersion && champion && champion.version !== modelVersion)
      pinned.set(CHAMPION_KEY, JSON.stringify({ ...champion, version: modelVersion }));
    const scratchRun = new FolderStore(join(scratchDir, 'run'));
    await scratchRun.put(FEATURES_KEY, await run.get(FEATURES_KEY));
    for (const p of KEPT_PARTS) {
      const key = `parts/${p}.csv`;
      if (await run.exists(key)) await scratchRun.put(key, await run.get(key));
    }
    const ports: Ports = {
      input: new FolderStore(join(scratchDir, 'no-input')),
      output: new OverlayStore(output, new FolderStore(join(scratchDir, 'out')), pinned),
      query: opts.query ?? (undefined as unknown as QueryEngine),
      scores: readOnlyScores(new FileScoreStore(join(outRoot, 'score-store'))),
      notifier: noNotifier,
    };
    const ctx: StepContext = { ports, config: opts.config, run: scratchRun, log: () => {} };
    const state: RunState = {
      asOf: manifest.asOf,
      runId: 'diff-config',
      runPrefix: `runs/${manifest.asOf}/`,
      steps: {},
    };
    await scoreAccountsStep(state, ctx);
    const hv = await predictHighValueStep(state, ctx);
    if (hv.trainedNow === true)
      notes.push(
        'the output folder has no champion model: a model was trained for the dry run only',
      );
    await riskAndRevenueStep(state, ctx);
    const keys = (await scratchRun.list('parts/'))
      .map((o) => o.key)
      .filter((k) => k.endsWith('.csv'));
    const ordered = [FEATURES_KEY, ...keys.filter((k) => k !== FEATURES_KEY).sort()];
    const after = mergeParts(
      await Promise.all(ordered.map((k) => readCsvRows(scratchRun, k))),
    ).rows;
    const before: Row[] = await readCsvRows(run, ACCOUNT_SCORES_KEY);
    type Digest = {
      messages: { dedupeKey: string; subject: string }[];
      logEntries: AlertEntry[];
    };
    const oldDigest = await readJson<Digest>(run, DIGESTS_KEY);
    const newDigest = await readJson<Digest>(scratchRun, DIGESTS_KEY);
    const oldDigests = oldDigest?.messages ?? [];
    const newDigests = newDigest?.messages ?? [];
    const changes = configChanges(manifest.config, opts.config);
    if (changes.some((c) => c.startsWith('crm.')))
      notes.push(
        "crm.* settings shape the feature SQL; the dry run re-scores the run's feature table, so they are not applied",
      );
    if (changes.some((c) => /^(trends|champions|changes)\./.test(c)))
      notes.push(
        'trends, champions and changes are taken from the run as they are (not recomputed)',
      );
    return {
      runDir,
      asOf: manifest.asOf,
      current: { version: manifest.config.version, sha256: configHash(manifest.config) },
      proposed: {
        version: opts.config.version,
        sha256: configHash(opts.config),
        file: opts.configFile,
      },
      configChanges: changes,
      modelVersion,
      accounts: after.length,
      moves: compareRows(before, after),
      triggers: compareTriggers(before, after),
      alerts: compareAlerts(oldDigest?.logEntries ?? [], newDigest?.logEntries ?? [], after),
      digests: compareDigests(oldDigests, newDigests),
      notes,
    };
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
  }
}

/** The dry run as text for the terminal. */
export function diffConfigText(d: ConfigDiff): string {
  const lines = [
    `CVS config dry run on ${d.runDir} (${d.asOf}, ${d.accounts} accounts)`,
    `  compares against: config version ${d.current.version}, sha256 ${d.current.sha256.slice(0, 12)} (the run's manifest)`,
    `  new config:       ${d.proposed.file}, version ${d.proposed.version}, sha256 ${d.proposed.sha256.slice(0, 12)}`,
    `  model: ${d.modelVersion ?? 'none recorded'} (the run's own)`,
    `  config changes: ${d.configChanges.length ? '' : 'none'}`,
    ...d.configChanges.map((c) => `    - ${c}`),
  ];
  for (const m of d.moves) {
    lines.push(`  ${m.what} (${m.column}): ${m.moved} account(s) move`);
    for (const t of m.transitions)
      lines.push(
        `    ${t.from} -> ${t.to}: ${t.accounts} (${t.top.join(', ')}${t.accounts > t.top.length ? ', ...' : ''})`,
      );
  }
  lines.push(`  triggers: ${d.triggers.length ? '' : 'no change'}`);
  for (const t of d.triggers)
    lines.push(
      `    ${t.trigger}: would fire for ${t.wouldFire} more${t.fireTop.length ? ` (${t.fireTop.join(', ')})` : ''}, stop for ${t.wouldStop}${t.stopTop.length ? ` (${t.stopTop.join(', ')})` : ''}`,
    );
  lines.push(`  alerts (account x reason in the digests): ${d.alerts.length ? '' : 'no change'}`);
  for (const a of d.alerts)
    lines.push(
      `    ${a.reason}: would fire for ${a.wouldFire} more${a.fireTop.length ? ` (${a.fireTop.join(', ')})` : ''}, stop for ${a.wouldStop}${a.stopTop.length ? ` (${a.stopTop.join(', ')})` : ''}`,
    );
  lines.push(
    `  alert digests: ${d.digests.wouldSend.length} would be sent that were not, ${d.digests.wouldStop.length} would stop`,
    ...d.digests.wouldSend.map((s) => `    + ${s}`),
    ...d.digests.wouldStop.map((s) => `    - ${s}`),
  );
  for (const n of d.notes) lines.push(`  note: ${n}`);
  return lines.join('\n');
}
