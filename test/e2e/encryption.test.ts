/**
 * Every payload encrypted (Art. 34), on the dev server with the real worker and the CLI: two
 * contracts are applied, approved, paid, charged and billed by a billing run that continues as new, then
 * their histories are read raw — by a client WITHOUT the codec, as the server stores them. Every payload
 * (the input, update arguments and results, activity inputs and results, local-activity markers' results,
 * continue-as-new input, summaries) is `binary/encrypted`, none `json/plain`; so is a query result fetched
 * raw. The only plaintext payload is the SDK core's own local-activity marker metadata (no data of ours).
 */
import { ledgerAccessOf } from '../../src/backoffice/ledger-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Client, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { contractIds, createApprovedContracts, sleep } from '../../bench/harness';
import { billingRun, type BillingRunProgress } from '../../src/workflows/billing-run';
import { payloadsIn, type FoundPayload, type History } from '../helpers/payloads';
import { startE2e, type E2e } from './harness';

const EventType = temporal.api.enums.v1.EventType;
const ids = contractIds('C-ENC', 2);
let e2e: E2e;
let raw: Client;
let billingRunId = '';

beforeAll(async () => {
  e2e = await startE2e();
  raw = new Client({ connection: e2e.env.connection }); // no data converter: the default one, no codec
  const created = await createApprovedContracts(e2e.env.client, {
    ids,
    taskQueue: e2e.settings.TASK_QUEUE,
    ledger: ledgerAccessOf(e2e.deps.ledger),
    marginMs: 4000,
    concurrency: 2,
  });
  expect(created.late).toEqual([]);
  await sleep(Math.max(0, created.billableAt - Date.now()));
  // Staff commands through the CLI (updates), each answered with a result.
  expect((await e2e.cli(['pay', ids[0]!, '--amount', '10000'])).code).toBe(0);
  expect((await e2e.cli(['charge', ids[0]!, '--description', '追加作業', '--amount', '5000', '--taxable'])).code).toBe(0);
  // A billing run of one contract a page: after five pages it continues as new (the four other ids
  // name no contract and fail, as a contract that is gone would).
  billingRunId = `billing-run-enc-${Date.now()}`;
  // With failures the run ends failed (BillingRunIncomplete), its progress in the failure's details —
  // a payload of its own, encrypted like the rest (checked below).
  const failure = await e2e.env.client.workflow
    .execute(billingRun, {
      taskQueue: e2e.settings.TASK_QUEUE,
      workflowId: billingRunId,
      args: [{ period: created.period, contractIds: [...ids, 'C-ENC-GONE-1', 'C-ENC-GONE-2', 'C-ENC-GONE-3', 'C-ENC-GONE-4'], pageSize: 1, concurrency: 1 }],
    })
    .then(
      () => undefined,
      (err: unknown) => (err instanceof WorkflowFailedError && err.cause instanceof ApplicationFailure ? err.cause : err),
    );
  expect(failure).toBeInstanceOf(ApplicationFailure);
  expect((failure as ApplicationFailure).type).toBe('BillingRunIncomplete');
  const progress = (failure as ApplicationFailure).details![0] as BillingRunProgress;
  expect(progress).toMatchObject({ done: true, billed: 2 });
  expect(progress.failed).toHaveLength(4);
}, 180_000);

afterAll(async () => {
  await e2e?.teardown();
});

/** Every run of a workflow id, read raw, oldest last. */
async function rawRuns(workflowId: string): Promise<History[]> {
  const runs: History[] = [];
  let handle = raw.workflow.getHandle(workflowId);
  for (;;) {
    const h = await handle.fetchHistory();
    runs.push(h);
    const previous = h.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
    if (!previous) return runs;
    handle = raw.workflow.getHandle(workflowId, previous);
  }
}

const typeName = (t: number | string | null | undefined) => (typeof t === 'number' ? (EventType[t] ?? String(t)) : String(t)).replace(/^EVENT_TYPE_/, '');
/** Where a payload sits, without indexes: `WORKFLOW_EXECUTION_STARTED workflowExecutionStartedEventAttributes.input`. */
const kindOf = (p: FoundPayload) =>
  p.path
    .replace(/^events\[\d+\]\(([A-Z_]+)\)\./, '$1 ')
    .replace(/\.payloads\[\d+\]$/, '')
    .replace(/\[\d+\]/g, '[]');
