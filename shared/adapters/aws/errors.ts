import { CvsError } from '../../errors.ts';

/** A score-store write still had unprocessed or throttled items after the bounded retries. */
export class ScoreStoreWriteError extends CvsError {
  /** DynamoDB throttling passes; a later attempt writes the rest. */
  static override readonly retryable = true;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ScoreStoreWriteError';
  }
}

/** Publishing an alert failed; its dedupe mark was removed so a retry sends it. */
export class NotifyFailedError extends CvsError {
  /** SNS failures are transient; the dedupe mark was removed so a retry sends the alert. */
  static override readonly retryable = true;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NotifyFailedError';
  }
}
