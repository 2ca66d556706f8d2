import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const SHARED = join(ROOT, 'shared');
const AWS_ONLY = join(SHARED, 'adapters', 'aws');

/** Every .ts file under dir, recursively. */
function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? tsFiles(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

/** Module specifiers of the static and dynamic imports (and re-exports) in a source text. */
function importedModules(source: string): string[] {
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g;
  return [...source.matchAll(re)].map((m) => m[1]);
}

describe('Module boundaries: AWS SDK imports', () => {
  it('reads import, import() and export-from specifiers', () => {
    const src = [
      "import { S3Client } from '@aws-sdk/client-s3';",
      "export { x } from './a.ts';",
      "const m = await import('@aws-sdk/lib-dynamodb');",
      "import 'side-effect';",
    ].join('\n');
    expect(importedModules(src)).toEqual([
      '@aws-sdk/client-s3',
      './a.ts',
      '@aws-sdk/lib-dynamodb',
      'side-effect',
    ]);
  });

  it('no module of shared/ outside shared/adapters/aws/ imports an AWS SDK', () => {
    const offenders = tsFiles(SHARED)
      .filter((f) => !f.startsWith(`${AWS_ONLY}/`))
      .flatMap((f) =>
        importedModules(readFileSync(f, 'utf8'))
          .filter((m) => m.startsWith('@aws-sdk/') || m === 'aws-sdk')
          .map((m) => `${relative(ROOT, f)} imports ${m}`),
      );
    expect(offenders).toEqual([]);
  });
});
