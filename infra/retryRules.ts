import { UnknownStepError } from '../functions/commons/stepRunner.ts';
import { NotifyFailedError, ScoreStoreWriteError } from '../shared/adapters/aws/errors.ts';
import {
  ConfigError,
  ContractViolationError,
  CvsError,
  ObjectNotFoundError,
  QueryFailedError,
} from '../shared/errors.ts';
import { ModelFormatError, ModelInputError } from '../shared/models/modelErrors.ts';
import { AlertDeliveryError } from '../shared/pipeline/steps/sendAlertsStep.ts';
import { ChartRenderError } from '../shared/report/renderChartSvg.ts';

/** An error class of the project: its `retryable` flag and a constructor taking a message. */
export interface ErrorClass {
  readonly retryable: boolean;
  new (message: string): Error;
}

/**
 * Every error class a Lambda of the pipelines can throw (test/infra/retryRules.test.ts checks that no CvsError
 * subclass of shared/ or functions/ is missing, besides the CLI's own). Step Functions matches errors by name only,
 * not by class hierarchy, so each subclass is listed, not just its base.
 */
export const ERROR_CLASSES: readonly ErrorClass[] = [
  CvsError,
  ContractViolationError,
  ConfigError,
  ObjectNotFoundError,
  QueryFailedError,
  ModelInputError,
  ModelFormatError,
  ChartRenderError,
  ScoreStoreWriteError,
  NotifyFailedError,
  AlertDeliveryError,
  UnknownStepError,
];

/** The error name a class reports (its `name`, the errorType Step Functions sees from a Lambda). */
export function errorName(cls: ErrorClass): string {
  return new cls('probe').name;
}

/** Names of the errors a retry cannot fix, sorted: the state machines fail the run on these at once. */
export function nonRetryableErrors(classes: readonly ErrorClass[] = ERROR_CLASSES): string[] {
  return classes
    .filter((c) => !c.retryable)
    .map(errorName)
    .sort();
}
