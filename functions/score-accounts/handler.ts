import { stepHandler } from '../commons/stepHandler.ts';

/** Lambda of step `score-accounts`: zod-parsed run state, one call into shared/ (see commons/stepHandler.ts). */
export const handler = stepHandler('score-accounts');
