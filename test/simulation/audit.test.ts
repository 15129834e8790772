import { expect, it } from 'vitest';
import { GROUPS } from './groups';
import { loadScenario } from './scenarios';
import { playScenarios } from './run-scenarios';

playScenarios('an independent audit: suspension grounds, credits first, approved changes keep their months', [...GROUPS.audit], (host) => {
  const mail = (scenario: string, kind: string, on: string) => {
    const { application } = loadScenario(scenario).scenario;
    const found = host().deps.mailer.mails.find((m) => m.contractId === application.contractId && m.kind === kind && m.noticeId.includes(on));
    expect(found, `${kind} mail of ${on}`).toBeDefined();
    return found!.text;
  };

  it('the cancellation notice says the change approved for after the end will not take effect (D-28)', () => {
    const text = mail('change-after-the-end', 'cancellationAccepted', 'event-4');
    expect(text).toContain('2026年9月から適用予定だった契約変更は、適用されません');
    expect(text).toContain('The approved change(s) due to take effect in September 2026');
  });

  it('each non-payment notice names the invoices it asks for (D-25)', () => {
    const first = mail('overdue-paid-within-grace', 'suspended', 'overdue-2026-06-28');
    expect(first).toContain('2026年4月分');
    expect(first).not.toContain('2026年5月分');
    expect(first).toContain('2026年7月28日に利用契約を解除します');
    const second = mail('overdue-paid-within-grace', 'suspended', 'overdue-2026-07-30');
    expect(second).toContain('2026年5月分');
    expect(second).not.toContain('2026年4月分');
    expect(second).toContain('2026年8月29日に利用契約を解除します');
  });

  it('the non-payment notice during the back office suspension says the service is already suspended (D-26)', () => {
    const text = mail('overdue-during-back-office-suspension', 'suspended', 'overdue-2026-06-28');
    expect(text).toContain('本サービスはご利用停止中ですが');
    expect(text).toContain('2026年4月分');
  });
});
