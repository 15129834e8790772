import { afterAll, beforeAll, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { timeSkippingEnv, uniqueTaskQueue, workflowBundle } from '../helpers/temporal';
import { recordingActivities } from '../helpers/recording-activities';
import { ContractDriver } from '../../src/simulation/driver';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await timeSkippingEnv();
});
afterAll(() => env?.teardown());

it('apply, approve, bill, pay', async () => {
  const taskQueue = uniqueTaskQueue();
  const rec = recordingActivities();
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities: rec.activities });
  await worker.runUntil(async () => {
    const d = await ContractDriver.start(env, {
      taskQueue,
      application: {
        contractId: 'C-SMOKE',
        customer: { name: '株式会社サンプル', email: 'billing@example.co.jp' },
        terms: { plan: 'standard', components: [{ os: 'linux' }, { os: 'windows' }], metricCapRelaxations: 0, cloudMonthlyFee: 30000 },
        appliedOn: '2026-01-05',
      },
    });
    await d.advanceTo('2026-01-20', 9);
    const approved = await d.command('approve', { requestId: 'r1', startDate: '2026-02-02' }, '2026-01-20');
    expect(approved.ok).toBe(true);
    await d.advanceTo('2026-03-01', 0, 5);
    const closed = await d.command('closeBillingPeriod', { requestId: 'bill-2026-02', period: '2026-02' }, '2026-03-01');
    expect(closed).toMatchObject({ ok: true });
    const s = await d.state();
    // 別表2: 20,000 + 2 × 9,000 = 38,000; cloud 30,000; initial 50,000 → taxable 118,000, tax 11,800, total 129,800
    expect(s.invoices[0]).toMatchObject({ period: '2026-02', taxableSubtotal: 118000, tax: 11800, total: 129800, dueOn: '2026-03-31' });
    await d.advanceTo('2026-03-31', 10);
    expect(await d.command('pay', { requestId: 'p1', amount: 129800 }, '2026-03-31')).toMatchObject({ ok: true });
    expect((await d.state()).balance).toBe(0);
    const late = await d.command('cancel', { requestId: 'c1', endDate: '2026-04-30' }, '2026-03-31');
    expect(late.ok).toBe(false);
    console.log(late, [...rec.notices.values()]);
  });
});
