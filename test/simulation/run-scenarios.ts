/**
 * One time-skipping server per test file (docs/temporal-notes.md#one-environment-per-test-file), the worked scenarios played on it one after
 * the other, each compared with its hand-computed outcome and with what the real activities recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSimulationHost, type Outcome, type SimulationHost } from '../../src/simulation/run';
import { comparable, loadScenario } from './scenarios';

/** The ledger and the mail capture (the real activities) hold the invoices and notices of the outcome. */
export async function expectActivitiesAgree(host: SimulationHost, outcome: Outcome): Promise<void> {
  const invoices = await host.deps.ledger.listInvoices(outcome.contractId);
  expect(invoices.map((i) => ({ period: i.period, issuedOn: i.issuedOn, dueOn: i.dueOn, total: i.total }))).toEqual(
    outcome.invoices.map((i) => ({ period: i.period, issuedOn: i.issuedOn, dueOn: i.dueOn, total: i.total })),
  );
  // What was paid on each invoice — payments, advances and credits set against it — as the contract says.
  const settled = (list: Array<{ period: string; total: number; paid: number }>) =>
    list.filter((i) => i.total >= 0).map((i) => ({ period: i.period, paid: i.paid }));
  expect(settled(invoices)).toEqual(settled(outcome.invoices));
  // And the balance: what the invoices still ask, less money paid and not yet set against any invoice.
  const unallocated = (await host.deps.ledger.listPayments(outcome.contractId)).reduce(
    (sum, p) => sum + p.amount - p.allocations.reduce((a, x) => a + x.amount, 0),
    0,
  );
  expect(invoices.reduce((sum, i) => sum + i.outstanding, 0) - unallocated).toBe(outcome.balance);
  const sent = await host.deps.ledger.listNotices(outcome.contractId);
  const key = (n: { kind: string; on: string }) => `${n.on} ${n.kind}`;
  expect(sent.map(key).sort()).toEqual(outcome.notices.map(key).sort());
  // Mailed while the contact existed; after D-8's deletion a notice is recorded as withheld, never mailed.
  const mailed = sent.filter((n) => n.status === 'sent');
  expect(sent.filter((n) => n.status === 'withheld').every((n) => outcome.dataDeletedOn !== null && n.on >= outcome.dataDeletedOn)).toBe(true);
  expect(mailed.every((n) => outcome.dataDeletedOn === null || n.on <= outcome.dataDeletedOn)).toBe(true);
  expect(host.deps.mailer.mails.filter((m) => m.contractId === outcome.contractId)).toHaveLength(mailed.length);
}

export function playScenarios(title: string, names: string[], extra?: (host: () => SimulationHost) => void): void {
  describe(title, () => {
    let host: SimulationHost;
    beforeAll(async () => {
      host = await openSimulationHost();
    });
    afterAll(() => host?.close());

    for (const name of names) {
      it(name, async () => {
        const { scenario, expected } = loadScenario(name);
        const outcome = await host.run(scenario);
        expect(comparable(outcome, expected)).toEqual(expected);
        await expectActivitiesAgree(host, outcome);
      });
    }
    extra?.(() => host);
  });
}
