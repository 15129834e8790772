/**
 * The same-amount guard (payments, 別表3 / Appendix 3): a payment of the same amount within SAME_AMOUNT_WARNING_DAYS
 * of another is asked about before it is recorded — the same transfer keyed twice is a common slip, and a
 * new request id would record it twice. The edges word the question; the rule is the domain's.
 */
import type { Client } from '@temporalio/client';
import { sameAmountRecently, type ContractView } from '../../domain/contract';
import type { IsoDate } from '../../domain/types';
import { stateQuery } from '../../workflows/contract/messages';

export type EarlierPayment = ContractView['payments'][number];

/**
 * The earlier payment of `amount` near `paidOn` that a new one may repeat, else undefined. `requestId`:
 * when given, a payment recorded under it is this very attempt retried (the contract answers it once), not
 * a repeat. A contract that cannot be read throws (the edge decides whether to send anyway).
 */
export async function sameAmountPayment(
  client: Client,
  p: { contractId: string; amount: number; paidOn: IsoDate; requestId?: string },
): Promise<EarlierPayment | undefined> {
  const view = await client.workflow.getHandle(p.contractId).query(stateQuery);
  const earlier = sameAmountRecently(view, p.amount, p.paidOn);
  return earlier && earlier.requestId !== p.requestId ? earlier : undefined;
}
