import type { AlertDigestResult, AlertLogEntry } from '../../insights/index.ts';
import type { StepFn } from '../types.ts';
import { ALERT_LOG_KEY, DIGESTS_KEY } from './keys.ts';
import { readAlertLog } from './riskAndRevenueStep.ts';

/**
 * Step send-alerts: publishes the digests built by risk-and-revenue (the notifier never sends a dedupe key twice, so
 * a re-run of the same day sends nothing new) and appends the alerted accounts to the alert log for the cool-down.
 */
export const sendAlertsStep: StepFn = async (state, ctx) => {
  if (!(await ctx.run.exists(DIGESTS_KEY))) return { sent: 0, skipped: 'no digests (no CRM data)' };
  const digests = JSON.parse(
    Buffer.from(await ctx.run.get(DIGESTS_KEY)).toString('utf8'),
  ) as AlertDigestResult;
  const sent = await ctx.ports.notifier.publish(digests.messages);
  const log = await readAlertLog(ctx.ports.output);
  const key = (e: AlertLogEntry) => `${e.accountId}\u0000${e.trigger}\u0000${e.asOf}`;
  const seen = new Set(log.map(key));
  const added = digests.logEntries.filter((e) => !seen.has(key(e)));
  if (added.length) {
    const text = [...log, ...added].map((e) => JSON.stringify(e)).join('\n');
    await ctx.ports.output.put(ALERT_LOG_KEY, `${text}\n`, 'application/x-ndjson');
  }
  ctx.log(`send-alerts: ${sent} of ${digests.messages.length} messages sent for ${state.asOf}`);
  return {
    messages: digests.messages.length,
    sent,
    held: digests.held,
    alertLogAdded: added.length,
  };
};
