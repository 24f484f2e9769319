import type { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { createRedshiftDataClient } from '../data-api/redshift-data-client.js';
import { RedshiftSink } from '../sink/redshift-sink.js';
import { redshiftTarget, type SinkRedshiftConfig } from './redshift-sink-plugin.js';

/** The sink a config describes, over the real Data API client (made at first use, destroyed at close). */
export function createRedshiftSink(config: SinkRedshiftConfig, options: { configPath?: string } = {}): RedshiftSink {
  let client: RedshiftDataClient | undefined;
  const endpoint = config.endpoint || undefined;
  return new RedshiftSink({
    // The sink retries failed calls itself (same ClientToken, its own bounds): the SDK's retries are off.
    port: () =>
      (client ??= createRedshiftDataClient({
        region: config.region,
        maxAttempts: 1,
        requestTimeoutMs: config.requestTimeoutSeconds * 1000,
        ...(endpoint ? { endpoint } : {}),
      })),
    target: redshiftTarget(config),
    ...(config.iamRole ? { iamRole: config.iamRole } : {}),
    ...(endpoint ? { endpoint } : {}),
    sessionKeepAliveSeconds: config.sessionKeepAliveSeconds,
    polling: {
      firstPollIntervalMs: config.pollIntervalMs,
      maxPollIntervalMs: config.maxPollIntervalMs,
      statementTimeoutMs: config.statementTimeoutSeconds * 1000,
    },
    retry: {
      maxAttempts: config.maxAttempts,
      baseDelayMs: config.retryBaseMs,
      maxDelayMs: config.retryMaxDelayMs,
      totalMs: config.retryTotalSeconds * 1000,
    },
    ...(options.configPath ? { configPath: options.configPath } : {}),
    onClose: () => client?.destroy(),
  });
}
