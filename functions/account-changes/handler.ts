import { stepHandler } from '../commons/stepHandler.ts';

/** Lambda of step `account-changes`: zod-parsed run state, one call into shared/ (see commons/stepHandler.ts). */
export const handler = stepHandler('account-changes');
