/** Service name on every log line, metric and trace of the CVS Lambdas. */
export const SERVICE_NAME = 'cvs';
/** CloudWatch metrics namespace of the CVS Lambdas. */
export const METRICS_NAMESPACE = 'CVS';
