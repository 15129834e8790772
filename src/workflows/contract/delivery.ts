/**
 * Commands whose answer waits for their effects (the monthly close, D-11, and the provider-wide
 * announcements, Art. 4, 5, 17), so a bulk run reports the truth: "billed" means in the ledger and mailed,
 * not only in the contract's state.
 */
import { condition } from '@temporalio/workflow';
import type { Effect, EffectOutcome } from '../../domain/contract';
import { PROVIDER_ACTIONS } from '../../domain/provider-actions';
import type { CommandName } from '../../domain/validation';
import type { Delivery } from './messages';

export const AWAITS_DELIVERY: ReadonlySet<CommandName> = new Set(['closeBillingPeriod', ...PROVIDER_ACTIONS]);
/** How long such a command waits; longer (SMTP down), its effects are reported pending and carried out later. */
const DELIVERY_WAIT = '2 minutes';

/** The effects commands wait for, and what became of each once carried out. */
export class Deliveries {
  private readonly awaited = new Map<Effect, EffectOutcome | null>();

  /**
   * Wait (at most DELIVERY_WAIT) until the effects are carried out. A failure is reported with its reason;
   * what is still under way, as pending.
   */
  async of(produced: readonly Effect[]): Promise<Delivery> {
    for (const e of produced) this.awaited.set(e, null);
    await condition(() => produced.every((e) => this.awaited.get(e) !== null), DELIVERY_WAIT);
    const outcomes = produced.map((e) => this.awaited.get(e) ?? null);
    for (const e of produced) this.awaited.delete(e);
    const problems = outcomes.flatMap((o, i) => (o && !o.ok ? [`${produced[i]!.type}: ${o.reason}`] : []));
    return problems.length ? { status: 'failed', problems } : outcomes.includes(null) ? { status: 'pending', problems: [] } : { status: 'done', problems: [] };
  }

  /** The outcomes of a batch just carried out, for the commands waiting on any of them. */
  settle(batch: readonly Effect[], outcomes: readonly EffectOutcome[]): void {
    batch.forEach((e, i) => {
      if (this.awaited.has(e)) this.awaited.set(e, outcomes[i]!);
    });
  }
}
