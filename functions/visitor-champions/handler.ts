import { stepHandler } from '../commons/stepHandler.ts';

/** Lambda of step `visitor-champions`: zod-parsed run state, one call into shared/ (see commons/stepHandler.ts). */
export const handler = stepHandler('visitor-champions');
