import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { headerAttributes, headerValue } from '../../insights/alertText.ts';
import type { Message, Notifier } from '../../ports/index.ts';

/** Longest readable part of an outbox file name, characters (the whole name stays under 100 bytes). */
const MAX_NAME_CHARS = 64;

/**
 * The file name of a message: the dedupe key reduced to letters, digits, dot, dash and underscore, cut to 64
 * characters, plus the first 16 hex digits of the key's SHA-256, so two keys that differ only in punctuation or
 * beyond the cut get two files, and any key gives a name well under file-system limits (255 bytes).
 */
export function outboxFileName(dedupeKey: string): string {
  const readable = dedupeKey
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(0, MAX_NAME_CHARS);
  const hash = createHash('sha256').update(dedupeKey).digest('hex').slice(0, 16);
  return `${readable}-${hash}.txt`;
}

/**
 * The text of an outbox file: header lines (subject and attributes, each one line without control characters, so a
 * CRM field cannot add a header of its own), a blank line, the body.
 */
export function outboxText(m: Message): string {
  const attrs = Object.entries(headerAttributes(m.attributes)).map(([k, v]) => `${k}: ${v}`);
  const body = m.body.replace(/\r\n?/g, '\n');
  return [`Subject: ${headerValue(m.subject, 998)}`, ...attrs, '', body, ''].join('\n');
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
        // 'wx' fails when the file exists: a message already delivered is not sent again (idempotent on the key).
        await writeFile(path, outboxText(m), { flag: 'wx' });
        sent++;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    return sent;
  }
}
