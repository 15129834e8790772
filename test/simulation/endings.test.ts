import { expect, it } from 'vitest';
import { GROUPS } from './groups';
import { loadScenario } from './scenarios';
import { playScenarios } from './run-scenarios';

playScenarios('endings', [...GROUPS.endings], (host) => {
  it('sends every notice after a contact change to the new address (Art. 12-4)', () => {
    // terminate-for-convenience has run above: the contact changed on 2026-04-20.
    const { scenario } = loadScenario('terminate-for-convenience');
    const mails = host().deps.mailer.mails.filter((m) => m.contractId === scenario.application.contractId);
    const to = (noticeId: string) => mails.find((m) => m.noticeId === noticeId)?.to.email;
    expect(to('C-CONVENIENCE:terminationNotice:event-3')).toBe('billing@example.co.jp'); // 2026-04-10, before the change
    expect(to('C-CONVENIENCE:paymentReceived:event-5')).toBe('keiri@example.co.jp'); // 2026-04-30, after it
    expect(to('C-CONVENIENCE:dataDeleted:deletion')).toBe('keiri@example.co.jp');
  });
});
