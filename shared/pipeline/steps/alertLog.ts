import type { AlertLogEntry } from '../../insights/index.ts';
import type { ObjectStore } from '../../ports/index.ts';
import { ALERT_LOG_KEY } from './keys.ts';

/** The alert log kept in the output store (one JSON object per line). */
export async function readAlertLog(store: ObjectStore): Promise<AlertLogEntry[]> {
  if (!(await store.exists(ALERT_LOG_KEY))) return [];
  return Buffer.from(await store.get(ALERT_LOG_KEY))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as AlertLogEntry);
}

/** Appends alert-log entries not already there (same account, reason and date); returns how many were added. */
export async function appendAlertLog(
  store: ObjectStore,
  entries: readonly AlertLogEntry[],
): Promise<number> {
  const log = await readAlertLog(store);
  const key = (e: AlertLogEntry) => `${e.accountId}\u0000${e.trigger}\u0000${e.asOf}`;
  const seen = new Set(log.map(key));
  const added = entries.filter((e) => !seen.has(key(e)));
  if (added.length) {
    const text = [...log, ...added].map((e) => JSON.stringify(e)).join('\n');
    await store.put(ALERT_LOG_KEY, `${text}\n`, 'application/x-ndjson');
  }
  return added.length;
}
