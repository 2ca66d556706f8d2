import { Tracer } from '@aws-lambda-powertools/tracer';
import { SERVICE_NAME } from './constants.ts';

/** The one X-Ray tracer of a Lambda; SDK clients are wrapped by it in `clients.ts`. */
export const tracer = new Tracer({ serviceName: SERVICE_NAME });
