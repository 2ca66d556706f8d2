import { stepHandler } from '../commons/stepHandler.ts';

/** Lambda of step `store-scores`: zod-parsed run state, one call into shared/ (see commons/stepHandler.ts). */
export const handler = stepHandler('store-scores');
