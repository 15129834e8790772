/**
 * The `apply` quote (what recordApplication answers) prices with the price list in force on the application
 * day, and the contract is started knowing the versions announced before it (D-17, D-21), so the quote and
 * its invoices agree.
 */
import type { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { recordApplication } from '../../src/backoffice/commands/apply';
import { FIRST_PRICE_LIST } from '../../src/domain/catalog';
import { feesOn, receive } from '../../src/domain/contract';
import { asAnnounced, type PriceListChange } from '../../src/domain/price-lists';
import type { Application } from '../../src/domain/validation';
import { buildSchemas, parseWith } from '../../src/domain/validation';

/** From July 2026 Standard costs 25,000 a month and 10,000 per component (1–5). */
const JULY: PriceListChange = { id: 'PL-2026-07', effectiveMonth: '2026-07', plans: { standard: { base: 25_000, bands: [10_000, 8_200, 7_400] } } };
const TERMS = { plan: 'standard' as const, components: [{ os: 'linux' as const }, { os: 'linux' as const }], metricCapRelaxations: 0, cloudMonthlyFee: 30_000 };

async function apply(appliedOn: string) {
  const started: Array<{ args: [{ application: Application }] }> = [];
  const client = {
    workflow: {
      start: async (_type: string, options: { args: [{ application: Application }] }) => {
        started.push(options);
        return { firstExecutionRunId: 'run-1' };
      },
    },
  } as unknown as Client;
  const ledger = {
    register: async () => ({ customerId: 'c-0001', alreadyRegistered: false }),
    link: async () => ({ customerId: 'c-0001', alreadyRegistered: false }),
    priceLists: async () => [asAnnounced(FIRST_PRICE_LIST), JULY],
  };
  const audit = { attempt: async () => 1, decide: async () => {}, list: async () => [] };
  const form = { contractId: `C-Q-${appliedOn}`, customer: { name: '株式会社サンプル', email: 'a@example.co.jp' }, terms: TERMS, appliedOn };
  const r = await recordApplication(
    { client, ledger, audit, taskQueue: 'q' },
    { actor: { id: 'u-1', role: 'clerk', via: 'console' }, requestId: 'r-1', form, today: appliedOn },
  );
  return { r, application: started[0]!.args[0].application };
}

describe('the apply quote (D-17, D-21)', () => {
  it('prices with the version in force on the application day, not the first price list', async () => {
    const { r } = await apply('2026-08-03');
    // 25,000 + 2 × 10,000 + cloud 30,000 (the first list: 20,000 + 2 × 9,000 + 30,000 = 68,000)
    expect(r.fixedMonthlyFee).toBe(75_000);
    expect(r.initialFee).toBe(50_000); // not versioned
  });

  it('before a version takes effect, quotes the one in force, and the contract is told of the later one', async () => {
    const { r, application } = await apply('2026-06-10');
    expect(r.fixedMonthlyFee).toBe(68_000);
    expect(application.priceLists).toEqual([JULY]); // the first list is implicit in every contract
    expect(parseWith(buildSchemas().application, application).ok).toBe(true); // the workflow accepts it
    const { state } = receive(application);
    expect(feesOn(state, '2026-06-30').fixedMonthlyFee).toBe(68_000);
    expect(feesOn(state, '2026-07-01')).toMatchObject({ fixedMonthlyFee: 75_000, priceList: 'PL-2026-07' });
  });
});
