import { stepHandler } from '../commons/stepHandler.ts';

/** Lambda of step `send-alerts`: zod-parsed run state, one call into shared/ (see commons/stepHandler.ts). */
export const handler = stepHandler('send-alerts');
