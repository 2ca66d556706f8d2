import { PIPELINES } from '../declarations.ts';
import type { StepFn } from '../types.ts';
import { accountChangesStep } from './accountChangesStep.ts';
import { athenaStep } from './athenaStep.ts';
import { buildReportStep } from './buildReportStep.ts';
import { evaluateModelStep } from './evaluateModelStep.ts';
import { finalizeRunStep } from './finalizeRunStep.ts';
import { gateModelStep } from './gateModelStep.ts';
import { predictHighValueStep } from './predictHighValueStep.ts';
import { promoteModelStep } from './promoteModelStep.ts';
import { publishBreadthStep } from './publishBreadthStep.ts';
import { publishScoresStep } from './publishScoresStep.ts';
import { riskAndRevenueStep } from './riskAndRevenueStep.ts';
import { scoreAccountsStep } from './scoreAccountsStep.ts';
import { sendAlertsStep } from './sendAlertsStep.ts';
import { commitScoresStep, storeScoresStep } from './storeScoresStep.ts';
import { trainModelStep } from './trainModelStep.ts';
import { validateInputsStep } from './validateInputsStep.ts';
import { valueTrendsStep } from './valueTrendsStep.ts';
import { visitorChampionsStep } from './visitorChampionsStep.ts';

/** Lambda steps' code by step name; the same functions run locally and in their Lambda handlers. */
const LAMBDA_STEPS: Record<string, StepFn> = {
  'validate-inputs': validateInputsStep,
  'score-accounts': scoreAccountsStep,
  'predict-high-value': predictHighValueStep,
  'value-trends': valueTrendsStep,
  'risk-and-revenue': riskAndRevenueStep,
  'publish-scores': publishScoresStep,
  'store-scores': storeScoresStep,
  'commit-scores': commitScoresStep,
  'send-alerts': sendAlertsStep,
  'build-report': buildReportStep,
  'finalize-run': finalizeRunStep,
  'train-model': trainModelStep,
  'evaluate-model': evaluateModelStep,
  'gate-model': gateModelStep,
  'promote-model': promoteModelStep,
  'publish-breadth': publishBreadthStep,
  'visitor-champions': visitorChampionsStep,
  'account-changes': accountChangesStep,
};

/** Every declared step's local implementation: the Lambda code, or for `athena` steps the query run in DuckDB. */
export const STEP_IMPLEMENTATIONS: Record<string, StepFn> = Object.fromEntries(
  Object.values(PIPELINES).flatMap((p) =>
    p.steps.map(
      (s) => [s.name, s.kind === 'athena' ? athenaStep(s) : LAMBDA_STEPS[s.name]] as const,
    ),
  ),
);
