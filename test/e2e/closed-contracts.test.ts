// Issue 28 (6): a contract whose workflow the server terminated stayed "active" everywhere. On the dev server
// with the real worker and ledger: one terminated by hand is on the dashboard (red, first) with what it
// still owes from the ledger, counted by the gauge and alerted on once, and show and its page say so.
import type { MetricGauge } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedContracts } from '../../src/backoffice/closed-contracts';
import { startConsole, type ConsoleServer } from '../../src/console/app';
import { jstDateOf } from '../../src/domain/calendar';
import { closedWatch, pollMetrics } from '../../src/infra/metrics-poller';
import { ISSUER, monthlyInvoice } from '../activities/support';
import { signedInCookie } from '../helpers/console-session';
import { eventually, startE2e, type E2e } from './harness';

/** Gauges that keep what they were set to, by name. */
function recordingGauges() {
  const values = new Map<string, number>();
  const gauge = (name: string) =>
    ({ set: (v: number, tags?: Record<string, string>) => values.set(tags ? `${name}${JSON.stringify(tags)}` : name, v) }) as unknown as MetricGauge;
  const g = {
    waiting: gauge('waiting'),
    oldestWaiting: gauge('oldest'),
    attention: gauge('attention'),
    billing: gauge('billing'),
    billingCompleted: gauge('completed'),
    closedAbnormally: gauge('closed'),
  };
  return { g, values };
}

