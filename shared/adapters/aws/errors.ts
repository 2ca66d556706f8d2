import { CvsError } from '../../errors.ts';

/** A score-store write still had unprocessed or throttled items after the bounded retries. */
export class ScoreStoreWriteError extends CvsError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ScoreStoreWriteError';
  }
}

/** Publishing an alert failed; its dedupe mark was removed so a retry sends it. */
export class NotifyFailedError extends CvsError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NotifyFailedError';
  }
}
