// D-31: the dunning ladder on the contract workflow (time-skipping server), the worker's settings giving the
// ladder 3 / 14 / 5. Standard contract, S = 2026-02-02; February's invoice 129,800 (initial 50,000 + 68,000 +
// tax 11,800) is issued 03-01 and due Tue 2026-03-31 (D-11). So: reminder 03-31 − 3 = 03-28; Art. 27's overdue
// notice 04-01; second notice (督促) 03-31 + 14 = 04-14; suspension day 03-31 + 30 = 04-30 (D-14), warning
// 04-30 − 5 = 04-25.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/settings';
import type { ContractDriver } from '../../src/simulation/driver';
import { approveFeb2, billMonth, contractTestEnv, standardApplication, type ContractTestEnv } from '../helpers/contract-env';

let t: ContractTestEnv;
beforeAll(async () => {
  t = await contractTestEnv({ settings: loadSettings({ DUNNING_REMINDER_DAYS: '3', DUNNING_SECOND_NOTICE_DAYS: '14', DUNNING_WARNING_DAYS: '5' }) });
});
afterAll(() => t?.teardown());

const LADDER = new Set(['paymentReminder', 'paymentOverdue', 'paymentSecondNotice', 'suspensionWarning', 'suspended']);
/** The contract's notices of the ladder (and its ends: the overdue notice, the suspension), as `day kind`. */
async function ladder(d: ContractDriver): Promise<string[]> {
  return (await d.state()).notices.filter((n) => LADDER.has(n.kind)).map((n) => `${n.on} ${n.kind}`);
}
const mailsOf = (id: string, kind: string) => t.deps.mailer.mails.filter((m) => m.contractId === id && m.kind === kind);

describe('the dunning ladder (D-31)', () => {
  it('an unpaid invoice gets the reminder, the overdue notice, the second notice and the warning, each on its day and once', async () => {
    const d = await t.start(standardApplication('DUN-UNPAID'));
    await approveFeb2(d);
    await billMonth(d, '2026-02');
    const steps: Array<[string, string[]]> = [
      ['2026-03-27', []],
      ['2026-03-28', ['2026-03-28 paymentReminder']],
      ['2026-04-01', ['2026-04-01 paymentOverdue']],
      ['2026-04-13', []],
      ['2026-04-14', ['2026-04-14 paymentSecondNotice']],
      ['2026-04-24', []],
      ['2026-04-25', ['2026-04-25 suspensionWarning']],
      ['2026-04-30', ['2026-04-30 suspended']],
    ];
    let seen: string[] = [];
    for (const [day, added] of steps) {
      await d.advanceTo(day, 9);
      const now = await ladder(d);
      expect(now.slice(seen.length), day).toEqual(added);
      seen = now;
    }
    // Mailed once each, stating the invoice, its due day, what is owed and (after the due day) the suspension day.
    const [reminder] = mailsOf('DUN-UNPAID', 'paymentReminder');
    expect(mailsOf('DUN-UNPAID', 'paymentReminder')).toHaveLength(1);
    expect(reminder!.subject).toContain('お支払期限のご案内（2026年2月分 129,800円、お支払期限 2026年3月31日）');
    expect(reminder!.text).toMatch(/請求書番号 \S+、お支払期限 2026年3月31日/);
    const [second] = mailsOf('DUN-UNPAID', 'paymentSecondNotice');
    expect(mailsOf('DUN-UNPAID', 'paymentSecondNotice')).toHaveLength(1);
    expect(second!.subject).toContain('督促状（2026年2月分 129,800円 未入金）');
    expect(second!.text).toContain('2026年4月29日までに全額のお支払いを確認できない場合、2026年4月30日から本サービスの利用を停止します');
    const [warning] = mailsOf('DUN-UNPAID', 'suspensionWarning');
    expect(mailsOf('DUN-UNPAID', 'suspensionWarning')).toHaveLength(1);
    expect(warning!.subject).toContain('ご利用停止の予告（2026年4月30日から、2026年2月分 129,800円 未入金）');
    expect(warning!.text).toContain('Unless the full amount is received by 2026-04-29, the service will be suspended from 2026-04-30');
    expect((await d.state()).status).toBe('suspended');
  });

  it('an invoice paid before its reminder day gets none of the ladder', async () => {
    const d = await t.start(standardApplication('DUN-PAID'));
    await approveFeb2(d);
    await billMonth(d, '2026-02');
    await d.advanceTo('2026-03-20', 10);
    expect((await d.command('pay', { requestId: 'pay-feb', amount: 129_800 })).ok).toBe(true);
    await d.advanceTo('2026-05-05', 9);
    expect(await ladder(d)).toEqual([]);
    expect(t.deps.mailer.mails.filter((m) => m.contractId === 'DUN-PAID' && LADDER.has(m.kind))).toEqual([]);
    expect((await d.state()).status).toBe('active');
  });

  it('paid after the second notice: no warning, no suspension', async () => {
    const d = await t.start(standardApplication('DUN-LATE'));
    await approveFeb2(d);
    await billMonth(d, '2026-02');
    await d.advanceTo('2026-04-15', 10);
    expect((await d.command('pay', { requestId: 'pay-feb', amount: 129_800 })).ok).toBe(true);
    await d.advanceTo('2026-05-05', 9);
    expect(await ladder(d)).toEqual(['2026-03-28 paymentReminder', '2026-04-01 paymentOverdue', '2026-04-14 paymentSecondNotice']);
  });
});
