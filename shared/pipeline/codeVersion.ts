import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The code version recorded in manifests and model cards: package version plus git commit when known. */
export function codeVersion(): string {
  if (cached) return cached;
  let version = 'unknown';
  try {
    const pkg = JSON.parse(
      readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8'),
    );
    version = String(pkg.version);
  } catch {
    version = process.env.CVS_CODE_VERSION ?? 'unknown';
  }
  let commit = process.env.CVS_GIT_COMMIT ?? '';
  if (!commit) {
    try {
      commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
        stdio: ['ignore', 'pipe', 'ignore'],
      })
        .toString()
        .trim();
    } catch {
      commit = '';
    }
  }
  cached = commit ? `${version}+${commit}` : version;
  return cached;
}
