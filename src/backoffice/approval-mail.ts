/**
 * A four-eyes request asked (requestApproval accepted): every other supervisor is mailed that it waits
 * for them — the contract id, the action, the amount, the requester's name, the last day and links to
 * the console; never the customer's name or contact, nor the free-text reason (it may name a person).
 * Sent after the request is recorded and never in its way: a mail that fails is logged, and the work
 * queue shows the request anyway. To <login>@STAFF_MAIL_DOMAIN (a person's login is their mailbox).
 */
import type { Mailer, PeopleStore } from '../activities';
import type { Actor } from '../domain/actor';
import { fourEyesWords, yenIn } from '../domain/messages';
import type { Settings } from '../settings';

export interface ApprovalAsked {
  /** Null: a provider-wide action (every contract). */
  contractId: string | null;
  requestId: string;
  action: string;
  input: Record<string, unknown>;
  actor: Actor;
  expiresOn: string | undefined;
}
/** The outbox's folder key for staff mail about a provider-wide action: never a contract id (those begin with a letter or digit). */
const PROVIDER_WIDE = '_provider-wide';

export type OnApprovalAsked = (asked: ApprovalAsked) => Promise<void>;

export function approvalMailText(a: ApprovalAsked, requester: string, consoleUrl: string): { subject: string; text: string } {
  const amount = typeof a.input.amount === 'number' ? a.input.amount : typeof a.input.evadedAmount === 'number' ? a.input.evadedAmount : null;
  // A provider-wide action (D-18) concerns every contract: its page is the provider actions'.
  const page = a.contractId ? `${consoleUrl}/contracts/${encodeURIComponent(a.contractId)}` : `${consoleUrl}/provider-actions`;
  const what = fourEyesWords(a.action);
  const target = { ja: a.contractId ?? '全契約 (当社全体の操作)', en: a.contractId ?? 'every contract (provider-wide)' };
  return {
    subject: `【二者承認のお願い】${a.contractId ?? '全契約'} ${what.ja} / Approval requested: ${what.en} on ${a.contractId ?? 'every contract'}`,
    text: [
      `${requester} さんから、二者承認の依頼があります。内容を確認のうえ、承認または差し戻しをお願いします。`,
      '',
      `契約: ${target.ja}`,
      `操作: ${what.ja}`,
      amount === null ? '' : `金額: ${yenIn('ja', amount)}`,
      `依頼者: ${requester}`,
      `承認期限: ${a.expiresOn ?? '—'}${a.expiresOn ? ' (この日を過ぎると依頼は失効します)' : ''}`,
      `依頼ID: ${a.requestId}`,
      '',
      `${a.contractId ? '契約の画面' : '当社全体の操作の画面'}: ${page}`,
      `自分の作業一覧: ${consoleUrl}/work`,
      '',
      '---',
      `${requester} asked for a step that needs a second supervisor's approval (four eyes).`,
      `Contract: ${target.en} · Action: ${what.en}${amount === null ? '' : ` · Amount: ${yenIn('en', amount)}`} · Approve by: ${a.expiresOn ?? '—'}`,
      `Open it: ${page} · Your work queue: ${consoleUrl}/work`,
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
          contractId: a.contractId ?? PROVIDER_WIDE,
          kind: 'approvalRequested',
          to: { name: p.displayName, email: `${p.login}@${domain}` },
          subject,
          text,
        })
        .catch((err: Error) => log(`four-eyes mail for ${a.requestId} to ${p.login} not sent: ${err.message}`));
    }
  };
}
