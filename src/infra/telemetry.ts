/**
 * What ops watch: the worker's logs as JSON lines (one object each, with the contract id, the
 * request id and the workflow's or activity's ids the SDK adds), and its metrics on a Prometheus endpoint
 * on 127.0.0.1 — the SDK's own (`temporal_*`) and the project's (`neutrix_*`, src/infra/metrics.ts).
 * Installed once per process, before any connection to Temporal.
 */
import { DefaultLogger, Runtime, type LogEntry, type Logger } from '@temporalio/worker';
import type { Settings } from '../settings';

/** One log entry as a JSON line; bigints as strings, errors by name and message (never a payload). */
export function jsonLine(entry: LogEntry): string {
  const { timestampNanos, level, message, meta } = entry;
  const record = { time: new Date(Number(timestampNanos / 1_000_000n)).toISOString(), level, message, ...(meta ?? {}) };
  return `${JSON.stringify(record, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Error ? { name: v.name, message: v.message } : v))}\n`;
}

export function jsonLogger(level: Settings['LOG_LEVEL'], write: (line: string) => void = (l) => process.stdout.write(l)): Logger {
  return new DefaultLogger(level, (entry) => write(jsonLine(entry)));
}

export interface Telemetry {
  /** Where the metrics are scraped, or null without an endpoint. */
  metricsUrl: string | null;
}

/** Install the SDK runtime with JSON logs and, unless METRICS_PORT is 0, the Prometheus endpoint. */
export function installTelemetry(settings: Pick<Settings, 'LOG_LEVEL' | 'METRICS_PORT'>, write?: (line: string) => void): Telemetry {
  const bindAddress = settings.METRICS_PORT ? `127.0.0.1:${settings.METRICS_PORT}` : null;
  Runtime.install({
    logger: jsonLogger(settings.LOG_LEVEL, write),
    telemetryOptions: {
      // The SDK core's own warnings and errors come through the same JSON logger.
      logging: { forward: {}, filter: { core: 'WARN', other: 'WARN' } },
      ...(bindAddress ? { metrics: { prometheus: { bindAddress, useSecondsForDurations: true } } } : {}),
    },
  });
  return { metricsUrl: bindAddress ? `http://${bindAddress}/metrics` : null };
}
