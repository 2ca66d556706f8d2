import { CvsError } from '../../errors.ts';
import type { AlertDigestResult, AlertLogEntry } from '../../insights/index.ts';
import type { StepFn } from '../types.ts';
import { appendAlertLog } from './alertLog.ts';
import { DIGESTS_KEY } from './keys.ts';

/** Some alert digests could not be delivered; the delivered ones are logged, the others are sent by the next run. */
export class AlertDeliveryError extends CvsError {
  /** A retry sends the undelivered digests (delivered ones are never sent twice). */
  static override readonly retryable = true;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AlertDeliveryError';
  }
}

/**
 * Step send-alerts: publishes the digests built by risk-and-revenue one message at a time (the notifier never sends
 * a dedupe key twice, so a re-run of the same day sends nothing new) and appends to the alert log only the entries
 * of messages that were delivered (sent now or before), so a failed send is not silenced by the cool-down: the next
 * run alerts those accounts again. When a message fails, the others are still tried, then the step fails naming it.
 */
export const sendAlertsStep: StepFn = async (state, ctx) => {
  if (!(await ctx.run.exists(DIGESTS_KEY))) return { sent: 0, skipped: 'no digests (no CRM data)' };
  const digests = JSON.parse(
    Buffer.from(await ctx.run.get(DIGESTS_KEY)).toString('utf8'),
  ) as AlertDigestResult;
  let sent = 0;
  const delivered = new Set<string>();
  const failed: { key: string; error: unknown }[] = [];
  for (const m of digests.messages) {
    try {
      sent += await ctx.ports.notifier.publish([m]);
      delivered.add(m.dedupeKey);
    } catch (error) {
      failed.push({ key: m.dedupeKey, error });
    }
  }
  // Entries name their message; an entry without one (older digests.json) needs every message delivered.
  const entries: AlertLogEntry[] = digests.logEntries
    .filter((e) => (e.dedupeKey === undefined ? failed.length === 0 : delivered.has(e.dedupeKey)))
    .map(({ accountId, trigger, asOf }) => ({ accountId, trigger, asOf }));
  const added = await appendAlertLog(ctx.ports.output, entries);
  ctx.log(`send-alerts: ${sent} of ${digests.messages.length} messages sent for ${state.asOf}`);
  if (failed.length > 0) {
    const first =
      failed[0].error instanceof Error ? failed[0].error.message : String(failed[0].error);
    throw new AlertDeliveryError(
      `${failed.length} of ${digests.messages.length} alert digests could not be delivered (${failed.map((f) => f.key).join(', ')}): ${first}; they are not in the alert log, so the next run sends them`,
      { cause: failed[0].error },
    );
  }
  return {
    messages: digests.messages.length,
    sent,
    held: digests.held,
    alertLogAdded: added,
  };
};
