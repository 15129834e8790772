/**
 * Contracts the server closed (terminated, failed, timed out) with what they still owe: the dashboard's
 * first list, and what `show` and the contract page say instead of a stale "active". The runs come from
 * visibility (src/infra/closed-runs.ts); what is owed from the ledger's invoices, which outlive the workflow.
 */
import type { Client } from '@temporalio/client';
import type { Yen } from '../domain/types';
import { abnormalCloseOf, closedAbnormally, type ClosedRun } from '../infra/closed-runs';

export { abnormalCloseOf, type ClosedRun };

/** The part of the ledger this reads: a contract's issued invoices with what is still outstanding. */
export interface InvoiceReader {
  listInvoices(contractId: string): Promise<Array<{ number: string; period: string; outstanding: Yen }>>;
}

export interface ClosedContract extends ClosedRun {
  /** The sum of the ledger's invoices still outstanding (what the customer owes as issued). */
  owedYen: Yen;
  openInvoices: Array<{ number: string; period: string; outstanding: Yen }>;
}

async function withOwed(ledger: InvoiceReader, run: ClosedRun): Promise<ClosedContract> {
  const open = (await ledger.listInvoices(run.contractId)).filter((i) => i.outstanding > 0);
  return {
    ...run,
    owedYen: open.reduce((a, i) => a + i.outstanding, 0),
    openInvoices: open.map(({ number, period, outstanding }) => ({ number, period, outstanding })),
  };
}

/** Every contract closed abnormally (at most `limit`; `more` when the list goes on), with what it owes. */
export async function closedContracts(client: Client, ledger: InvoiceReader, limit = 50): Promise<{ contracts: ClosedContract[]; more: boolean }> {
  const { runs, more } = await closedAbnormally(client, limit);
  return { contracts: await Promise.all(runs.map((r) => withOwed(ledger, r))), more };
}

/** One contract, if its workflow was closed abnormally; null while it runs or after its own end. */
export async function closedContract(client: Client, ledger: InvoiceReader, contractId: string): Promise<ClosedContract | null> {
  const run = await abnormalCloseOf(client, contractId);
  return run ? withOwed(ledger, run) : null;
}
