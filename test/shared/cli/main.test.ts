import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../shared/cli/main.ts';

describe('Function: main (cvs CLI)', () => {
  let dir: string;
  let stderr: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cvs-cli-'));
    stderr = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits 2 when a required option is missing', async () => {
    // Act
    const code = await main(['run', '--out', dir]);
    // Assess
    expect(code).toBe(2);
    expect(stderr).toContain("required option '-i, --input <dir>' not specified");
  });

  it('exits 2 with a one-line cause when the input folder does not exist', async () => {
    const code = await main(['run', '--input', join(dir, 'nope'), '--out', dir]);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^cvs: input folder .*nope does not exist/);
  });

  it('rejects a bad --as-of date', async () => {
    const code = await main(['run', '--input', dir, '--out', dir, '--as-of', '2024-13-45']);
    expect(code).toBe(2);
    expect(stderr).toContain("expected a date YYYY-MM-DD, got '2024-13-45'");
  });

  it('rejects an invalid config naming the bad field', async () => {
    // Prepare
    const config = join(dir, 'cvs.config.json');
    writeFileSync(config, JSON.stringify({ crmHealth: { weights: { activity: 1.5 } } }));
    // Act
    const code = await main(['run', '--input', dir, '--out', dir, '--config', config]);
    // Assess
    expect(code).toBe(2);
    expect(stderr).toContain('crmHealth.weights.activity');
  });

  it('stops with a contract error when no source has files', async () => {
    const code = await main(['run', '--input', dir, '--out', join(dir, 'out')]);
    expect(code).toBe(2);
    const last = stderr.trim().split('\n').pop() ?? '';
    expect(last).toMatch(/^cvs: .*(pendo|salesforce)/);
    expect(stderr).not.toContain('    at '); // no stack trace without --verbose
  });
});
