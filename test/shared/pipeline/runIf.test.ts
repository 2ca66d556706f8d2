import { describe, expect, it } from 'vitest';
import { quarterlyPipeline } from '../../../shared/pipeline/declarations.ts';
import { runIfPath, skipNote, skipReason } from '../../../shared/pipeline/runIf.ts';
import type { RunState, StepDecl } from '../../../shared/pipeline/types.ts';

const promote: StepDecl = {
  name: 'promote-model',
  kind: 'lambda',
  description: 'promote',
  runIf: { step: 'gate-model', output: 'promote' },
};
const state = (gate: Record<string, unknown> | undefined): RunState => ({
  asOf: '2024-10-31',
  runId: 'r1',
  runPrefix: 'runs/quarterly-2024-10-31/',
  steps: gate ? { 'gate-model': gate } : {},
});

describe('Function: skipReason', () => {
  it('runs a step without runIf whatever the state', () => {
    // Act & Assess
    expect(skipReason({ ...promote, runIf: undefined }, state(undefined))).toBeNull();
  });

  it('runs the gated step when the earlier output is exactly true', () => {
    // Act & Assess
    expect(skipReason(promote, state({ promote: true }))).toBeNull();
  });

  it('skips the gated step when the output is false, missing or a truthy non-boolean', () => {
    // Act & Assess
    expect(skipReason(promote, state({ promote: false }))).toBe('gate-model.promote is false');
    expect(skipReason(promote, state(undefined))).toBe('gate-model.promote is false');
    expect(skipReason(promote, state({ promote: 'yes' }))).toBe('gate-model.promote is false');
  });
});

describe('Function: runIfPath', () => {
  it('names the state path the Choice reads, and nothing for an ungated step', () => {
    // Act & Assess
    expect(runIfPath(promote)).toBe('$.steps.gate-model.promote');
    expect(runIfPath({ ...promote, runIf: undefined })).toBeUndefined();
    expect(() => skipNote({ ...promote, runIf: undefined })).toThrow(/no runIf/);
  });

  it('gates the declared promote-model on gate-model.promote', () => {
    // Prepare
    const decl = quarterlyPipeline.steps.find((s) => s.name === 'promote-model');
    // Act & Assess
    expect(decl && runIfPath(decl)).toBe('$.steps.gate-model.promote');
  });
});
