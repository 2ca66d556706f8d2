import { access, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Message, Notifier } from '../../ports/index.ts';

/** A file name for a dedupe key: letters, digits, dot, dash and underscore only. */
export function outboxFileName(dedupeKey: string): string {
  return `${dedupeKey.replace(/[^A-Za-z0-9._-]+/g, '_')}.txt`;
}

/** The local notifier: each message becomes a text file in the outbox; a key already there is not sent again. */
export class OutboxNotifier implements Notifier {
  readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }

  async publish(messages: readonly Message[]): Promise<number> {
    await mkdir(this.root, { recursive: true });
    let sent = 0;
    for (const m of messages) {
      const path = join(this.root, outboxFileName(m.dedupeKey));
      try {
        await access(path);
        continue; // already delivered: idempotent on the dedupe key
      } catch {
        // not sent yet
      }
      const attrs = Object.entries(m.attributes)
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n');
      await writeFile(path, `Subject: ${m.subject}\n${attrs}\n\n${m.body}\n`);
      sent++;
    }
    return sent;
  }
}
