/**
 * A four-eyes request asked (requestApproval accepted): every other supervisor is mailed that it waits
 * for them — the contract id, the action, the amount, the requester's name, the last day and links to
 * the console; never the customer's name or contact, nor the free-text reason (it may name a person).
 * Sent after the request is recorded and never in its way: a mail that fails is logged, and the work
 * queue shows the request anyway. To <login>@STAFF_MAIL_DOMAIN (a person's login is their mailbox).
 */
import type { Mailer, PeopleStore } from '../activities';
import type { Actor } from '../domain/actor';
import { fourEyesWords } from '../domain/messages';
import { formatYen } from '../domain/money';
import type { Settings } from '../settings';

export interface ApprovalAsked {
  contractId: string;
  requestId: string;
  action: string;
  input: Record<string, unknown>;
  actor: Actor;
  expiresOn: string | undefined;
}
export type OnApprovalAsked = (asked: ApprovalAsked) => Promise<void>;

export function approvalMailText(a: ApprovalAsked, requester: string, consoleUrl: string): { subject: string; text: string } {
  const amount = typeof a.input.amount === 'number' ? a.input.amount : typeof a.input.evadedAmount === 'number' ? a.input.evadedAmount : null;
  const contract = `${consoleUrl}/contracts/${encodeURIComponent(a.contractId)}`;
  const ja = fourEyesWords(a.action).ja;
  return {
    subject: `【二者承認のお願い】${a.contractId} ${ja} / Approval requested: ${a.action} on ${a.contractId}`,
    text: [
      `${requester} さんから、二者承認の依頼があります。内容を確認のうえ、承認または差し戻しをお願いします。`,
      '',
      `契約: ${a.contractId}`,
      `操作: ${ja}`,
      amount === null ? '' : `金額: ${formatYen(amount)}`,
      `依頼者: ${requester}`,
      `承認期限: ${a.expiresOn ?? '—'} (この日を過ぎると依頼は失効します)`,
      `依頼ID: ${a.requestId}`,
      '',
      `契約の画面: ${contract}`,
      `自分の作業一覧: ${consoleUrl}/work`,
      '',
      '---',
      `${requester} asked for a step that needs a second supervisor's approval (four eyes).`,
      `Contract: ${a.contractId} · Action: ${a.action}${amount === null ? '' : ` · Amount: ${amount.toLocaleString('en-US')} yen`} · Approve by: ${a.expiresOn ?? '—'}`,
      `Open the contract: ${contract} · Your work queue: ${consoleUrl}/work`,
      '',
      'このメールは Neutrix バックオフィスが自動で送信しています。 / Sent by the Neutrix back office.',
    ]
      .filter((l, i, all) => l !== '' || all[i - 1] !== '')
      .join('\n'),
  };
}

export function approvalMail(d: {
  mailer: Mailer;
  people: Pick<PeopleStore, 'list' | 'get'>;
  settings: Pick<Settings, 'STAFF_MAIL_DOMAIN' | 'CONSOLE_URL' | 'CONSOLE_PORT'>;
  log?: (line: string) => void;
}): OnApprovalAsked {
  const log = d.log ?? ((l: string) => console.error(l));
  const domain = d.settings.STAFF_MAIL_DOMAIN;
  const consoleUrl = (d.settings.CONSOLE_URL ?? `http://localhost:${d.settings.CONSOLE_PORT}`).replace(/\/+$/, '');
  return async (a) => {
    if (!domain) return;
    const everyone = await d.people.list();
    const requester = everyone.find((p) => p.id === a.actor.id)?.displayName ?? a.actor.id;
    const { subject, text } = approvalMailText(a, requester, consoleUrl);
    const to = everyone.filter((p) => p.role === 'supervisor' && !p.disabled && p.id !== a.actor.id);
    for (const p of to) {
      await d.mailer
        .send({
          noticeId: `approval-${a.requestId}-${p.id}`, // a repeated request mails once (the same Message-ID)
          contractId: a.contractId,
          kind: 'approvalRequested',
          to: { name: p.displayName, email: `${p.login}@${domain}` },
          subject,
          text,
        })
        .catch((err: Error) => log(`four-eyes mail for ${a.requestId} to ${p.login} not sent: ${err.message}`));
    }
  };
}
