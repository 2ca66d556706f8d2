import { accountFeaturesSql } from '../sql/accountFeatures.ts';
import { FEATURES_KEY } from './steps/keys.ts';
import type { PipelineDecl } from './types.ts';

/**
 * The three jobs, declared once. The local runner executes these steps in this order, and the CDK stack builds each
 * state machine from the same list (Athena `.sync` tasks for `athena` steps, LambdaInvoke for the rest), so the two
 * runtimes cannot drift apart. A step's code lives in `shared/pipeline/steps/` and is registered in `steps/index.ts`.
 */

/** Daily scoring: exports -> validated views -> features -> scores -> deliverables, score store and alerts. */
export const dailyPipeline: PipelineDecl = {
  name: 'daily',
  description: 'score every account as of the run date',
  steps: [
    {
      name: 'validate-inputs',
      kind: 'lambda',
      description: 'check exports against the contract, quarantine bad rows',
    },
    {
      name: 'account-features',
      kind: 'athena',
      description: 'one feature row per account (feature SQL over the validated views)',
      sql: accountFeaturesSql,
      resultKey: FEATURES_KEY,
    },
    {
      name: 'score-accounts',
      kind: 'lambda',
      description: 'value index, scorecards, product and CRM health',
    },
    {
      name: 'value-trends',
      kind: 'lambda',
      description: '3- and 6-month value trends, Up / Flat / Down, backtest',
    },
    {
      name: 'risk-and-revenue',
      kind: 'lambda',
      description: 'risk matrix, high-risk traits, 6-month revenue tiers, playbooks, triggers, digests',
    },
    {
      name: 'publish-scores',
      kind: 'lambda',
      description: 'account_scores table and the score store',
    },
    {
      name: 'send-alerts',
      kind: 'lambda',
      description: 'publish the segment alert digests (once per run date and segment)',
    },
    {
      name: 'build-report',
      kind: 'lambda',
      description: 'report.html: run summary, charts and account tables from the run outputs',
    },
    {
      name: 'finalize-run',
      kind: 'lambda',
      description: 'run manifest: inputs, config, code version, timings',
    },
  ],
};

/** Every declared job by name. */
export const PIPELINES = { daily: dailyPipeline } as const;
