import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  OutboxNotifier,
  outboxFileName,
} from '../../../../shared/adapters/local/outboxNotifier.ts';
import type { Message } from '../../../../shared/ports/index.ts';

const message = (segment: string, subject = `[CVS] alert ${segment}`): Message => ({
  subject,
  body: `Segment: ${segment}\nline two`,
  attributes: { segment, severity: 'high' },
  dedupeKey: `2024-10-31#${segment}`,
});

describe('Class: OutboxNotifier', () => {
  const dirs: string[] = [];
  const outbox = () => {
    const dir = mkdtempSync(join(tmpdir(), 'cvs-outbox-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('writes two files for two segments whose names differ only in punctuation', async () => {
    // Prepare
    const dir = outbox();
    // Act
    const sent = await new OutboxNotifier(dir).publish([
      message('Acme, Inc. - Large'),
      message('Acme Inc - Large'),
    ]);
    // Assess
    expect(sent).toBe(2);
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it('writes a message for an industry of 300 characters under a short file name', async () => {
    // Prepare
    const dir = outbox();
    const segment = `${'Ä'.repeat(150)}${'x'.repeat(150)} - Enterprise`;
    // Act
    const sent = await new OutboxNotifier(dir).publish([message(segment)]);
    // Assess
    const [name] = readdirSync(dir);
    expect(sent).toBe(1);
    expect(Buffer.byteLength(name)).toBeLessThan(100);
    expect(readFileSync(join(dir, name), 'utf8')).toContain(`Segment: ${segment}`);
  });

  it('keeps an injected Bcc: line out of the header block', async () => {
    // Prepare: subject and attribute carry CR LF and a Bcc header
    const dir = outbox();
    const m: Message = {
      subject: 'Alert for Acme\r\nBcc: attacker@evil.test',
      body: 'body',
      attributes: { segment: 'Acme\nBcc: other@evil.test', severity: 'high' },
      dedupeKey: '2024-10-31#Acme',
    };
    // Act
    await new OutboxNotifier(dir).publish([m]);
    // Assess: the header block (before the first blank line) has one line per field, none starts with Bcc
    const text = readFileSync(join(dir, readdirSync(dir)[0]), 'utf8');
    const header = text.split('\n\n')[0].split('\n');
    expect(header).toEqual([
      'Subject: Alert for Acme Bcc: attacker@evil.test',
      'segment: Acme Bcc: other@evil.test',
      'severity: high',
    ]);
  });

  it('does not send a dedupe key twice', async () => {
    // Prepare
    const dir = outbox();
    const n = new OutboxNotifier(dir);
    // Act
    const first = await n.publish([message('Retail - Large')]);
    const second = await n.publish([message('Retail - Large')]);
    // Assess
    expect([first, second]).toEqual([1, 0]);
  });
});

describe('Function: outboxFileName', () => {
  it('is readable, bounded and differs for keys that differ only beyond the cut or in punctuation', () => {
    // Act
    const a = outboxFileName(`2024-10-31#${'z'.repeat(200)}a`);
    const b = outboxFileName(`2024-10-31#${'z'.repeat(200)}b`);
    // Assess
    expect(a).not.toBe(b);
    expect(a.length).toBeLessThanOrEqual(64 + 1 + 16 + 4);
    expect(outboxFileName('2024-10-31#Retail - Large')).toMatch(
      /^2024-10-31_Retail_-_Large-[0-9a-f]{16}\.txt$/,
    );
    expect(outboxFileName('x#a.b')).not.toBe(outboxFileName('x#a,b'));
  });
});
