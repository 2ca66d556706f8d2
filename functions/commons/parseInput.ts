import type { z } from 'zod';
import { ContractViolationError } from '../../shared/errors.ts';

/**
 * A Lambda's input parsed with its zod schema. A malformed input (e.g. a hand-typed `{"asOf":"31/10/2024"}`) is a
 * contract error, not retried by the state machine; the message names each bad field.
 */
export function parseInput<T extends z.ZodType>(
  schema: T,
  event: unknown,
  what: string,
): z.infer<T> {
  const parsed = schema.safeParse(event);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new ContractViolationError(`${what} is malformed: ${problems.join('; ')}`, {
    cause: parsed.error,
  });
}
