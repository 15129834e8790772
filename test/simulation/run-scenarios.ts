/**
 * One time-skipping server per test file (SDK notes §1.7), the worked scenarios played on it one after
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
  const sent = await host.deps.ledger.listNotices(outcome.contractId);
  const key = (n: { kind: string; on: string }) => `${n.on} ${n.kind}`;
  expect(sent.map(key).sort()).toEqual(outcome.notices.map(key).sort());
  expect(host.deps.mailer.mails.filter((m) => m.contractId === outcome.contractId)).toHaveLength(outcome.notices.length);
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
