import { PIPELINES } from '../shared/pipeline/declarations.ts';
import type { PipelineDecl, StepDecl } from '../shared/pipeline/types.ts';

/** Every declared job, in declaration order. */
export function declaredPipelines(): PipelineDecl[] {
  return Object.values(PIPELINES as Record<string, PipelineDecl>);
}

/** The declared lambda steps, one per name (a step shared by two jobs gets one function). */
export function lambdaSteps(): StepDecl[] {
  const byName = new Map<string, StepDecl>();
  for (const p of declaredPipelines()) {
    for (const s of p.steps) if (s.kind === 'lambda' && !byName.has(s.name)) byName.set(s.name, s);
  }
  return [...byName.values()];
}
