/**
 * Salesforce task and event rows. An account's weekly activity follows its Pendo trend archetype (declining accounts
 * go quiet, dormant ones stop), scaled by value and size. Task activity_date is a due date at midnight and can be
 * in the future; events are all-day (activity_date) or timed (activity_date_time). A few tasks are on leads (00Q)
 * and have no account.
 */
import { salesforceId, timestampText } from './format.ts';
import { Rng } from './random.ts';
import type { SampleWorld, SfAccount } from './sampleWorld.ts';
import { crmFactor, STREAM } from './worldFactors.ts';
import type { SampleRow } from './writeCsvTable.ts';

/** Tasks and events of one account, without ids; `day` is the activity date (day number). */
interface Activities {
  tasks: { day: number; row: SampleRow }[];
  events: { day: number; row: SampleRow }[];
}

const TASK_KINDS = [
  ['Call', 'Call', 'Call: check-in'],
  ['Email', 'Email', 'Email: follow-up'],
  ['Meeting', 'Task', 'Prepare quarterly business review'],
  ['Other', 'Task', 'Update renewal notes'],
] as const;
const OPEN_STATUSES = ['Not Started', 'In Progress', 'Waiting on someone else', 'Deferred'];

function links(r: Rng, acc: SfAccount): { who_id: string | null; what_id: string } {
  const who =
    acc.contactCount > 0 && r.chance(0.7)
      ? salesforceId('003', acc.contactStart + r.int(0, acc.contactCount - 1))
      : null;
  const what =
    acc.oppCount > 0 && r.chance(0.4)
      ? salesforceId('006', acc.oppStart + r.int(0, acc.oppCount - 1))
      : acc.id;
  return { who_id: who, what_id: what };
}

function task(
  world: SampleWorld,
  r: Rng,
  acc: SfAccount,
  day: number,
): { day: number; row: SampleRow } {
  const asOf = world.opts.asOfDay;
  const [type, subtype, subject] = r.pick(TASK_KINDS);
  const closed = day <= asOf && r.chance(0.9);
  return {
    day,
    row: {
      account_id: acc.id,
      activity_date: timestampText(day),
      completed_date_time: closed
        ? timestampText(Math.min(asOf, day + r.int(0, 2)), r.int(28_800, 64_800))
        : null,
      created_date: timestampText(Math.min(day, asOf) - r.int(0, 14), r.int(28_800, 64_800)),
      status: closed ? 'Completed' : r.pick(OPEN_STATUSES),
      is_closed: closed,
      type,
      task_subtype: subtype,
      subject,
      ...links(r, acc),
      call_duration_in_seconds: type === 'Call' && closed ? r.int(60, 3_600) : null,
      owner_id: r.pick(world.owners),
      is_deleted: r.chance(0.01),
      _fivetran_active: true,
    },
  };
}

function event(
  world: SampleWorld,
  r: Rng,
  acc: SfAccount,
  day: number,
): { day: number; row: SampleRow } {
  const allDay = r.chance(0.2);
  const start = r.int(9, 17) * 3_600 + (r.chance(0.5) ? 1_800 : 0);
  const length = r.pick([1_800, 3_600, 3_600, 5_400]);
  return {
    day,
    row: {
      account_id: acc.id,
      activity_date: allDay ? timestampText(day) : null,
      activity_date_time: allDay ? null : timestampText(day, start),
      start_date_time: timestampText(day, allDay ? 0 : start),
      end_date_time: allDay ? timestampText(day + 1) : timestampText(day, start + length),
      type: r.pick(['Meeting', 'Call', 'Demo', 'Onsite Visit']),
      event_subtype: 'Event',
      subject: r.pick([
        'Quarterly business review',
        'Product demo',
        'Renewal discussion',
        'Kick-off',
      ]),
      ...links(r, acc),
      owner_id: r.pick(world.owners),
      created_date: timestampText(
        Math.min(day, world.opts.asOfDay) - r.int(1, 21),
        r.int(28_800, 64_800),
      ),
      is_deleted: r.chance(0.01),
      _fivetran_active: true,
    },
  };
}

/** Draws one Salesforce account's tasks and events (deterministic, so the task and event passes agree). */
function accountActivities(world: SampleWorld, acc: SfAccount): Activities {
  const r = new Rng(world.opts.seed, STREAM.activity, acc.index);
  const pendo = acc.pendo >= 0 ? world.accounts[acc.pendo] : null;
  const asOf = world.opts.asOfDay;
  const weekly = pendo ? (0.12 + acc.value) * (1 + 0.2 * Math.log10(acc.employees)) : 0.15;
  const out: Activities = { tasks: [], events: [] };
  for (let week = world.windowStart; week <= asOf; week += 7) {
    const trend = pendo ? crmFactor(world, pendo, week + 3) : 1;
    const tasks = r.poisson(weekly * trend);
    for (let k = 0; k < tasks; k++)
      out.tasks.push(task(world, r, acc, Math.min(asOf, week + r.int(0, 6))));
    const events = r.poisson(0.35 * weekly * trend);
    for (let k = 0; k < events; k++)
      out.events.push(event(world, r, acc, Math.min(asOf, week + r.int(0, 6))));
  }
  const ahead = pendo ? crmFactor(world, pendo, asOf) : 1;
  const futureTasks = r.poisson((0.3 + 1.5 * acc.value) * Math.min(ahead, 2));
  for (let k = 0; k < futureTasks; k++) out.tasks.push(task(world, r, acc, asOf + r.int(1, 45)));
  const futureEvents = r.poisson((0.3 + acc.value) * Math.min(ahead, 2));
  for (let k = 0; k < futureEvents; k++) out.events.push(event(world, r, acc, asOf + r.int(1, 30)));
  return out;
}

/** Raises `last[i]` to a past activity day (Salesforce's last_activity_date: closed tasks and events). */
function noteActivity(
  last: Int32Array,
  i: number,
  day: number,
  asOf: number,
  counts: boolean,
): void {
  if (counts && day <= asOf && day > last[i]) last[i] = day;
}

/** Yields every task (accounts in order, then lead tasks without an account) and records last activity days. */
export function* salesforceTaskRows(world: SampleWorld, last: Int32Array): Generator<SampleRow> {
  const asOf = world.opts.asOfDay;
  let serial = 0;
  for (const acc of world.sf) {
    for (const t of accountActivities(world, acc).tasks) {
      noteActivity(
        last,
        acc.index,
        t.day,
        asOf,
        t.row.is_closed === true && t.row.is_deleted === false,
      );
      yield { id: salesforceId('00T', serial++), ...t.row };
    }
  }
  const r = new Rng(world.opts.seed, STREAM.activity, -1);
  const leads = Math.max(3, Math.round(world.sf.length * 0.5));
  for (let k = 0; k < leads; k++) {
    const lead: SfAccount = { ...world.sf[0], contactCount: 0, oppCount: 0 };
    const t = task(world, r, lead, world.windowStart + r.int(0, world.windowDays + 20));
    yield {
      id: salesforceId('00T', serial++),
      ...t.row,
      account_id: null,
      who_id: salesforceId('00Q', k),
      what_id: null,
    };
  }
}

/** Yields every event and records last activity days (run before the account rows). */
export function* salesforceEventRows(world: SampleWorld, last: Int32Array): Generator<SampleRow> {
  const asOf = world.opts.asOfDay;
  let serial = 0;
  for (const acc of world.sf) {
    for (const e of accountActivities(world, acc).events) {
      noteActivity(last, acc.index, e.day, asOf, e.row.is_deleted === false);
      yield { id: salesforceId('00U', serial++), ...e.row };
    }
  }
}