describe('a contract the server terminated', () => {
  let e: E2e;
  let server: ConsoleServer;
  let cookie: string;
  const page = async (path: string) => {
    const res = await fetch(`${server.url}${path}`, { headers: { cookie }, redirect: 'manual' });
    expect(res.status).toBe(200);
    return res.text();
  };

  beforeAll(async () => {
    e = await startE2e();
    const common = ['--email', 'keiri@example.co.jp', '--plan', 'standard', '--linux', '1'];
    for (const id of ['C-KILL-1', 'C-LIVE-1']) {
      expect((await e.cli(['apply', id, '--name', '株式会社テスト', ...common])).code).toBe(0);
      expect((await e.cli(['approve', id, '--start-date', jstDateOf(Date.now())])).code).toBe(0);
    }
    // An invoice of 84,700 yen in the ledger, unpaid (the real billing path needs a month to pass).
    const customer = await e.deps.ledger.customers.ofContract('C-KILL-1');
    await e.deps.ledger.issueInvoice({ contractId: 'C-KILL-1', customerId: customer!.customerId, invoice: monthlyInvoice('2026-11'), issuer: ISSUER });
    server = await startConsole({
      ledger: e.deps.ledger,
      client: e.env.client,
      settings: { ...e.settings, CONSOLE_SESSION_SECRET: 'closed-contracts-secret-'.padEnd(40, 'x') },
      port: 0,
    });
    cookie = await signedInCookie(e.deps.ledger, server.url, 'viewer-closed', 'viewer');
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await e?.teardown();
  });

  it('is not flagged while it runs; nor is a start the contract refused (never a contract)', async () => {
    const forged = await e.env.client.workflow.start('contract', { taskQueue: e.settings.TASK_QUEUE, workflowId: 'C-FORGED-1', args: [{}] });
    await expect(forged.result()).rejects.toThrow();
    expect((await forged.describe()).status.name).toBe('FAILED');
    await eventually(
      async () => (await e.env.client.workflow.count('WorkflowType = "contract" AND ExecutionStatus = "Failed"')).count,
      (n) => n === 1,
    );
    expect((await closedContracts(e.env.client, e.deps.ledger)).contracts).toEqual([]);
    expect(await page('/')).not.toContain('id="closed-abnormally"');
  });

  it('once terminated: listed with what it owes, counted, alerted once; show and its page say terminated', async () => {
    await e.env.client.workflow.getHandle('C-KILL-1').terminate('test: history size exceeds limit');
    const listed = await eventually(
      () => closedContracts(e.env.client, e.deps.ledger),
      (l) => l.contracts.length > 0,
    );
    expect(listed.contracts).toMatchObject([
      { contractId: 'C-KILL-1', status: 'TERMINATED', reason: 'test: history size exceeds limit', owedYen: 84_700, lastStatus: 'active' },
    ]);
    expect(listed.contracts[0]!.openInvoices).toEqual([{ number: expect.any(String), period: '2026-11', outstanding: 84_700 }]);

    // The gauge and the log's alert: once per run, however often the poller reads.
    const { g, values } = recordingGauges();
    const alerts: Array<Record<string, unknown>> = [];
    const watch = closedWatch((_message, meta) => alerts.push(meta));
    await pollMetrics(e.env.client, Date.now(), g as never, watch);
    await pollMetrics(e.env.client, Date.now(), g as never, watch);
    expect(values.get('closed')).toBe(1);
    expect(alerts).toEqual([expect.objectContaining({ contractId: 'C-KILL-1', status: 'TERMINATED', reason: 'test: history size exceeds limit' })]);

    // The dashboard: first, red, with the amount owed; the running contract is not in it.
    const dash = await page('/');
    const section = /<section id="closed-abnormally" class="msg err"[\s\S]*?<\/section>/.exec(dash)?.[0] ?? '';
    expect(dash.indexOf('id="closed-abnormally"')).toBeLessThan(dash.indexOf('id="pending"'));
    expect(section).toContain('C-KILL-1');
    expect(section).toContain('84,700円');
    expect(section).toContain('test: history size exceeds limit');
    expect(section).not.toContain('C-LIVE-1');

    // The contract page: the banner, its last state below, and no action to take.
    const contract = await page('/contracts/C-KILL-1');
    expect(contract).toMatch(/<div id="closed-abnormally" class="msg err" role="alert"><strong>この契約のワークフローはサーバー側で強制終了されました/);
    expect(contract).toContain('84,700円');
    expect(contract).not.toContain('id="actions"');
    expect(await page('/contracts/C-LIVE-1')).not.toContain('closed-abnormally');

    // neutrix show: says it before anything else, and never a bare "active".
    const shown = await e.cli(['show', 'C-KILL-1']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^⚠ WORKFLOW TERMINATED BY THE SERVER at \d{4}-\d\d-\d\d \d\d:\d\d JST: test: history size exceeds limit/);
    expect(shown.stdout).toContain('Contract C-KILL-1 — terminated by the server (last state: active)');
    expect(shown.stdout).not.toMatch(/Contract C-KILL-1 — active/);
    const json = JSON.parse((await e.cli(['show', 'C-KILL-1', '--json'])).stdout);
    expect(json.closedByServer).toMatchObject({ status: 'TERMINATED', reason: 'test: history size exceeds limit', lastStatus: 'active' });
    // A command to it is refused by the server, pointing at show.
    const pay = await e.cli(['pay', 'C-KILL-1', '--amount', '1000']);
    expect(pay.code).not.toBe(0);
    expect(pay.stderr).toContain("the contract's workflow is closed (ended by the terms, or terminated by the server: neutrix show says which)");
    const live = await e.cli(['show', 'C-LIVE-1']);
    expect(live.stdout).toMatch(/^Contract C-LIVE-1 — active/);
  }, 120_000);

  it('reset to its last workflow task (docs/operations.md), the contract runs on with its state and leaves the list', async () => {
    const handle = e.env.client.workflow.getHandle('C-KILL-1');
    const events = (await handle.fetchHistory()).events ?? [];
    const lastTask = [...events].reverse().find((ev) => ev.workflowTaskCompletedEventAttributes);
    const { runId } = await handle.describe();
    await e.env.client.workflowService.resetWorkflowExecution({
      namespace: 'default',
      workflowExecution: { workflowId: 'C-KILL-1', runId },
      reason: 'terminated by mistake',
      workflowTaskFinishEventId: lastTask!.eventId,
      requestId: 'reset-kill-1',
    });
    expect((await handle.describe()).status.name).toBe('RUNNING');
    const paid = await e.cli(['pay', 'C-KILL-1', '--amount', '1000']);
    expect(paid.code, paid.stderr).toBe(0);
    expect((await e.cli(['show', 'C-KILL-1'])).stdout).toMatch(/^Contract C-KILL-1 — active/);
    const listed = await eventually(
      () => closedContracts(e.env.client, e.deps.ledger),
      (l) => l.contracts.length === 0,
    );
    expect(listed.contracts).toEqual([]);
  }, 60_000);
});
