import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../shared/cli/main.ts';
import { readTruthFile, type TruthRow } from '../../../shared/evaluate/truth.ts';
import { parseDay } from '../../../shared/generate/format.ts';
import {
  generateSample,
  TruthInsideInputError,
  UnknownWorldError,
} from '../../../shared/generate/index.ts';
import { digest } from './folderFiles.ts';

type Rec = Record<string, string>;
const AS_OF = '2024-10-31';
const N = 200;

let root: string;
const truths = new Map<string, TruthRow[]>();

async function table(world: string, source: string, name: string): Promise<Rec[]> {
  const text = await readFile(join(root, world, source, name, 'part-0000.csv'), 'utf8');
  return parse(text, { columns: true }) as Rec[];
}

/** Active visitor-days of each account in the last 91 days and the 91 days before, from the daily metrics. */
async function usageHalves(world: string): Promise<Map<string, [number, number]>> {
  const asOf = parseDay(AS_OF);
  const out = new Map<string, [number, number]>();
  for (const r of await table(world, 'pendo', 'pendo__account_daily_metrics')) {
    if (!r.account_id || r.count_active_visitors === '') continue;
    const age = asOf - parseDay(r.date_day);
    if (age >= 182) continue;
    const v = out.get(r.account_id) ?? [0, 0];
    v[age < 91 ? 0 : 1] += Number(r.count_active_visitors);
    out.set(r.account_id, v);
  }
  return out;
}

const share = (rows: TruthRow[], pick: (r: TruthRow) => boolean) =>
  rows.filter(pick).length / rows.length;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cvs-worlds-'));
  for (const world of ['trends', 'noise', 'growth', 'thin-crm']) {
    await generateSample({
      outDir: join(root, world),
      accounts: N,
      seed: 11,
      world,
      truthFile: join(root, `${world}.truth.csv`),
    });
    truths.set(world, await readTruthFile(join(root, `${world}.truth.csv`)));
  }
}, 240_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('Function: generateSample with --world', () => {
  it('writes one truth row per Pendo account, keyed like the exports, and no truth inside the sample', async () => {
    const accounts = await table('trends', 'pendo', 'pendo__account');
    const truth = truths.get('trends') ?? [];
    expect(truth.map((t) => t.account_id).sort()).toEqual(accounts.map((a) => a.account_id).sort());
    expect(truth.every((t) => t.world === 'trends')).toBe(true);
    expect(truth.filter((t) => t.true_high_value === 1)).toHaveLength(N / 4);
    expect(Object.keys(await digest(join(root, 'trends'))).some((f) => f.includes('_truth'))).toBe(
      false,
    );
    const marker = JSON.parse(await readFile(join(root, 'trends', '_generator.json'), 'utf8'));
    expect(marker.options.world).toBe('trends');
  });

  it('is deterministic for a seed (same sample, same truth)', async () => {
    const again = join(root, 'again');
    await generateSample({
      outDir: again,
      accounts: N,
      seed: 11,
      world: 'noise',
      truthFile: join(root, 'again.truth.csv'),
    });
    expect(await digest(again)).toEqual(await digest(join(root, 'noise')));
    expect(await readFile(join(root, 'again.truth.csv'), 'utf8')).toBe(
      await readFile(join(root, 'noise.truth.csv'), 'utf8'),
    );
    await rm(again, { recursive: true, force: true });
  }, 120_000);

  it('trends: every true direction is common at both horizons (not a degenerate truth)', () => {
    const truth = truths.get('trends') ?? [];
    for (const d of ['Up', 'Flat', 'Down'] as const) {
      expect(share(truth, (t) => t.true_direction_3m === d)).toBeGreaterThan(0.15);
      expect(share(truth, (t) => t.true_direction_6m === d)).toBeGreaterThan(0.15);
    }
  });

  it('noise: most true 3-month directions are Flat, with some Up and Down', () => {
    const truth = truths.get('noise') ?? [];
    expect(share(truth, (t) => t.true_direction_3m === 'Flat')).toBeGreaterThan(0.5);
    expect(share(truth, (t) => t.true_direction_3m === 'Up')).toBeGreaterThan(0.05);
    expect(share(truth, (t) => t.true_direction_3m === 'Down')).toBeGreaterThan(0.05);
  });

  it('growth: most accounts use the product more than a quarter ago while few are truly Up', async () => {
    const halves = [...(await usageHalves('growth')).values()].filter(([a, b]) => a > 0 && b > 0);
    const rising = halves.filter(([last, before]) => last > before).length / halves.length;
    expect(rising).toBeGreaterThan(0.6);
    const truth = truths.get('growth') ?? [];
    expect(share(truth, (t) => t.true_direction_3m === 'Up')).toBeLessThan(0.3);
    // the same dynamics without population growth: usage rises for far fewer accounts
    const flat = [...(await usageHalves('noise')).values()].filter(([a, b]) => a > 0 && b > 0);
    expect(flat.filter(([a, b]) => a > b).length / flat.length).toBeLessThan(rising - 0.15);
  });

  it('thin-crm: about 20% of Pendo accounts link to an existing Salesforce account (trends: about 95%)', async () => {
    const linked = async (world: string) => {
      const sf = new Set((await table(world, 'salesforce', 'account')).map((a) => a.id));
      const accounts = await table(world, 'pendo', 'pendo__account');
      return accounts.filter((a) => sf.has(a.agent_salesforceaccountid)).length / accounts.length;
    };
    const thin = await linked('thin-crm');
    expect(thin).toBeGreaterThan(0.15);
    expect(thin).toBeLessThan(0.25);
    expect(await linked('trends')).toBeGreaterThan(0.9);
  });

  it('refuses a truth file inside the sample folder, and an unknown world', async () => {
    const out = join(root, 'refused');
    await expect(
      generateSample({ outDir: out, accounts: 5, world: 'noise', truthFile: join(out, 't.csv') }),
    ).rejects.toBeInstanceOf(TruthInsideInputError);
    await expect(
      generateSample({ outDir: out, accounts: 5, world: 'noise', truthFile: out }),
    ).rejects.toBeInstanceOf(TruthInsideInputError);
    await expect(
      generateSample({ outDir: out, accounts: 5, world: 'mars' }),
    ).rejects.toBeInstanceOf(UnknownWorldError);
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });

  it('exits 2 with a clear message from the CLI when --truth lies inside --out', async () => {
    let stderr = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
    const out = join(root, 'cli');
    const code = await main([
      'generate',
      '--out',
      out,
      '--accounts',
      '5',
      '--world',
      'trends',
      '--truth',
      join(out, 'pendo', 'truth.csv'),
    ]);
    vi.restoreAllMocks();
    expect(code).toBe(2);
    expect(stderr).toMatch(/refusing to write the truth file .* inside the sample folder/);
  });

  it('leaves the default sample unchanged when a truth is written for it', async () => {
    const a = join(root, 'default-a');
    const b = join(root, 'default-b');
    await generateSample({ outDir: a, accounts: 30, seed: 4 });
    await generateSample({
      outDir: b,
      accounts: 30,
      seed: 4,
      truthFile: join(root, 'default.truth.csv'),
    });
    expect(await digest(b)).toEqual(await digest(a));
    const truth = await readTruthFile(join(root, 'default.truth.csv'));
    expect(truth).toHaveLength(30);
    expect(truth.every((t) => t.world === 'default')).toBe(true);
  }, 60_000);
});
