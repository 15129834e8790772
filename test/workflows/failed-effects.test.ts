// An activity that fails for good (bad data, a refusing mail server) must not fail the contract:
// the effect is kept for ops, visible in the state, and carried out again on request.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { NeedsAttentionKey } from '../../src/workflows/search-attributes';
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
  expect(s.status).toBe('active');
  expect(s.failedEffects).toEqual([expect.objectContaining({ effect: expect.objectContaining({ type: 'notice', kind: 'approved' }), reason: expect.stringContaining('550') })]);
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
