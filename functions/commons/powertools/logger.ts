import { Logger } from '@aws-lambda-powertools/logger';
import { SERVICE_NAME } from './constants.ts';

/** The one Logger of a Lambda, made at module scope so every invocation reuses it. */
export const logger = new Logger({ serviceName: SERVICE_NAME });
