import { stepHandler } from '../commons/stepHandler.ts';

/** Lambda of step `commit-scores`: zod-parsed run state, one call into shared/ (see commons/stepHandler.ts). */
export const handler = stepHandler('commit-scores');
