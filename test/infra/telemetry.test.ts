/**
 * What ops watch, through the real SDK runtime: JSON log lines carrying the contract and the
 * request id, the Prometheus endpoint with the SDK's and the project's metrics after a contract is billed,
 * the gauges read from visibility, and alert rules that name only metrics the worker really exports.
 */
import { freePort } from '../helpers/ports';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/infra/binaries';
import { pollMetrics } from '../../src/infra/metrics-poller';
import { installTelemetry } from '../../src/infra/telemetry';
import { approveFeb2, billMonth, contractTestEnv, standardApplication, type ContractTestEnv } from '../helpers/contract-env';
import { devServerEnv, testDataConverter, uniqueTaskQueue, workflowBundle } from '../helpers/temporal';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities, openInMemoryDependencies } from '../../src/activities';
import { jstDateOf } from '../../src/domain/calendar';
import { ContractDriver } from '../../src/simulation/driver';

const lines: string[] = [];
let metricsUrl: string;
let t: ContractTestEnv;

const scrape = async () => (await fetch(metricsUrl)).text();

beforeAll(async () => {
  // Before anything else in this process touches the runtime (the helpers' own install then steps aside).
  metricsUrl = installTelemetry({ LOG_LEVEL: 'INFO', METRICS_PORT: await freePort() }, (l) => lines.push(l)).metricsUrl!;
  t = await contractTestEnv();
}, 120_000);
afterAll(() => t?.teardown());

it('a contract billed: JSON logs with its id and the request id; the invoices and notices counted', async () => {
  const d = await t.start(standardApplication('TEL-1'));
  await approveFeb2(d);
  await billMonth(d, '2026-02');
  // Every line is one JSON object; the contract's commands carry its id, the command and the request id.
  const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(logged.every((l) => typeof l.time === 'string' && typeof l.level === 'string' && typeof l.message === 'string')).toBe(true);
  expect(logged).toContainEqual(
    expect.objectContaining({ message: 'command accepted', contractId: 'TEL-1', command: 'approve', requestId: 'approve', workflowId: 'TEL-1' }),
  );
  expect(logged).toContainEqual(
    expect.objectContaining({ message: 'command accepted', contractId: 'TEL-1', command: 'closeBillingPeriod', requestId: 'bill:2026-02' }),
  );
  expect(lines.join('')).not.toContain('@example.co.jp'); // no customer's address in a log line

  const m = await scrape();
  // The SDK core's exporter names counters without a _total suffix.
  expect(m).toMatch(/^neutrix_invoices_issued 1$/m);
  for (const kind of ['applicationReceived', 'approved', 'invoiceIssued']) expect(m).toMatch(new RegExp(`^neutrix_notices_sent\\{kind="${kind}"\\} 1$`, 'm'));
  expect(m).toMatch(/^temporal_workflow_task_execution_latency_count\{[^}]*workflow_type="contract"[^}]*\} \d+$/m);
});

describe('on the dev server (visibility counts: the time-skipping server has none)', () => {
  let env: TestWorkflowEnvironment;
  let deps: Awaited<ReturnType<typeof openInMemoryDependencies>>;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = uniqueTaskQueue('telemetry');
  beforeAll(async () => {
    env = await devServerEnv();
    deps = await openInMemoryDependencies();
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createActivities(deps),
      dataConverter: testDataConverter,
    });
    running = worker.run();
  }, 120_000);
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await deps?.close();
    await env?.teardown();
  });

  it('the gauges from visibility count a contract needing attention; the alert rules name only metrics the worker exports', async () => {
    // A notice the mail server refuses for good: a failed effect (NeedsAttention) and a failed-notice count.
    const send = deps.mailer.send.bind(deps.mailer);
    deps.mailer.send = async (mail) => {
      if (mail.kind === 'approved') throw ApplicationFailure.nonRetryable('550 mailbox unavailable', 'MailRejected');
      return send(mail);
    };
    const { customer, ...form } = standardApplication('TEL-2', jstDateOf(Date.now()));
    const { customerId } = await deps.ledger.customers.register({ contractId: form.contractId, contact: customer });
    const d = await ContractDriver.start(env, { taskQueue, application: { ...form, customerId } });
    expect(await d.command('approve', { requestId: 'a', startDate: (await d.state()).today })).toMatchObject({ ok: true });
    expect((await d.state()).failedEffects).toHaveLength(1);
    // A workflow type no worker knows: its task fails, which is what the workflow-task alert watches.
    await env.client.workflow.start('noSuchWorkflow', { taskQueue, workflowId: 'TEL-WFT-FAIL', args: [] });
    const until = Date.now() + 30_000;
    let m = '';
    for (;;) {
      await pollMetrics(env.client);
      m = await scrape();
      if ((/^temporal_workflow_task_execution_failed/m.test(m) && /^neutrix_contracts_needing_attention 1$/m.test(m)) || Date.now() > until) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(m).toMatch(/^neutrix_contracts_needing_attention 1$/m);
    expect(m).toMatch(/^neutrix_effects_waiting_contracts 0$/m);
    expect(m).toMatch(/^neutrix_notices_failed\{kind="approved",retryable="false"\} 1$/m);
    const rules = readFileSync(join(projectRoot, 'ops', 'prometheus', 'alerts.yml'), 'utf8');
    const named = [
      ...new Set([...rules.matchAll(/^\s*expr:\s*(.+)$/gm)].flatMap((e) => [...e[1]!.matchAll(/\b(neutrix_[a-z_]+|temporal_[a-z_]+)\b/g)].map((x) => x[1]!))),
    ];
    expect(named.length).toBeGreaterThanOrEqual(6);
    for (const name of named) expect(m, name).toMatch(new RegExp(`^${name}[{ ]`, 'm'));
    await env.client.workflow.getHandle('TEL-WFT-FAIL').terminate('test');
  });
});
