/**
 * Base class of every error CVS raises on purpose; the CLI prints its message on one line. Each class says whether a
 * retry can fix it (`retryable`): the state machines' Retry rules are built from that (infra/retryRules.ts), so a
 * bad input or config fails the run at once while a briefly failing service is retried.
 */
export class CvsError extends Error {
  /** True when the cause may be transient (a service throttled or failing for a moment); false: retrying repeats it. */
  static readonly retryable: boolean = false;
  /** Exit code the CLI uses: 1 the run failed, 2 bad usage or bad input. */
  readonly exitCode: number = 1;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CvsError';
  }
}

/** Input breaks the contract in a way that stops the run (missing required column, unreadable file, no source). */
export class ContractViolationError extends CvsError {
  override readonly exitCode = 2;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ContractViolationError';
  }
}

/** The scoring configuration is invalid; the message names the path of the bad field. */
export class ConfigError extends CvsError {
  override readonly exitCode = 2;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/** An object the run needs does not exist in the store. */
export class ObjectNotFoundError extends CvsError {
  constructor(key: string, options?: ErrorOptions) {
    super(`object not found: ${key}`, options);
    this.name = 'ObjectNotFoundError';
  }
}

/** A SQL query failed in the query engine; the message carries the engine's reason. */
export class QueryFailedError extends CvsError {
  /** The engine may have failed for a moment (Athena internal error, throttling). */
  static override readonly retryable = true;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'QueryFailedError';
  }
}

/** Narrows an unknown thrown value to an Error. */
export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
