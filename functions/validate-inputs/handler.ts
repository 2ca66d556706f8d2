import { stepHandler } from '../commons/stepHandler.ts';

/** Lambda of step `validate-inputs`: zod-parsed run state, one call into shared/ (see commons/stepHandler.ts). */
export const handler = stepHandler('validate-inputs');
