/** Retry timing shared by the AWS adapters: exponential backoff with full jitter, bounded attempts. */

/** Waits ms milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** How to retry: attempts in total (>= 1), first delay and cap in ms, the sleep and random sources (for tests). */
export interface RetryOptions {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Uniform [0, 1). @default Math.random */
  readonly random?: () => number;
}

/** Delay before retry number `attempt` (1-based), ms: uniform in [0, min(cap, base * 2^(attempt-1))] ("full jitter"). */
export function backoffDelayMs(attempt: number, o: RetryOptions): number {
  const ceiling = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor((o.random ?? Math.random)() * ceiling);
}

/** True for the errors AWS returns when a caller goes too fast (worth retrying after a pause). */
export function isThrottling(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  const names = new Set([
    'ThrottlingException',
    'Throttling',
    'TooManyRequestsException',
    'ProvisionedThroughputExceededException',
    'RequestLimitExceeded',
    'SlowDown',
    'ThrottledException',
  ]);
  return names.has(e?.name ?? '') || e?.$metadata?.httpStatusCode === 429;
}

/** Runs fn, retrying throttling errors with backoff up to maxAttempts; other errors are thrown at once. */
export async function withThrottleRetry<T>(fn: () => Promise<T>, o: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isThrottling(err) || attempt >= o.maxAttempts) throw err;
      await o.sleep(backoffDelayMs(attempt, o));
    }
  }
}
