import type { AlertDigestResult } from '../../insights/index.ts';
import type { StepFn } from '../types.ts';
import { appendAlertLog } from './alertLog.ts';
import { DIGESTS_KEY } from './keys.ts';

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
  const added = await appendAlertLog(ctx.ports.output, digests.logEntries);
  ctx.log(`send-alerts: ${sent} of ${digests.messages.length} messages sent for ${state.asOf}`);
  return {
    messages: digests.messages.length,
    sent,
    held: digests.held,
    alertLogAdded: added,
  };
};
