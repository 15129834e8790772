/**
 * The baseline: the same first-month invoices the billing run issues, computed by the domain core alone
 * (linesForMonth + assembleInvoice) in a plain loop — no Temporal, no ledger, no mail.
 */
import type { Application } from '../src/domain/validation';
import { benchApplication, contractIds, domainInvoice } from './harness';

export function applications(n: number, prefix: string, appliedOn: string): Application[] {
  return contractIds(prefix, n).map((id, i) => {
    const { customer: _customer, ...form } = benchApplication(id, i, appliedOn);
    return { ...form, customerId: `cus-${id}` };
  });
}

/** Seconds per loop over all `apps` (median of `runs`, after a warm-up loop), and the invoices' sum. */
export function domainLoop(apps: Application[], period: string, runs = 5): { seconds: number[]; total: number } {
  let total = 0;
  const once = () => {
    total = 0;
    for (const app of apps) total += domainInvoice(app, period, app.appliedOn).total;
  };
  once(); // warm-up (JIT)
  const seconds: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    once();
    seconds.push((performance.now() - t) / 1000);
  }
  return { seconds, total };
}
