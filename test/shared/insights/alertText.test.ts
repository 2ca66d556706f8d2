import { describe, expect, it } from 'vitest';
import { headerAttributes, headerValue, singleLine } from '../../../shared/insights/alertText.ts';
import { buildAlertDigests, digestKey } from '../../../shared/insights/buildAlertDigests.ts';
import type { ScoredAccount } from '../../../shared/insights/types.ts';
import { account, defaults } from './fixtures.ts';

const asOf = '2024-06-30';
const INJECTED = 'Acme\r\nBcc: attacker@evil.test\r\n\r\nfake body';

/** Ten high-risk accounts of one segment: a high-risk digest with a subject and attributes from CRM fields. */
const segmentRows = (industry: string, name = 'Acme Corp'): ScoredAccount[] =>
  Array.from({ length: 10 }, (_, i) =>
    account({
      account_id: `a${i}`,
      account_name: name,
      industry,
      account_size_segment: 'Mid-Market',
      crm_health_score: 20,
      current_pipeline_amount: 1000 * (i + 1),
      total_won_amount: 0,
    }),
  );

const digests = (rows: ScoredAccount[]) =>
  buildAlertDigests({
    rows,
    triggers: {},
    asOf,
    runLink: 'https://example.test/r',
    alertLog: [],
    inputsNewestDate: asOf,
    config: defaults(),
  });

describe('Function: singleLine', () => {
  it('turns line breaks, tabs, NUL, DEL, C1 and line separators into spaces and drops bidi overrides', () => {
    // Act & Assess
    expect(singleLine('a\r\nb\tc\u0000d\u007Fe\u0085f\u2028g\u202Eh\u200Bi  j ')).toBe(
      'a b c d e f ghi j',
    );
  });
});

describe('Function: headerValue', () => {
  it('cuts to the limit with an ellipsis, never leaving half a surrogate pair', () => {
    // Prepare: 97 letters then an emoji (2 UTF-16 units) then more: the cut at 98 falls inside the emoji
    const text = `${'x'.repeat(97)}\u{1F600}tail`;
    // Act
    const cut = headerValue(text, 99);
    // Assess: 97 x + ellipsis (the lone high surrogate dropped)
    expect(cut).toBe(`${'x'.repeat(97)}…`);
    expect(cut.length).toBeLessThanOrEqual(99);
  });
});

describe('Function: headerAttributes', () => {
  it('keeps each attribute value on one line within 256 characters', () => {
    // Act
    const out = headerAttributes({ segment: `A\nB${'y'.repeat(400)}`, 'bad name\n': 'v' });
    // Assess
    expect(out.segment.startsWith('A B')).toBe(true);
    expect(out.segment).toHaveLength(256);
    expect(out.bad_name_).toBe('v');
  });
});

describe('Function: buildAlertDigests (header safety)', () => {
  it('keeps a Bcc: injection from a CRM industry out of the subject and attributes, on one line', () => {
    // Act
    const [m] = digests(segmentRows(INJECTED)).messages;
    // Assess
    expect(m.subject).not.toMatch(/[\r\n]/);
    expect(m.subject.length).toBeLessThan(100);
    expect(m.subject).toContain('Acme Bcc: attacker@evil.test fake body - Mid-Market');
    for (const v of Object.values(m.attributes))
      expect([...v].some((c) => c.charCodeAt(0) < 0x20)).toBe(false);
    expect(m.attributes.industry).toBe('Acme Bcc: attacker@evil.test fake body');
    // the body keeps the text, each line of it a line of its own making
    expect(m.body).toContain('Segment: Acme Bcc: attacker@evil.test fake body - Mid-Market');
    expect(m.body.split('\n').some((l) => l.startsWith('Bcc:'))).toBe(false);
  });

  it('keeps an account name with line breaks on its own line of the body', () => {
    // Act
    const [m] = digests(segmentRows('Retail', 'Evil\nBcc: x@y.test')).messages;
    // Assess
    expect(m.body).toContain('1. Evil Bcc: x@y.test (a9)');
    expect(m.body.split('\n').some((l) => l.startsWith('Bcc:'))).toBe(false);
  });

  it('gives a 300-character industry a subject under 100 characters and a bounded dedupe key', () => {
    // Prepare
    const industry = 'I'.repeat(300);
    // Act
    const [m] = digests(segmentRows(industry)).messages;
    // Assess: the subject is cut, the body keeps the whole segment name
    expect(m.subject.length).toBeLessThan(100);
    expect(m.subject.endsWith('…')).toBe(true);
    expect(m.body).toContain(`Segment: ${industry} - Mid-Market`);
    expect(m.dedupeKey.length).toBeLessThanOrEqual(11 + 80 + 1 + 16);
    expect(m.dedupeKey).toBe(digestKey(asOf, `${industry} - Mid-Market`));
  });
});

describe('Function: digestKey', () => {
  it('is readable for a clean short segment and unique for segments that differ only in punctuation', () => {
    // Act & Assess
    expect(digestKey(asOf, 'Retail - Mid-Market')).toBe('2024-06-30#Retail - Mid-Market');
    expect(digestKey(asOf, 'A\nB - Large')).not.toBe(digestKey(asOf, 'A B - Large'));
    expect(digestKey(asOf, 'A\nB - Large')).toMatch(/^2024-06-30#A B - Large#[0-9a-f]{16}$/);
  });
});
