import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLES } from '../../../shared/contract/tables.ts';
import { generateSample, OutputFolderNotEmptyError } from '../../../shared/generate/index.ts';
import { digest, files } from './folderFiles.ts';

type Rec = Record<string, string>;

let root: string;
let sample: string;

async function table(source: string, name: string): Promise<Rec[]> {
  const text = await readFile(join(sample, source, name, 'part-0000.csv'), 'utf8');
  return parse(text, { columns: true }) as Rec[];
}

async function truth(): Promise<Rec[]> {
  return parse(await readFile(join(sample, '_truth', 'accounts.csv'), 'utf8'), {
    columns: true,
  }) as Rec[];
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cvs-generate-'));
  sample = join(root, 'sample');
  await generateSample({ outDir: sample, accounts: 120, seed: 7 });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('Function: generateSample', () => {
  it('writes byte-identical files when run twice with the same options', async () => {
    // Prepare
    const a = join(root, 'a');
    const b = join(root, 'b');
    // Act
    await generateSample({ outDir: a, accounts: 50, seed: 3 });
    await generateSample({ outDir: b, accounts: 50, seed: 3 });
    const c = join(root, 'c');
    await generateSample({ outDir: c, accounts: 50, seed: 4 });
    // Assess
    const [da, db, dc] = [await digest(a), await digest(b), await digest(c)];
    expect(Object.keys(da)).toHaveLength(12); // 10 tables, the marker and the truth file
    expect(da).toEqual(db);
    expect(dc['pendo/pendo__account/part-0000.csv']).not.toBe(
      da['pendo/pendo__account/part-0000.csv'],
    );
  });

  it('writes every contract table with the contract columns in contract order', async () => {
    // Act
    for (const def of TABLES) {
      const text = await readFile(join(sample, def.source, def.name, 'part-0000.csv'), 'utf8');
      const header = text.slice(0, text.indexOf('\n'));
      // Assess
      expect(header).toBe(def.columns.map((c) => c.name).join(','));
      expect(text.length).toBeGreaterThan(header.length + 1);
    }
  });

  it('reports the rows it wrote and records them in _generator.json', async () => {
    // Prepare
    const out = join(root, 'summary');
    // Act
    const summary = await generateSample({
      outDir: out,
      accounts: 20,
      seed: 1,
      asOf: '2024-06-30',
      months: 3,
    });
    const marker = JSON.parse(await readFile(join(out, '_generator.json'), 'utf8'));
    const accounts = parse(
      await readFile(join(out, 'pendo/pendo__account/part-0000.csv'), 'utf8'),
      { columns: true },
    );
    const daily = parse(
      await readFile(join(out, 'pendo/pendo__account_daily_metrics/part-0000.csv'), 'utf8'),
      {
        columns: true,
      },
    ) as Rec[];
    // Assess
    expect(summary.accounts).toBe(20);
    expect(accounts).toHaveLength(20);
    expect(summary.rows['pendo/pendo__account']).toBe(20);
    expect(marker.rows).toEqual(summary.rows);
    expect(marker.options).toEqual({ accounts: 20, seed: 1, asOf: '2024-06-30', months: 3 });
    // 3 months ending 2024-06-30 start on 2024-04-01; the spine ends at asOf
    const days = daily.map((r) => r.date_day).sort();
    expect(days[0]).toBe('2024-04-01');
    expect(days[days.length - 1]).toBe('2024-06-30');
  });

  it('makes pendo__account the exact roll-up of its daily rows', async () => {
    // Prepare
    const accounts = await table('pendo', 'pendo__account');
    const daily = await table('pendo', 'pendo__account_daily_metrics');
    const sums = new Map<
      string,
      {
        min: number;
        ev: number;
        days: number;
        vis: number;
        rec: number;
        pv: number;
        months: Set<string>;
        first: string;
        last: string;
      }
    >();
    for (const d of daily) {
      if (d.sum_minutes === '') continue;
      const s = sums.get(d.account_id) ?? {
        min: 0,
        ev: 0,
        days: 0,
        vis: 0,
        rec: 0,
        pv: 0,
        months: new Set<string>(),
        first: d.date_day,
        last: d.date_day,
      };
      s.min += Number(d.sum_minutes);
      s.ev += Number(d.sum_events);
      s.days += 1;
      s.vis += Number(d.count_active_visitors);
      s.rec += Number(d.count_event_records);
      s.pv += Number(d.count_page_viewing_visitors);
      s.months.add(d.date_day.slice(0, 7));
      if (d.date_day < s.first) s.first = d.date_day;
      if (d.date_day > s.last) s.last = d.date_day;
      sums.set(d.account_id, s);
    }
    // Act / Assess
    let never = 0;
    for (const a of accounts) {
      const s = sums.get(a.account_id);
      if (!s) {
        never++;
        expect([a.sum_minutes, a.count_active_days, a.first_event_on, a.last_event_on]).toEqual([
          '0',
          '0',
          '',
          '',
        ]);
        continue;
      }
      expect(Number(a.sum_minutes)).toBe(s.min);
      expect(Number(a.sum_events)).toBe(s.ev);
      expect(Number(a.count_active_days)).toBe(s.days);
      expect(Number(a.count_active_months)).toBe(s.months.size);
      expect(Number(a.count_active_visitors)).toBe(s.vis);
      expect(Number(a.count_event_records)).toBe(s.rec);
      expect(Number(a.count_page_viewing_visitors)).toBe(s.pv);
      expect(a.count_feature_clicking_visitors).toBe(a.count_page_viewing_visitors);
      expect([a.first_event_on, a.last_event_on]).toEqual([s.first, s.last]);
      expect(Number(a.average_daily_minutes)).toBeCloseTo(s.min / s.days, 5);
      expect(a.latest_account_index).toBe('1');
    }
    // 3% of 120 accounts (3.6, rounded) never had an event
    expect(never).toBe(4);
  });

  it('leaves every metric NULL on inactive days and keeps active days within the contract ranges', async () => {
    // Prepare
    const daily = await table('pendo', 'pendo__account_daily_metrics');
    const metrics = [
      'count_active_visitors',
      'sum_minutes',
      'sum_events',
      'count_event_records',
      'count_pages_viewed',
      'count_features_clicked',
      'count_page_viewing_visitors',
      'count_feature_clicking_visitors',
    ];
    // Act
    const inactive = daily.filter((d) => d.sum_minutes === '');
    const active = daily.filter((d) => d.sum_minutes !== '');
    // Assess
    expect(inactive.length).toBeGreaterThan(0);
    expect(inactive.filter((d) => metrics.some((m) => d[m] !== ''))).toEqual([]);
    const broken = active.filter((d) => {
      const [vis, min, ev, rec] = [
        d.count_active_visitors,
        d.sum_minutes,
        d.sum_events,
        d.count_event_records,
      ].map(Number);
      const clickers = d.count_feature_clicking_visitors === d.count_page_viewing_visitors;
      return !(vis >= 1 && min >= vis && ev >= min && rec <= min && min <= 60 * rec && clickers);
    });
    expect(active.length).toBeGreaterThan(0);
    expect(broken).toEqual([]);
  });

  it('includes a NULL-account series and account ids absent from pendo__account in the daily metrics', async () => {
    // Prepare
    const known = new Set((await table('pendo', 'pendo__account')).map((a) => a.account_id));
    const daily = await table('pendo', 'pendo__account_daily_metrics');
    // Act
    const nullRows = daily.filter((d) => d.account_id === '');
    const orphans = new Set(
      daily.filter((d) => d.account_id !== '' && !known.has(d.account_id)).map((d) => d.account_id),
    );
    // Assess
    expect(nullRows.length).toBeGreaterThan(0);
    expect(nullRows.every((d) => d.sum_minutes === '')).toBe(true);
    expect(orphans.size).toBeGreaterThanOrEqual(2);
  });

  it('links about 95% of Pendo accounts to an existing Salesforce account', async () => {
    // Prepare
    const accounts = await table('pendo', 'pendo__account');
    const sf = await table('salesforce', 'account');
    const sfIds = new Set(sf.map((a) => a.id));
    const linked = new Set(accounts.map((a) => a.agent_salesforceaccountid));
    // Act
    const share =
      accounts.filter((a) => sfIds.has(a.agent_salesforceaccountid)).length / accounts.length;
    // Assess: 2.5% unlinked + 2.5% dangling of 120 (3 + 3) -> exactly 114 of 120
    expect(share).toBe(0.95);
    expect(accounts.filter((a) => a.agent_salesforceaccountid === '')).toHaveLength(3);
    expect(sf.some((a) => !linked.has(a.id))).toBe(true);
    for (const a of sf) expect(a.id).toMatch(/^001[0-9A-Za-z]{15}$/);
  });

  it('makes rising accounts grow and declining accounts shrink over the window', async () => {
    // Prepare: window 2024-01-01 .. 2024-10-31; first 3 months Jan-Mar, last 3 months Aug-Oct
    const arche = new Map((await truth()).map((t) => [t.account_id, t.archetype]));
    const daily = await table('pendo', 'pendo__account_daily_metrics');
    const early = new Map<string, number>();
    const late = new Map<string, number>();
    for (const d of daily) {
      if (d.sum_minutes === '') continue;
      const m = d.date_day.slice(0, 7);
      if (m <= '2024-03')
        early.set(d.account_id, (early.get(d.account_id) ?? 0) + Number(d.sum_minutes));
      if (m >= '2024-08')
        late.set(d.account_id, (late.get(d.account_id) ?? 0) + Number(d.sum_minutes));
    }
    const mean = (kind: string, m: Map<string, number>): number => {
      const ids = [...arche].filter(([, a]) => a === kind).map(([id]) => id);
      return ids.reduce((s, id) => s + (m.get(id) ?? 0), 0) / ids.length;
    };
    // Act / Assess
    expect(mean('rising', late)).toBeGreaterThan(mean('rising', early));
    expect(mean('declining', late)).toBeLessThan(mean('declining', early));
    const counts = ['rising', 'flat', 'declining'].map(
      (k) => [...arche.values()].filter((a) => a === k).length,
    );
    expect(counts).toEqual([40, 40, 40]);
  });

  it('keeps visitor-feature counts ordered and includes unknown visitors and features', async () => {
    // Prepare
    const vf = await table('pendo', 'pendo__visitor_feature');
    const visitors = new Set((await table('pendo', 'pendo__visitor')).map((v) => v.visitor_id));
    const features = new Set((await table('pendo', 'pendo__feature')).map((f) => f.feature_id));
    // Act / Assess
    const broken = vf.filter(
      (r) =>
        !(
          Number(r.count_active_days) <= Number(r.count_click_events) &&
          Number(r.count_click_events) <= Number(r.sum_clicks) &&
          r.first_click_at <= r.last_click_at &&
          /^\d{4}-\d{2}-\d{2} \d{2}:00:00$/.test(r.first_click_at)
        ),
    );
    expect(broken).toEqual([]);
    expect(vf.some((r) => !visitors.has(r.visitor_id))).toBe(true);
    expect(vf.some((r) => !features.has(r.feature_id))).toBe(true);
    expect(new Set(vf.map((r) => `${r.visitor_id}|${r.feature_id}`)).size).toBe(vf.length);
  });

  it('writes booleans as true/false and Salesforce ids with their key prefixes', async () => {
    // Prepare
    const task = await table('salesforce', 'task');
    const event = await table('salesforce', 'event');
    const contact = await table('salesforce', 'contact');
    // Act / Assess
    expect(new Set(task.map((t) => t.is_closed))).toEqual(new Set(['true', 'false']));
    expect(task.every((t) => t.id.startsWith('00T') && t.id.length === 18)).toBe(true);
    expect(task.every((t) => t.activity_date.endsWith(' 00:00:00'))).toBe(true);
    expect(task.some((t) => t.account_id === '' && t.who_id.startsWith('00Q'))).toBe(true);
    expect(task.some((t) => t.activity_date > '2024-10-31')).toBe(true);
    expect(
      event.every(
        (e) => e.id.startsWith('00U') && (e.activity_date === '') !== (e.activity_date_time === ''),
      ),
    ).toBe(true);
    expect(contact.every((c) => c.id.startsWith('003'))).toBe(true);
  });

  it('refuses a non-empty folder that is not a previous sample and leaves it untouched', async () => {
    // Prepare
    const mine = join(root, 'mine');
    await mkdir(mine);
    await writeFile(join(mine, 'notes.txt'), 'keep me');
    // Act & Assess
    await expect(generateSample({ outDir: mine, accounts: 5 })).rejects.toBeInstanceOf(
      OutputFolderNotEmptyError,
    );
    expect(await files(mine)).toEqual(['notes.txt']);
    expect((await readdir(root)).some((f) => f.includes('.tmp-'))).toBe(false);
  });

  it('replaces a previous sample when the folder holds the marker', async () => {
    // Prepare
    const out = join(root, 'again');
    await generateSample({ outDir: out, accounts: 5, seed: 1 });
    // Act
    await generateSample({ outDir: out, accounts: 8, seed: 1 });
    // Assess
    const accounts = parse(
      await readFile(join(out, 'pendo/pendo__account/part-0000.csv'), 'utf8'),
      { columns: true },
    );
    expect(accounts).toHaveLength(8);
  });

  it('rejects options out of range', async () => {
    // Act & Assess
    await expect(generateSample({ outDir: join(root, 'x'), accounts: 0 })).rejects.toThrow(
      /accounts/,
    );
    await expect(generateSample({ outDir: join(root, 'x'), asOf: '2024-13-01' })).rejects.toThrow(
      /YYYY-MM-DD/,
    );
  });
});
