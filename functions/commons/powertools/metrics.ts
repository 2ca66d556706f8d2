import { Metrics } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE, SERVICE_NAME } from './constants.ts';

/** The one Metrics emitter of a Lambda (EMF on stdout, flushed by the logMetrics middleware). */
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
