import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createStepRunner, UnknownStepError } from '../../../functions/commons/stepRunner.ts';
import { parseConfig } from '../../../shared/config/load.ts';
import { FolderRunFolderStore } from '../../../shared/pipeline/runFolder.ts';
import type { StepFn } from '../../../shared/pipeline/types.ts';
import type { ObjectStore, Ports } from '../../../shared/ports/index.ts';

const state = { asOf: '2024-10-31', runId: 'r', runPrefix: 'runs/2024-10-31/', steps: {} };
const fakeStore = (prefix: string) =>
  ({ locate: (k: string) => `mem://${prefix}${k}` }) as unknown as ObjectStore;

describe('Function: createStepRunner', () => {
  it('runs the registered step with the run folder scoped to the staging prefix of the run, and times it', async () => {
    // Prepare
    const registry: Record<string, StepFn> = {
      'score-accounts': async (s, ctx) => ({
        where: ctx.run.locate('x.csv'),
        asOf: s.asOf,
        w: ctx.config.valueIndex.weights.usage,
      }),
    };
    const run = createStepRunner({
      registry,
      ports: {} as Ports,
      config: parseConfig({}),
      runStore: fakeStore,
      runFolders: new FolderRunFolderStore(tmpdir()),
      log: () => undefined,
    });

    // Act
    const out = await run('score-accounts', state);

    // Assess
    expect(out).toEqual({
      where: 'mem://staging/r/x.csv',
      asOf: '2024-10-31',
      w: 0.2,
      elapsedMs: expect.any(Number),
    });
  });

  it('throws UnknownStepError for a step with no implementation', async () => {
    // Prepare
    const run = createStepRunner({
      registry: {},
      ports: {} as Ports,
      config: parseConfig({}),
      runStore: fakeStore,
      runFolders: new FolderRunFolderStore(tmpdir()),
      log: () => undefined,
    });

    // Act & Assess
    await expect(run('nope', state)).rejects.toBeInstanceOf(UnknownStepError);
  });
});
