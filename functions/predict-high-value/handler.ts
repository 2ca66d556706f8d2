import { stepHandler } from '../commons/stepHandler.ts';

/** Lambda of step `predict-high-value`: zod-parsed run state, one call into shared/ (see commons/stepHandler.ts). */
export const handler = stepHandler('predict-high-value');
