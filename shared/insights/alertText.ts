/**
 * Text that goes into message headers (subjects, SNS message attributes, outbox header lines) comes partly from CRM
 * fields (account names, industries). Header values must be one line without control characters: a line break in a
 * CRM field would otherwise add a header line of its own (`Bcc: ...`). The full text stays in the message body.
 */

/** Control characters (C0, DEL, C1) and Unicode line and paragraph separators: each becomes a space. */
const BREAKS = /[\p{Cc}\p{Zl}\p{Zp}]/gu;
/** Invisible format characters (zero-width, byte-order mark, bidirectional overrides): removed. */
const INVISIBLE = /\p{Cf}/gu;

/** Longest message-attribute value kept, characters (filter policies match whole values; ours are short). */
export const MAX_ATTRIBUTE_CHARS = 256;

/**
 * The text on one line: control characters and line breaks become spaces, invisible format characters (which can
 * make a header read differently from what it is) are removed, runs of whitespace become one space; trimmed.
 */
export function singleLine(text: string): string {
  return text.replace(BREAKS, ' ').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

/** One header value: singleLine, cut to `max` characters with an ellipsis when longer. */
export function headerValue(text: string, max: number): string {
  const line = singleLine(text);
  if (line.length <= max) return line;
  let cut = line.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1); // never half a surrogate pair
  return `${cut.trimEnd()}…`;
}

/** Message attributes with single-line values of at most MAX_ATTRIBUTE_CHARS characters and tidy names. */
export function headerAttributes(attrs: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) {
    const name = k.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 256);
    if (name) out[name] = headerValue(v, MAX_ATTRIBUTE_CHARS);
  }
  return out;
}
