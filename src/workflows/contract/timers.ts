/**
 * Durable timers for the contract's automatic steps. A timer is kept while some step is still due at its
 * instant, so a bill or a payment that adds or removes another step does not cancel and restart the rest;
 * only the earliest step gets a timer (the next wake computes the one after).
 */
import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';
import { pendingSteps, stepDueAt, type ContractState } from '../../domain/contract';

interface Timer {
  fired: boolean;
  scope: CancellationScope;
}

export class StepTimers {
  private readonly timers = new Map<number, Timer>();

  constructor(private readonly now: () => number) {}

  /** Cancel the timers no step needs any more and set one for the earliest step. */
  arm(s: ContractState): void {
    const steps = pendingSteps(s);
    const due = new Set(steps.map(stepDueAt));
    for (const [at, t] of this.timers) {
      if (t.fired || !due.has(at)) {
        t.scope.cancel();
        this.timers.delete(at);
      }
    }
    const next = steps[0];
    if (next && !this.timers.has(stepDueAt(next))) this.start(stepDueAt(next), next.summary);
  }

  /** Whether a timer went off since it was armed. */
  fired(): boolean {
    for (const t of this.timers.values()) if (t.fired) return true;
    return false;
  }

  cancelAll(): void {
    for (const t of this.timers.values()) t.scope.cancel();
    this.timers.clear();
  }

  private start(at: number, summary: string): void {
    const t: Timer = { fired: false, scope: new CancellationScope() };
    this.timers.set(at, t);
    t.scope
      .run(() => sleep(Math.max(1, at - this.now()), { summary }))
      .then(
        () => {
          t.fired = true;
        },
        (err) => {
          if (!isCancellation(err)) throw err;
        },
      );
  }
}