/** A history as text, every bytes field (payload data, metadata) decoded as it is stored. */
function readable(h: History): string {
  const parts: string[] = [];
  JSON.stringify(temporal.api.history.v1.History.toObject(temporal.api.history.v1.History.fromObject(h), { bytes: String }), (_k, v: unknown) => {
    if (typeof v === 'string') parts.push(/^[A-Za-z0-9+/]{8,}=*$/.test(v) ? Buffer.from(v, 'base64').toString('latin1') : v);
    return v;
  });
  return parts.join('\n');
}
const plainHistoryProbe: History = {
  events: [
    {
      workflowExecutionStartedEventAttributes: {
        input: { payloads: [{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('{"plan":"premium"}') }] },
      },
    },
  ],
};
const CORE_MARKER_DATA = /^MARKER_RECORDED markerRecordedEventAttributes\.details\.data$/;

it('every payload of the contracts’ and the billing run’s histories is encrypted, none json/plain', async () => {
  const histories = [...(await Promise.all(ids.map(rawRuns))).flat(), ...(await rawRuns(billingRunId))];
  const found = histories.flatMap((h) => payloadsIn(h, typeName));
  const kinds = new Map<string, Set<string>>();
  for (const p of found) {
    const k = kindOf(p);
    if (!kinds.has(k)) kinds.set(k, new Set());
    kinds.get(k)!.add(p.encoding);
  }
  const table = Object.fromEntries([...kinds].map(([k, v]) => [k, [...v].sort().join(', ')]));
  // Each kind the brief names is there…
  expect(Object.keys(table)).toEqual(
    expect.arrayContaining([
      'WORKFLOW_EXECUTION_STARTED workflowExecutionStartedEventAttributes.input',
      'WORKFLOW_EXECUTION_STARTED userMetadata.summary',
      'WORKFLOW_EXECUTION_UPDATE_ACCEPTED workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest.input.args',
      'WORKFLOW_EXECUTION_UPDATE_COMPLETED workflowExecutionUpdateCompletedEventAttributes.outcome.success',
      'ACTIVITY_TASK_SCHEDULED activityTaskScheduledEventAttributes.input',
      'ACTIVITY_TASK_COMPLETED activityTaskCompletedEventAttributes.result',
      'MARKER_RECORDED markerRecordedEventAttributes.details.result',
      'WORKFLOW_EXECUTION_CONTINUED_AS_NEW workflowExecutionContinuedAsNewEventAttributes.input',
      // The billing run ended failed (four contracts gone): its progress, in the failure's details.
      'WORKFLOW_EXECUTION_FAILED workflowExecutionFailedEventAttributes.failure.applicationFailureInfo.details',
    ]),
  );
  // …and every one is encrypted, but the SDK core's own local-activity marker metadata.
  for (const [kind, encodings] of Object.entries(table)) {
    if (CORE_MARKER_DATA.test(kind)) expect({ kind, encodings }).toEqual({ kind, encodings: 'json/plain' });
    else expect({ kind, encodings }).toEqual({ kind, encodings: 'binary/encrypted' });
  }
  // That metadata holds the SDK's bookkeeping only: sequence, attempt, activity type and times.
  for (const h of histories)
    for (const e of h.events ?? []) {
      const data = e.markerRecordedEventAttributes?.details?.data?.payloads?.[0]?.data;
      if (data)
        expect(Object.keys(JSON.parse(Buffer.from(data).toString('utf8'))).sort()).toEqual([
          'activity_id',
          'activity_type',
          'attempt',
          'backoff',
          'complete_time',
          'original_schedule_time',
          'seq',
        ]);
    }
  // Nothing of the customer's, the plan or an amount readable anywhere in a raw history.
  const text = histories.map(readable).join('\n');
  for (const clear of [
    'example.co.jp',
    'billing+c-enc',
    Buffer.from('追加作業').toString('latin1'),
    Buffer.from('株式会社ベンチ').toString('latin1'),
    '"plan"',
    '"amount"',
    '"period"',
  ])
    expect(text).not.toContain(clear);
  expect(readable(plainHistoryProbe)).toContain('"plan"'); // the same reading finds them in a plaintext payload
});

it('a query result fetched raw is encrypted; the codec client reads it', async () => {
  const r = await raw.workflowService.queryWorkflow({
    namespace: 'default',
    execution: { workflowId: ids[0]! },
    query: { queryType: 'state' },
  });
  const payload = r.queryResult!.payloads![0]!;
  expect(Buffer.from(payload.metadata!.encoding!).toString()).toBe('binary/encrypted');
  expect(Buffer.from(payload.metadata!['encryption-key-id']!).toString()).toBe('test-2026-12');
  // The client without the codec cannot read it; with it, the state is there.
  await expect(raw.workflow.getHandle(ids[0]!).query('state')).rejects.toThrow(/binary\/encrypted/);
  const view = (await e2e.env.client.workflow.getHandle(ids[0]!).query('state')) as { contractId: string; status: string };
  expect(view).toMatchObject({ contractId: ids[0], status: 'active' });
});
