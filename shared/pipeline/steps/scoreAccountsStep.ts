import { toAccountFeatures } from '../../features/readFeatures.ts';
import { readCsvRows, writeCsvRows } from '../../io/csvTable.ts';
import { SCORE_COLUMNS, scoreAccounts } from '../../scoring/scoreAccounts.ts';
import { valueTiers } from '../../segments/valueTiers.ts';
import type { StepFn } from '../types.ts';
import { FEATURES_KEY, partKey } from './keys.ts';

/** Step score-accounts: value index, scorecards, product and CRM health from the feature table. */
export const scoreAccountsStep: StepFn = async (_state, ctx) => {
  const features = toAccountFeatures(await readCsvRows(ctx.run, FEATURES_KEY));
  const scores = scoreAccounts(features, ctx.config);
  const key = partKey('scores');
  await writeCsvRows(ctx.run, key, scores, SCORE_COLUMNS);
  await writeCsvRows(ctx.run, partKey('value_tiers'), valueTiers(scores, ctx.config));
  const withCrm = features.filter((f) => f.has_crm).length;
  return {
    scoresKey: key,
    accounts: scores.length,
    accountsWithProduct: features.filter((f) => f.has_product).length,
    accountsWithCrm: withCrm,
    highRisk: scores.filter((s) => s.high_risk === true).length,
  };
};
