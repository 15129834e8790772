/**
 * 新規申込 (第7条): a new customer with its details, or an existing customer by its id (D-32), and the
 * terms. The back office checks the whole form with the domain's schema (recordApplication); a refusal comes
 * back here with the field named and what was typed kept.
 */
import { OS_KINDS, PLAN_IDS } from '../../domain/types';
import { csrfField, html, type Html } from '../html';
import type { Ctx } from './common';

export function applicationForm(c: Ctx, d: { requestId: string; values: Record<string, string | undefined> }): { title: string; body: Html } {
  const { t } = c;
  const v = (name: string) => d.values[name] ?? '';
  const field = (name: string, label: string, attrs: Html = html``) => html`<label>${label} <input name="${name}" value="${v(name)}"${attrs}></label>`;
  const existing = d.values.customerMode === 'existing';
  return {
    title: t('新規申込', 'New application'),
    body: html`<form method="post" action="/contracts/new" id="application">${csrfField(c.csrf)}<input type="hidden" name="requestId" value="${d.requestId}">
<section><h2>${t('契約', 'Contract')}</h2>${field('contractId', t('契約ID (英数字, - _)', 'Contract id (letters, digits, - _)'), html` required maxlength="64" autocomplete="off"`)}${field(
      'appliedOn',
      t('申込日 (空欄: 本日)', 'Applied on (empty: today)'),
      html` type="date"`,
    )}</section>
<section><h2>${t('顧客', 'Customer')}</h2>
<fieldset><legend>${t('どちらか一方', 'One of the two')}</legend>
<label><input type="radio" name="customerMode" value="new"${existing ? '' : html` checked`}> ${t('新しい顧客 (以下の連絡先を登録)', 'A new customer (register the details below)')}</label>
<label><input type="radio" name="customerMode" value="existing"${existing ? html` checked` : ''}> ${t('登録済みの顧客 (顧客IDで指定)', 'An existing customer (by its id)')}</label></fieldset>
${field('customerId', t('顧客ID (登録済みの顧客)', 'Customer id (existing customer)'), html` autocomplete="off" maxlength="64"`)}
${field('name', t('契約者名', 'Customer name'), html` autocomplete="off" maxlength="200"`)}
${field('email', t('メール (通知の宛先)', 'E-mail (for notices)'), html` autocomplete="off" inputmode="email" maxlength="254"`)}
${field('contactPerson', t('担当者', 'Contact person'), html` autocomplete="off" maxlength="200"`)}
${field('address', t('住所', 'Address'), html` autocomplete="off" maxlength="500"`)}
${field('phone', t('電話', 'Phone'), html` autocomplete="off" maxlength="40"`)}</section>
<section><h2>${t('契約条件', 'Terms')}</h2>
<label>${t('プラン', 'Plan')} <select name="plan">${PLAN_IDS.map((p) => html`<option value="${p}"${v('plan') === p ? html` selected` : ''}>${p}</option>`)}</select></label>
${OS_KINDS.map((os) => field(os, os === 'linux' ? t('Linux の台数', 'Linux components') : t('Windows の台数', 'Windows components'), html` inputmode="numeric" size="5"`))}
${field('metricCapRelaxations', t('メトリック上限緩和の数', 'Metric-cap relaxations'), html` inputmode="numeric" size="5"`)}
${field('cloudMonthlyFee', t('クラウド月額 (円, 税抜)', 'Cloud monthly fee (yen, before tax)'), html` inputmode="numeric"`)}</section>
<button type="submit">${t('申込を記録', 'Record the application')}</button></form>`,
  };
}
