import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../shared/adapters/local/duckdbEngine.ts';
import { parseConfig } from '../../shared/config/load.ts';
import { generateSample } from '../../shared/generate/index.ts';
import { runLocalPipeline } from '../../shared/pipeline/runLocal.ts';
import { RUN_LOCK_FILE, RunLockedError } from '../../shared/pipeline/runLock.ts';
import { folderHash } from '../helpers/folderHash.ts';

const asOf = '2024-10-31';
const EVIL_NAME = '=HYPERLINK("http://evil.test","click")';
const EVIL_INDUSTRY = `Retail\r\nBcc: attacker@evil.test\r\n${'x'.repeat(300)}`;

type CsvRow = Record<string, string>;
const readCsv = (path: string): CsvRow[] => parse(readFileSync(path, 'utf8'), { columns: true });

describe('e2e: an absent contact export and hostile CRM text', () => {
  let root: string;
  let input: string;
  let inputHash: string;
  const config = parseConfig({});

  beforeAll(async () => {
    // Prepare: a generated sample; the copy the user "exported" lacks salesforce/contact and carries a formula as
    // one account name and an injection of 300+ characters as that account's industry
    root = mkdtempSync(join(tmpdir(), 'cvs-e2e-missing-'));
    await generateSample({ outDir: join(root, 'full'), accounts: 80, seed: 9, asOf });
    input = join(root, 'in');
    cpSync(join(root, 'full'), input, { recursive: true });
    rmSync(join(input, 'salesforce', 'contact'), { recursive: true });
    const accountCsv = join(input, 'salesforce', 'account', 'part-0000.csv');
    const accounts = readCsv(accountCsv);
    accounts[0].name = EVIL_NAME;
    accounts[0].industry = EVIL_INDUSTRY;
    writeFileSync(accountCsv, stringify(accounts, { header: true }));
    inputHash = folderHash(input);
  }, 120_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('runs both ways; without contacts no account is called high-risk and the digests say why', async () => {
    // Act
    const full = await runLocalPipeline({
      input: join(root, 'full'),
      out: join(root, 'o1'),
      asOf,
      config,
    });
    const held = join(root, 'o2');
    // two runs on the same output folder at once: one holds the lock, the other is refused before it sends anything
    const both = await Promise.allSettled([
      runLocalPipeline({ input, out: held, asOf, config }),
      runLocalPipeline({ input, out: held, asOf, config }),
    ]);

    // Assess: one ran, one was refused, and each digest was delivered once
    const ran = both.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const refused = both.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(ran).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toBeInstanceOf(RunLockedError);
    const run = ran[0];
    expect(readdirSync(held)).not.toContain(RUN_LOCK_FILE);
    const digests = JSON.parse(readFileSync(join(run.runDir, 'alerts', 'digests.json'), 'utf8'));
    expect(readdirSync(join(held, 'outbox'))).toHaveLength(digests.messages.length);

    // the complete export flags some accounts; the one without contacts flags none on a renormalised health
    const fullScores = readCsv(join(full.runDir, 'account_scores.csv'));
    const scores = readCsv(join(run.runDir, 'account_scores.csv'));
    const crm = scores.filter((r) => r.crm_health_score !== '');
    expect(fullScores.some((r) => r.high_risk === 'true')).toBe(true);
    expect(crm.length).toBeGreaterThan(50);
    expect(crm.filter((r) => r.high_risk === 'true')).toHaveLength(0);
    expect(crm.every((r) => r.missing_inputs.split(';').includes('salesforce/contact'))).toBe(true);
    expect(crm.every((r) => r.crm_contact_score === '')).toBe(true);
    for (const m of digests.messages) {
      expect(m.body).not.toContain('(< 50) -> health playbook');
      // a digest listing an account with a health score says what that score lacks
      if (/, health \d/.test(m.body))
        expect(m.body).toContain('Missing inputs: salesforce/contact');
    }

    // hostile text: the CSV deliverable neutralises the formula, the Parquet copy keeps it raw
    const evil = scores.find((r) => r.account_name.includes('HYPERLINK'));
    expect(evil?.account_name).toBe(`'${EVIL_NAME}`);
    const engine = await DuckDbEngine.open();
    const raw = await engine.query(
      `SELECT account_name FROM read_parquet('${join(run.runDir, 'account_scores.parquet')}') WHERE account_name LIKE '%HYPERLINK%'`,
    );
    await engine.close();
    expect(raw[0]?.account_name).toBe(EVIL_NAME);
    // no outbox header line comes from the injected industry; every file name is short
    for (const name of readdirSync(join(held, 'outbox'))) {
      expect(Buffer.byteLength(name)).toBeLessThan(100);
      const header = readFileSync(join(held, 'outbox', name), 'utf8')
        .split('\n\n')[0]
        .split('\n');
      expect(header.filter((l) => /^bcc:/i.test(l))).toEqual([]);
      expect(header[0].length).toBeLessThan(9 + 100);
    }
    // the input folder was only read
    expect(folderHash(input)).toBe(inputHash);
  }, 600_000);
});
