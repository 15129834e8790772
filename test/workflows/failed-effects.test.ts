// An activity that fails for good (bad data, a refusing mail server) must not fail the contract:
// the effect is kept for ops, visible in the state, and carried out again on request.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { EffectsWaitingSinceKey, NeedsAttentionKey } from '../../src/workflows/search-attributes';
import { SYSTEM_ACTORS } from '../../src/domain/actor';
import { commandUpdates } from '../../src/workflows/contract/messages';
import { contractTestEnv, standardApplication, type ContractTestEnv } from '../helpers/contract-env';

let t: ContractTestEnv;
beforeAll(async () => {
  t = await contractTestEnv();
});
afterAll(() => t?.teardown());

it('keeps a refused notice as a failed effect and sends it on retryFailedEffects', async () => {
  const send = t.deps.mailer.send.bind(t.deps.mailer);
  let refuse = true;
  t.deps.mailer.send = async (mail) => {
    if (refuse && mail.kind === 'approved') throw ApplicationFailure.nonRetryable('550 mailbox unavailable', 'BadNoticeData');
    return send(mail);
  };
  const d = await t.start(standardApplication('FAILED-MAIL'));
  await d.advanceTo('2026-01-20', 9);
  expect(await d.command('approve', { requestId: 'a', startDate: '2026-02-02' })).toMatchObject({ ok: true });
  let s = await d.state();
  expect(s.status).toBe('approved'); // S is 2026-02-02 (Art. 9, D-34)
  expect(s.failedEffects).toEqual([
    expect.objectContaining({ effect: expect.objectContaining({ type: 'notice', kind: 'approved' }), reason: expect.stringContaining('550') }),
  ]);
  expect(t.deps.mailer.mails.filter((m) => m.noticeId === 'FAILED-MAIL:approved:application')).toHaveLength(0);
  // The dashboard's "needs attention" list is this search attribute.
  expect((await d.handle.describe()).typedSearchAttributes.get(NeedsAttentionKey)).toBe(true);

  refuse = false;
  expect(await d.command('retryFailedEffects', { requestId: 'retry' })).toMatchObject({ ok: true, result: { retried: ['notice'] } });
  s = await d.state();
  expect(s.failedEffects).toEqual([]);
  expect((await d.handle.describe()).typedSearchAttributes.get(NeedsAttentionKey)).toBe(false);
  expect(t.deps.mailer.mails.filter((m) => m.noticeId === 'FAILED-MAIL:approved:application')).toHaveLength(1);
  expect(await d.command('retryFailedEffects', { requestId: 'again' })).toEqual({ ok: false, message: expect.stringContaining('no failed effect') });
});

it('a mail server down for an hour: the notice waits on one activity (the history barely grows), is flagged after 15 minutes, and goes out once when it is back', async () => {
  const send = t.deps.mailer.send.bind(t.deps.mailer);
  let down = true;
  let refused = 0;
  t.deps.mailer.send = async (mail) => {
    if (down && mail.kind === 'approved') {
      refused++;
      throw new Error('connect ECONNREFUSED 127.0.0.1:25'); // transient: retried
    }
    return send(mail);
  };
  const d = await t.start(standardApplication('MAIL-OUTAGE'));
  await d.advanceTo('2026-01-20', 9);
  // Sent without waiting for the effects to settle (they cannot, the mail server is down).
  await d.handle.executeUpdate(commandUpdates.approve, { args: [{ requestId: 'a', actor: SYSTEM_ACTORS.simulator, startDate: '2026-02-02' }] });
  // The fast path (a local activity) gives up after 30 s of real time; then one regular activity waits.
  const patient = async () => ((await d.handle.describe()).raw.pendingActivities ?? []).find((a) => a.activityType?.name === 'carryOutEffects');
  for (let i = 0; i < 90 && !(await patient()); i++) await new Promise((r) => setTimeout(r, 1000));
  expect(await patient()).toBeDefined();
  const eventsAtOutage = (await d.handle.fetchHistory()).events!.length;
  expect((await d.state()).waitingEffects).toBeNull(); // not yet: flagged after 15 minutes

  // Skip server time without waiting for the contract to settle (the driver's advanceTo would).
  await t.env.sleep(20 * 60_000);
  const waiting = (await d.state()).waitingEffects;
  expect(waiting).toMatchObject({ effects: ['notice'] });
  const sa = (await d.handle.describe()).typedSearchAttributes;
  expect(sa.get(NeedsAttentionKey)).toBe(true);
  expect(sa.get(EffectsWaitingSinceKey)?.toISOString()).toBe(waiting!.since);
  expect(t.deps.mailer.mails.filter((m) => m.noticeId === 'MAIL-OUTAGE:approved:application')).toHaveLength(0);

  await t.env.sleep(60 * 60_000); // an hour of retries later
  down = false;
  await t.env.sleep(15 * 60_000); // the next retry (at most 10 minutes apart) goes through
  await d.settle();
  expect(t.deps.mailer.mails.filter((m) => m.noticeId === 'MAIL-OUTAGE:approved:application')).toHaveLength(1);
  const s = await d.state();
  expect([s.waitingEffects, s.failedEffects]).toEqual([null, []]);
  expect((await d.handle.describe()).typedSearchAttributes.get(NeedsAttentionKey)).toBe(false);
  // Every retry of the outage (the fast path's and the server's) added at most a handful of events:
  // the patient activity (3), the attention timer (2), the flag's upserts and the workflow tasks around them.
  const grown = (await d.handle.fetchHistory()).events!.length - eventsAtOutage;
  console.log(`mail outage: ${refused} refused attempts, the history grew by ${grown} events`);
  expect(refused).toBeGreaterThan(5);
  expect(grown).toBeLessThanOrEqual(20);
}, 180_000);
