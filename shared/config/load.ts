import { readFile } from 'node:fs/promises';
import { ConfigError } from '../errors.ts';
import { type CvsConfig, cvsConfig } from './schema.ts';

/** Validates a parsed config object; the error names the path of every bad field. */
export function parseConfig(raw: unknown, source = 'config'): CvsConfig {
  const parsed = cvsConfig.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new ConfigError(`invalid ${source}: ${problems.join('; ')}`);
}

/** Reads and validates a JSON config file; without a path, returns the defaults (the seeds' values). */
export async function loadConfig(path?: string): Promise<CvsConfig> {
  if (!path) return parseConfig({});
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`config file ${path} is not valid JSON: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return parseConfig(raw, `config file ${path}`);
}
