import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../../shared/adapters/local/duckdbEngine.ts';
import { cleanup, hashTree, pendoBase, writeInput } from './fixtures.ts';

/**
 * Dates do not depend on the machine's time zone: the same export validated by processes running with TZ set to the
 * two ends of the clock gives the same timestamps and dates, and a timestamp with an offset is converted to UTC before
 * its date is taken. Each run is its own Node process (DuckDB and Node read TZ when they start).
 */

const ROOT = resolve(import.meta.dirname, '..', '..', '..');

const CHILD = `
const { DuckDbEngine } = await import(${JSON.stringify(join(ROOT, 'shared/adapters/local/duckdbEngine.ts'))});
const { FolderStore } = await import(${JSON.stringify(join(ROOT, 'shared/adapters/local/folderStore.ts'))});
const { validateInputs } = await import(${JSON.stringify(join(ROOT, 'shared/contract/validate.ts'))});
const [input, run] = process.argv.slice(-2);
const engine = await DuckDbEngine.open({ threads: 1 });
await validateInputs({ input: new FolderStore(input), engine, run: new FolderStore(run), asOf: '2024-02-01', linkColumn: 'agent_salesforceaccountid' });
const [tz] = await engine.query("SELECT current_setting('TimeZone') AS tz");
const accounts = await engine.query('SELECT account_id, CAST(first_event_on AS VARCHAR) AS first_day, CAST(last_event_on AS VARCHAR) AS last_day, CAST(first_visit_at AS VARCHAR) AS first_visit FROM pendo__account ORDER BY account_id');
const features = await engine.query('SELECT feature_id, CAST(created_at AS VARCHAR) AS created FROM pendo__feature ORDER BY feature_id');
await engine.close();
console.log(JSON.stringify({ tz: tz.tz, jsDate: new Date(2024, 0, 1).getTimezoneOffset(), accounts, features }));
`;

/** Validates the input in a child process with the given TZ and returns what it read. */
function validateWithTz(tz: string, input: string, run: string) {
  const res = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', CHILD, '--', input, run],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TZ: tz } },
  );
  if (res.status !== 0) throw new Error(`validation with TZ=${tz} failed:\n${res.stderr}`);
  return JSON.parse(res.stdout.trim().split('\n').pop() ?? '{}');
}

const dirs: string[] = [];
let input: string;
beforeAll(async () => {
  const base = pendoBase();
  const [head, a1, a2] = base['pendo/pendo__account/part-1.csv'].split('\n');
  // A1 ends late on Jan 5 in New York (Jan 6 in UTC); A2's zone is Kiritimati (+14: Jan 3 in UTC)
  const zoned = (line: string, first: string, last: string, visit: string) => {
    const cells = line.split(',');
    const cols = head.split(',');
    cells[cols.indexOf('first_event_on')] = first;
    cells[cols.indexOf('last_event_on')] = last;
    return `${cells.join(',')},${visit}`;
  };
  base['pendo/pendo__account/part-1.csv'] = [
    `${head},first_visit_at`,
    zoned(a1, '2024-01-01', '2024-01-05T23:30:00-05:00', '2024-01-01T00:15:00Z'),
    zoned(a2, '2024-01-02 00:00:00', '2024-01-04T08:00:00+14:00', '2024-01-02 06:00:00'),
  ].join('\n');
  input = await writeInput(base);
  dirs.push(input);
  // a Parquet feature file with a TIMESTAMP WITH TIME ZONE column
  const engine = await DuckDbEngine.open({ threads: 1 });
  const path = join(input, 'pendo', 'pendo__feature', 'part-2.parquet');
  await engine.execute(
    `COPY (SELECT 'db.pendo' AS source_relation, 'F9' AS feature_id, true AS is_core_event, ` +
      `TIMESTAMPTZ '2024-01-31 23:30:00-05:00' AS created_at) TO '${path}' (FORMAT parquet)`,
  );
  await engine.close();
});
afterAll(() => cleanup(dirs));

describe('Dates and time zones', () => {
  it('gives the same UTC timestamps and dates whatever the process time zone', {
    timeout: 180_000,
  }, async () => {
    // Prepare
    const before = await hashTree(input);
    const east = await writeInput({});
    const west = await writeInput({});
    dirs.push(east, west);

    // Act
    const kiritimati = validateWithTz('Pacific/Kiritimati', input, east);
    const losAngeles = validateWithTz('America/Los_Angeles', input, west);

    // Assess: the two processes did run in different zones (Node and DuckDB both) ...
    expect(kiritimati.tz).toBe('Pacific/Kiritimati');
    expect(losAngeles.tz).toBe('America/Los_Angeles');
    expect(kiritimati.jsDate).not.toBe(losAngeles.jsDate);
    // ... and read the same values, converted to UTC by hand: 23:30 at -05:00 is 04:30 the next day
    const expected = {
      accounts: [
        {
          account_id: 'A1',
          first_day: '2024-01-01',
          last_day: '2024-01-06',
          first_visit: '2024-01-01 00:15:00',
        },
        {
          account_id: 'A2',
          first_day: '2024-01-02',
          last_day: '2024-01-03',
          first_visit: '2024-01-02 06:00:00',
        },
      ],
      features: [
        { feature_id: 'F1', created: null },
        { feature_id: 'F2', created: null },
        { feature_id: 'F9', created: '2024-02-01 04:30:00' },
      ],
    };
    expect({ accounts: kiritimati.accounts, features: kiritimati.features }).toEqual(expected);
    expect({ accounts: losAngeles.accounts, features: losAngeles.features }).toEqual(expected);
    expect(await hashTree(input)).toEqual(before);
  });
});
