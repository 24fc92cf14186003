import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { config } from './config';

/**
 * Business metrics as CloudWatch Embedded Metric Format log lines (no API calls, no extra
 * latency): cases created, inbound mail by outcome and reason, notifications, sweep results.
 * Emitted at the handler edge; the domain stays free of them. POWERTOOLS_METRICS_DISABLED
 * turns them off (tests do).
 */
const metrics = new Metrics({ namespace: 'Casework', serviceName: config.serviceName() });

/** One count, flushed at once with its own dimensions (a single-metric EMF line). */
export const countMetric = (name: string, value = 1, dimensions: Record<string, string> = {}): void => {
  if (value <= 0) return;
  const single = metrics.singleMetric();
  for (const [k, v] of Object.entries(dimensions)) single.addDimension(k, v);
  single.addMetric(name, MetricUnit.Count, value);
};
