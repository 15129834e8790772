/**
 * A time-skipping server and one worker with the real workflows and the real activities (PGlite in
 * memory, captured mail, in-memory resources) for a whole test file.
 */
import { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities, openInMemoryDependencies } from '../../src/activities';
import { createBillingRunActivities } from '../../src/activities/billing-run';
import { ContractDriver } from '../../src/simulation/driver';
import type { Application, NewCustomerApplication } from '../../src/domain/validation';
import type { Settings } from '../../src/settings';
import { testDataConverter, timeSkippingEnv, uniqueTaskQueue, workflowBundle } from './temporal';

export interface ContractTestEnv {
  env: TestWorkflowEnvironment;
  taskQueue: string;
  deps: Awaited<ReturnType<typeof openInMemoryDependencies>>;
  /** As the back office does: the customer into the ledger, then the contract with the customer's id. */
  start(application: NewCustomerApplication, memo?: Record<string, unknown>): Promise<ContractDriver>;
  teardown(): Promise<void>;
}

/** `settings`: the worker's (e.g. a dunning ladder, D-31); unset: as the environment says. */
export async function contractTestEnv(options: { settings?: Settings } = {}): Promise<ContractTestEnv> {
  const env = await timeSkippingEnv();
  const deps = await openInMemoryDependencies(options.settings);
  const taskQueue = uniqueTaskQueue('contracts');
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: {
      ...createActivities(deps),
      ...createBillingRunActivities(new Client({ connection: env.nativeConnection, dataConverter: testDataConverter })),
    },
    dataConverter: testDataConverter,
  });
  const running = worker.run();
  return {
    env,
    taskQueue,
    deps,
    async start({ customer, ...form }, memo) {
      const { customerId } = await deps.ledger.customers.register({ contractId: form.contractId, contact: customer });
      const application: Application = { ...form, customerId };
      return ContractDriver.start(env, { taskQueue, application, memo });
    },
    async teardown() {
      worker.shutdown();
      await running;
      await deps.close();
      await env.teardown();
    },
  };
}

/** Standard plan, two Linux components, cloud fee 30,000: managed 20,000 + 2 × 9,000 = 38,000; fixed monthly fee 68,000. */
export function standardApplication(contractId: string, appliedOn = '2026-01-05'): NewCustomerApplication {
  return {
    contractId,
    customer: { name: '株式会社サンプル', email: `billing+${contractId.toLowerCase()}@example.co.jp` },
    terms: { plan: 'standard', components: [{ os: 'linux' }, { os: 'linux' }], metricCapRelaxations: 0, cloudMonthlyFee: 30000 },
    appliedOn,
  };
}

/** Close every month from the month after the last billed one through `period` on the 1st after it. */
export async function billMonth(d: ContractDriver, period: string): Promise<void> {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const first = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  await d.advanceTo(first, 0, 5);
  const r = await d.command('closeBillingPeriod', { requestId: `bill:${period}`, period });
  if (!r.ok) throw new Error(r.message);
}

/** Bill `period` on the 1st after it and pay that invoice in full the same day (no late damages). */
export async function billAndPay(d: ContractDriver, period: string): Promise<void> {
  await billMonth(d, period);
  const s = await d.state();
  const inv = s.invoices.find((i) => i.period === period);
  if (inv && inv.outstanding > 0) {
    const r = await d.command('pay', { requestId: `pay:${period}`, amount: inv.outstanding });
    if (!r.ok) throw new Error(r.message);
  }
}

/** Approve on 2026-01-20 with usage from 2026-02-02 (minimum term ends 2027-02-01). */
export async function approveFeb2(d: ContractDriver): Promise<void> {
  await d.advanceTo('2026-01-20', 9);
  const r = await d.command('approve', { requestId: 'approve', startDate: '2026-02-02' });
  if (!r.ok) throw new Error(r.message);
}
