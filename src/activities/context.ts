/**
 * The activity context, when there is one. The activities also run outside a worker (the CLI, a script,
 * a plain unit test); there, heartbeats and cancellation are no-ops and logs go to the console.
 */
import { Context } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';

function current(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

/** Heartbeats (with details a retry can read) when running as an activity. */
export function heartbeat(details?: unknown): void {
  current()?.heartbeat(details);
}

/** Throws if the activity was cancelled: called between irreversible steps, never in the middle of one. */
export function throwIfCancelled(): void {
  const signal = current()?.cancellationSignal;
  if (signal?.aborted) {
    const reason: unknown = signal.reason;
    throw reason instanceof Error ? reason : new CancelledFailure(String(reason ?? 'activity cancelled'));
  }
}

export function warn(message: string, meta?: Record<string, unknown>): void {
  const ctx = current();
  if (ctx) ctx.log.warn(message, meta);
  else console.warn(message, meta ?? '');
}
