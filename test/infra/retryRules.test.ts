import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CLASSES, errorName, nonRetryableErrors } from '../../infra/retryRules.ts';
import { REPO_ROOT } from '../../infra/scripts/generateHandlers.ts';

/** Error classes only the local CLI throws (never a Lambda): they need no Retry rule. */
const CLI_ONLY = [
  'NoChampionError', // cvs score / train
  'OutputFolderNotEmptyError', // cvs generate
  'TruthInsideInputError', // cvs generate --truth
  'UnknownWorldError', // cvs generate --world
  'RunFolderError', // cvs evaluate
  'TruthFileError', // cvs evaluate
  'AsOfOutOfRangeError', // the local runner's --as-of check
  'RunLockedError', // the local runner's lock on its output folder
];

/** `class X extends Y` declarations of error classes in the TypeScript sources under a folder. */
function declaredErrorClasses(folder: string): { name: string; base: string }[] {
  const out: { name: string; base: string }[] = [];
  for (const entry of readdirSync(join(REPO_ROOT, folder), { recursive: true })) {
    const file = String(entry);
    if (!file.endsWith('.ts')) continue;
    const text = readFileSync(join(REPO_ROOT, folder, file), 'utf8');
    for (const m of text.matchAll(/class (\w+) extends (\w+Error)\b/g))
      out.push({ name: m[1], base: m[2] });
  }
  return out;
}

describe('Function: nonRetryableErrors', () => {
  it('fails at once on bad input, config, run state and models, and retries the transient service errors', () => {
    // Act
    const names = nonRetryableErrors();

    // Assess
    for (const name of [
      'ContractViolationError',
      'ConfigError',
      'ModelInputError',
      'ModelFormatError',
      'UnknownStepError',
      'ObjectNotFoundError',
    ])
      expect(names, name).toContain(name);
    for (const name of [
      'QueryFailedError',
      'ScoreStoreWriteError',
      'NotifyFailedError',
      'AlertDeliveryError',
    ])
      expect(names, name).not.toContain(name);
    expect(names).toEqual([...names].sort());
  });

  it('lists every error class a Lambda can throw, each reporting its own class name', () => {
    // Prepare
    const declared = [...declaredErrorClasses('shared'), ...declaredErrorClasses('functions')];
    const registered = ERROR_CLASSES.map(errorName);

    // Assess
    expect(declared.length).toBeGreaterThan(5);
    for (const { name } of declared.filter((d) => !CLI_ONLY.includes(d.name)))
      expect(registered, `${name} is not in ERROR_CLASSES`).toContain(name);
    for (const cls of ERROR_CLASSES) expect(errorName(cls)).toBe(cls.name);
  });
});
