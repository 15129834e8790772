/**
 * How long Temporal keeps a closed workflow's history: set explicitly at start (NAMESPACE_RETENTION_DAYS),
 * never left to a server default. A closed contract's history holds no personal data (ids and figures,
 * encrypted), so this is for ops — reading what happened — not for the customer's data (D-8).
 */
import type { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';

const DAY_SECONDS = 86_400;

/** A new namespace reaches the services' namespace cache within seconds (10 s by default): wait for it. */
async function usable(connection: Connection, namespace: string, withinMs = 60_000): Promise<void> {
  const until = Date.now() + withinMs;
  for (;;) {
    try {
      await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 });
      return;
    } catch (err) {
      if ((err as { code?: number }).code !== 5 || Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/**
 * Sets the namespace's retention to `days` if it differs, registering the namespace first on a cluster that
 * has none of that name (a fresh server has only its system namespace); answers the retention in force, in days.
 */
export async function ensureNamespaceRetention(connection: Connection, namespace: string, days: number): Promise<{ days: number; changed: boolean }> {
  const described = await connection.workflowService.describeNamespace({ namespace }).catch(async (err: { code?: number }) => {
    if (err.code !== 5) throw err; // NOT_FOUND: register it, with the retention
    await connection.workflowService
      .registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(days * DAY_SECONDS * 1000), description: 'Neutrix Cloud contracts' })
      .catch((e: { code?: number }) => {
        if (e.code !== 6) throw e; // ALREADY_EXISTS: another process registered it meanwhile
      });
    await usable(connection, namespace);
    return connection.workflowService.describeNamespace({ namespace });
  });
  const current = Number(described.config?.workflowExecutionRetentionTtl?.seconds ?? 0) / DAY_SECONDS; // a Long
  if (current === days) return { days, changed: false };
  await connection.workflowService.updateNamespace({ namespace, config: { workflowExecutionRetentionTtl: msToTs(days * DAY_SECONDS * 1000) } });
  return { days, changed: true };
}
