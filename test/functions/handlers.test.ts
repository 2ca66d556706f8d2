import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { lambdaSteps } from '../../infra/pipelineSteps.ts';
import {
  handlerPath,
  handlerSource,
  missingHandlers,
} from '../../infra/scripts/generateHandlers.ts';

vi.mock('../../functions/commons/runStepInAws.ts', () => ({
  runStepInAws: vi.fn(async (name: string, state: { asOf: string }) => ({
    step: name,
    asOf: state.asOf,
  })),
}));

describe('Function: missingHandlers', () => {
  it('finds a handler folder for every declared lambda step', () => {
    // Act & Assess (add one with `npx tsx infra/scripts/generateHandlers.ts`)
    expect(missingHandlers()).toEqual([]);
  });

  it('keeps every handler the generated thin chain under 40 lines', () => {
    for (const step of lambdaSteps()) {
      // Act
      const text = readFileSync(handlerPath(step.name), 'utf8');

      // Assess
      expect(text).toBe(handlerSource(step.name));
      expect(text.split('\n').length).toBeLessThan(40);
    }
  });
});

describe('Function: handler', () => {
  it('parses the run state and makes one call into runStepInAws with the step name', async () => {
    // Prepare
    process.env.POWERTOOLS_TRACE_ENABLED = 'false';
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    const step = lambdaSteps()[0].name;
    const { handler } = await import(`../../functions/${step}/handler.ts`);
    const { runStepInAws } = await import('../../functions/commons/runStepInAws.ts');
    const context = {
      functionName: step,
      awsRequestId: 'r1',
      getRemainingTimeInMillis: () => 60_000,
    };

    // Act
    const out = await handler(
      { asOf: '2024-10-31', runId: 'x', runPrefix: 'runs/2024-10-31/', extra: 1 },
      context,
    );

    // Assess
    expect(out).toEqual({ step, asOf: '2024-10-31' });
    expect(runStepInAws).toHaveBeenCalledWith(step, {
      asOf: '2024-10-31',
      runId: 'x',
      runPrefix: 'runs/2024-10-31/',
      steps: {},
    });
  });

  it('rejects a run state with a malformed date before any step runs, as a contract error', async () => {
    // Prepare
    const step = lambdaSteps()[0].name;
    const { handler } = await import(`../../functions/${step}/handler.ts`);
    const context = {
      functionName: step,
      awsRequestId: 'r2',
      getRemainingTimeInMillis: () => 60_000,
    };

    // Act & Assess
    await expect(
      handler({ asOf: '31/10/2024', runId: 'x', runPrefix: 'runs/' }, context),
    ).rejects.toMatchObject({
      name: 'ContractViolationError',
      message: expect.stringMatching(/^run state is malformed: asOf: /),
    });
  });
});
