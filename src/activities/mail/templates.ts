/**
 * One template per notice kind (NOTICE_KINDS; docs/simulator.md lists them). Each mail is Japanese first, with an English
 * rendering below; the subject and the body state the facts — days, amounts (`84,700円`) and the article.
 *
 * Art. 10 (last sentence): a rejection never carries a reason. The rejection templates read nothing but
 * the application day and the article from the facts, so no reason can reach the customer whatever the
 * caller passes.
 */
import { articleOf, ruleInEnglish } from '../../domain/rules';
import { NOTICE_KINDS, type Contact, type NoticeFacts, type NoticeKind } from '../../domain/types';
import { FAILURE_TYPES, nonRetryable } from '../errors';
import { enDate, jaDate } from './format';
import type { NoticeContent, RenderedNotice, F, Ctx, Template } from './template-kit';
import { APPLICATION_TEMPLATES } from './templates-application';
import { DUNNING_TEMPLATES } from './templates-dunning';
import { ENDING_TEMPLATES } from './templates-ending';
import { MONEY_TEMPLATES } from './templates-money';

export type { IssuedInvoiceFacts, NoticeContent, RenderedNotice, SendNoticeInput } from './template-kit';

const TEMPLATES: Record<NoticeKind, Template> = { ...APPLICATION_TEMPLATES, ...MONEY_TEMPLATES, ...DUNNING_TEMPLATES, ...ENDING_TEMPLATES };

/** The facts each kind needs; the workflow must pass at least these. */
export const REQUIRED_FACTS: Readonly<Record<NoticeKind, ReadonlyArray<keyof NoticeFacts>>> = Object.fromEntries(
  NOTICE_KINDS.map((k) => [k, TEMPLATES[k].required]),
) as unknown as Record<NoticeKind, ReadonlyArray<keyof NoticeFacts>>;

const REJECTIONS: ReadonlySet<NoticeKind> = new Set(['rejected', 'deemedRejected', 'changeRejected', 'changeDeemedRejected']);

/** 御中 for a company addressed by its name; the named contact person with 様, after the company. */
export function salutation(to: Pick<Contact, 'name' | 'contactPerson'>): { ja: string; en: string } {
  const person = to.contactPerson?.trim().replace(/\s*(様|さま|殿)$/, '');
  return person ? { ja: `${to.name} ${person}様`, en: `Dear ${person} (${to.name}),` } : { ja: `${to.name} 御中`, en: `To ${to.name},` };
}

/** Renders the notice, or throws a non-retryable BadNoticeData failure naming what is missing. */
export function renderNotice(n: NoticeContent): RenderedNotice {
  const template = (TEMPLATES as Partial<Record<string, Template>>)[n.kind];
  if (!template) throw nonRetryable(FAILURE_TYPES.badNoticeData, `unknown notice kind "${String(n.kind)}"; expected one of ${NOTICE_KINDS.join(', ')}`);
  const missing = template.required.filter((k) => n.facts[k] === undefined || n.facts[k] === null);
  if (missing.length > 0) {
    throw nonRetryable(FAILURE_TYPES.badNoticeData, `a ${n.kind} notice states ${missing.join(', ')}; missing from the facts of notice ${n.noticeId}`);
  }
  // Art. 10: a rejection reads only the application day and the article, nothing else the caller passed.
  const facts: F = REJECTIONS.has(n.kind) ? { on: n.on, ...(n.facts.appliedOn ? { appliedOn: n.facts.appliedOn } : {}) } : { ...n.facts, on: n.on };
  // The articles only: decision numbers (D-n) are internal, the customer cannot look them up.
  const article = articleOf(n.facts.article?.trim() ?? '') || articleOf(template.article);
  const ctx: Ctx = { f: facts, article, ...(n.kind === 'invoiceIssued' && n.invoice ? { invoice: n.invoice } : {}) };
  const subject = template.subject(ctx);
  const ja = template.ja(ctx);
  const en = template.en(ctx);

  const to = salutation(n.to);
  const text = [
    to.ja,
    '',
    ...ja,
    '',
    `根拠: Neutrix Cloud 契約約款 ${article}`,
    `ご契約番号: ${n.contractId}`,
    `通知日: ${jaDate(n.on)}`,
    `通知番号: ${n.noticeId}`,
    '',
    `${n.issuerName}`,
    'Neutrix Cloud サポート窓口',
    '※本メールは送信専用です。',
    '',
    '---------------------------------------------------------------- English',
    '',
    to.en,
    '',
    ...en,
    '',
    `Basis: Neutrix Cloud terms of contract, ${ruleInEnglish(article)}`,
    `Contract: ${n.contractId}`,
    `Notice date: ${enDate(n.on)}`,
    `Notice reference: ${n.noticeId}`,
    '',
    `${n.issuerName}`,
    'Neutrix Cloud support',
    'This is a send-only address.',
    '',
  ].join('\n');
  return { subject: `【Neutrix Cloud】${subject.ja} / ${subject.en}`, text };
}
