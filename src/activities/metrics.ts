/**
 * The project's own counters (`neutrix_*`), on the SDK runtime's meter: they reach the same
 * Prometheus endpoint as the SDK's metrics (src/infra/telemetry.ts). Counted where the outcome is known.
 */
import type { MetricCounter } from '@temporalio/common';
import { Runtime } from '@temporalio/worker';

let counters: { invoicesIssued: MetricCounter; noticesSent: MetricCounter; noticesFailed: MetricCounter } | undefined;
function meter() {
  if (!counters) {
    const m = Runtime.instance().metricMeter;
    counters = {
      invoicesIssued: m.createCounter('neutrix_invoices_issued', 'invoices', 'Invoices issued into the ledger (each once)'),
      noticesSent: m.createCounter('neutrix_notices_sent', 'notices', 'Notices mailed to the customer (each once), by kind'),
      noticesFailed: m.createCounter('neutrix_notices_failed', 'attempts', 'Attempts to mail a notice that failed, by kind and whether retrying can help'),
    };
  }
  return counters;
}

export const metrics = {
  invoiceIssued: () => meter().invoicesIssued.add(1),
  noticeSent: (kind: string) => meter().noticesSent.add(1, { kind }),
  noticeFailed: (kind: string, retryable: boolean) => meter().noticesFailed.add(1, { kind, retryable: String(retryable) }),
};
