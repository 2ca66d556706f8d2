import { CvsError } from '../errors.ts';

/** Data or parameters given to a model are unusable (empty X, ragged rows, labels not 0/1, bad parameter). */
export class ModelInputError extends CvsError {
  override readonly exitCode = 2;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ModelInputError';
  }
}

/** A serialized model cannot be read (not JSON, wrong kind or version, damaged arrays). */
export class ModelFormatError extends CvsError {
  override readonly exitCode = 2;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ModelFormatError';
  }
}
