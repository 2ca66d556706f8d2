/** The insights of seed 004 (risk matrix, traits, revenue tiers, playbooks, triggers, alert digests): pure functions. */
export * from './assignPlaybooks.ts';
export * from './buildAlertDigests.ts';
export * from './evaluateTriggers.ts';
export * from './highRiskTraits.ts';
export * from './revenueForecast.ts';
export * from './riskMatrix.ts';
export * from './stats.ts';
export * from './types.ts';
