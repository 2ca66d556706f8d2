import { stepHandler } from '../commons/stepHandler.ts';

/** Lambda of step `risk-and-revenue`: zod-parsed run state, one call into shared/ (see commons/stepHandler.ts). */
export const handler = stepHandler('risk-and-revenue');
