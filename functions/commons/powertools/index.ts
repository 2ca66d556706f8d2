export { METRICS_NAMESPACE, SERVICE_NAME } from './constants.ts';
export { logger } from './logger.ts';
export { metrics } from './metrics.ts';
export { tracer } from './tracer.ts';
