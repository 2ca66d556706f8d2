import { accountBreadthSql, accountFeaturesSql } from '../sql/accountFeatures.ts';
import { BREADTH_RESULT_KEY } from './breadthAggregate.ts';
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
      name: 'visitor-champions',
      kind: 'lambda',
      description: 'seed 002 visitor scores in SQL, top champions per account, silent champions',
    },
    {
      name: 'predict-high-value',
      kind: 'lambda',
      description: 'high-value probability, band, segment and cluster from the champion model',
      memoryMb: 3008, // trains a first model when the registry has none (trainWhenNoChampion)
    },
    {
      name: 'value-trends',
      kind: 'lambda',
      description: '3- and 6-month value trends, Up / Flat / Down, backtest',
      memoryMb: 2048, // 100,000 accounts: 548 MB under a heap cap (README, Scale and memory)
    },
    {
      name: 'account-changes',
      kind: 'lambda',
      description: 'what changed since the previous run and about 7 and 30 days back, and why',
      memoryMb: 2048, // 100,000 accounts: 840 MB under a heap cap (README, Scale and memory)
    },
    {
      name: 'risk-and-revenue',
      kind: 'lambda',
      description:
        'risk matrix, high-risk traits, 6-month revenue tiers, playbooks, triggers, digests',
      memoryMb: 2048, // 100,000 accounts: 736 MB under a heap cap (README, Scale and memory)
    },
    {
      name: 'publish-scores',
      kind: 'lambda',
      description:
        'account_scores table, score shards and their manifest; begins the score-store run',
      memoryMb: 2048, // 100,000 accounts: 966 MB under a heap cap (README, Scale and memory)
    },
    {
      name: 'store-scores',
      kind: 'lambda',
      description:
        'write one shard of scores to the score store (a Distributed Map over the shards)',
      perShard: {
        step: 'publish-scores',
        output: 'scoreShards',
        maxConcurrency: (config) => config.scoreStore.maxConcurrency,
      },
    },
    {
      name: 'commit-scores',
      kind: 'lambda',
      description: 'complete the score-store run once every shard is stored',
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
      memoryMb: 3008,
    },
    {
      name: 'finalize-run',
      kind: 'lambda',
      description: 'run manifest: inputs, config, code version, timings',
    },
  ],
};

const shared = (name: string) => dailyPipeline.steps.filter((s) => s.name === name);

/**
 * Quarterly retraining: the daily job's own validate / features / scores steps, then train -> evaluate -> gate ->
 * promote. gate-model outputs a boolean `promote` (a Choice in Step Functions); promote-model acts only on it.
 */
export const quarterlyPipeline: PipelineDecl = {
  name: 'quarterly',
  description: 'retrain the high-value classifier and promote it if it passes the gate',
  steps: [
    ...shared('validate-inputs'),
    ...shared('account-features'),
    ...shared('score-accounts'),
    {
      name: 'train-model',
      kind: 'lambda',
      description: 'label accounts, fit the forest, the baseline and the k-means segments',
      memoryMb: 3008,
    },
    {
      name: 'evaluate-model',
      kind: 'lambda',
      description: 'forest vs baseline on the same holdout, champion re-scored on it',
      memoryMb: 3008,
    },
    { name: 'gate-model', kind: 'lambda', description: 'promote or keep: accuracy and AUC bars' },
    {
      name: 'promote-model',
      kind: 'lambda',
      description: 'point champion.json at the new model if promoted',
      runIf: { step: 'gate-model', output: 'promote' },
    },
    ...shared('finalize-run'),
  ],
};

/**
 * Weekly refresh of the heavy aggregates: breadth from visitor_feature, published with the hashes of its input files
 * so the daily validate-inputs uses it only while the inputs are unchanged (else it computes breadth inline).
 */
export const weeklyPipeline: PipelineDecl = {
  name: 'weekly',
  description: 'refresh the heavy aggregates (account breadth from visitor_feature)',
  steps: [
    ...shared('validate-inputs'),
    {
      name: 'account-breadth',
      kind: 'athena',
      description: 'features, product areas and clicks per account from visitor_feature',
      sql: () => accountBreadthSql(),
      resultKey: BREADTH_RESULT_KEY,
      timeoutSeconds: 1800,
    },
    {
      name: 'publish-breadth',
      kind: 'lambda',
      description: 'publish the breadth aggregate with the SHA-256 of its input files',
    },
    ...shared('finalize-run'),
  ],
};

/** Every declared job by name. */
export const PIPELINES = {
  daily: dailyPipeline,
  weekly: weeklyPipeline,
  quarterly: quarterlyPipeline,
} as const;
