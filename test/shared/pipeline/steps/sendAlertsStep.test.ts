import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FolderStore } from '../../../../shared/adapters/local/folderStore.ts';
import { parseConfig } from '../../../../shared/config/load.ts';
import type { AlertDigestResult } from '../../../../shared/insights/index.ts';
import { readAlertLog } from '../../../../shared/pipeline/steps/alertLog.ts';
import { DIGESTS_KEY } from '../../../../shared/pipeline/steps/keys.ts';
import {
  AlertDeliveryError,
  sendAlertsStep,
} from '../../../../shared/pipeline/steps/sendAlertsStep.ts';
import type { RunState, StepContext } from '../../../../shared/pipeline/types.ts';
import type { Message, Notifier, Ports } from '../../../../shared/ports/index.ts';

const asOf = '2024-10-31';
const msg = (segment: string): Message => ({
  subject: `alert ${segment}`,
  body: 'b',
  attributes: { segment },
  dedupeKey: `${asOf}#${segment}`,
});
const DIGESTS: AlertDigestResult = {
  messages: [msg('Retail - Large'), msg('Media - Large')],
  logEntries: [
    { accountId: 'r1', trigger: 'high-risk', asOf, dedupeKey: `${asOf}#Retail - Large` },
    { accountId: 'm1', trigger: 'high-risk', asOf, dedupeKey: `${asOf}#Media - Large` },
  ],
  held: false,
};

/** A notifier that fails for the segments named in `failing` and records what it delivered. */
class FlakyNotifier implements Notifier {
  readonly delivered: string[] = [];
  constructor(readonly failing: Set<string>) {}
  async publish(messages: readonly Message[]): Promise<number> {
    for (const m of messages) {
      if (this.failing.has(m.attributes.segment)) throw new Error('SMTP relay down');
      this.delivered.push(m.dedupeKey);
    }
    return messages.length;
  }
}

describe('Function: sendAlertsStep', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  async function setup(notifier: Notifier) {
    const dir = mkdtempSync(join(tmpdir(), 'cvs-send-'));
    dirs.push(dir);
    const output = new FolderStore(dir);
    const run = new FolderStore(join(dir, 'runs', asOf));
    await run.put(DIGESTS_KEY, JSON.stringify(DIGESTS));
    const ports = { output, notifier } as unknown as Ports;
    const ctx: StepContext = { ports, config: parseConfig({}), run, log: () => {} };
    const state: RunState = { asOf, runId: 'r', runPrefix: `runs/${asOf}/`, steps: {} };
    return { output, ctx, state };
  }

  it('logs only the alerts whose message was delivered, and fails naming the other', async () => {
    // Prepare: the Media digest fails
    const notifier = new FlakyNotifier(new Set(['Media - Large']));
    const { output, ctx, state } = await setup(notifier);
    // Act & Assess
    await expect(sendAlertsStep(state, ctx)).rejects.toThrow(AlertDeliveryError);
    await expect(sendAlertsStep(state, ctx)).rejects.toThrow(/2024-10-31#Media - Large/);
    expect(await readAlertLog(output)).toEqual([{ accountId: 'r1', trigger: 'high-risk', asOf }]);
  });

  it('sends and logs the failed alert on the next attempt (not silenced by the cool-down)', async () => {
    // Prepare: first attempt fails for Media, the second succeeds
    const failing = new Set(['Media - Large']);
    const notifier = new FlakyNotifier(failing);
    const { output, ctx, state } = await setup(notifier);
    await sendAlertsStep(state, ctx).catch(() => undefined);
    failing.clear();
    // Act
    const out = await sendAlertsStep(state, ctx);
    // Assess
    expect(out).toMatchObject({ messages: 2, alertLogAdded: 1 });
    expect(notifier.delivered).toContain(`${asOf}#Media - Large`);
    expect((await readAlertLog(output)).map((e) => e.accountId).sort()).toEqual(['m1', 'r1']);
  });
});
