/**
 * How long Temporal keeps a closed workflow's history: set explicitly at start (NAMESPACE_RETENTION_DAYS),
 * never left to a server default. A closed contract's history holds no personal data (ids and figures,
 * encrypted), so this is for ops — reading what happened — not for the customer's data (D-8).
 */
import type { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';

const DAY_SECONDS = 86_400;

/** Sets the namespace's retention to `days` if it differs; answers the retention in force, in days. */
export async function ensureNamespaceRetention(connection: Connection, namespace: string, days: number): Promise<{ days: number; changed: boolean }> {
  const described = await connection.workflowService.describeNamespace({ namespace });
  const current = Number(described.config?.workflowExecutionRetentionTtl?.seconds ?? 0) / DAY_SECONDS; // a Long
  if (current === days) return { days, changed: false };
  await connection.workflowService.updateNamespace({ namespace, config: { workflowExecutionRetentionTtl: msToTs(days * DAY_SECONDS * 1000) } });
  return { days, changed: true };
}
