/** Personal API tokens: one's own (make, revoke), and for an admin everyone's (revoke). The new token is shown once. */
import type { ApiTokenRecord } from '../../backoffice/api-tokens';
import { csrfField, html, type Html } from '../html';
import type { Ctx } from './common';

export interface TokenRow extends ApiTokenRecord {
  login: string;
}

export function apiTokens(c: Ctx, own: TokenRow[], everyone: TokenRow[] | null, shown?: { token: string; expiresAt: string }): { title: string; body: Html } {
  const { t } = c;
  const state = (r: TokenRow) =>
    r.revokedAt
      ? t(`失効 (${r.revokedAt.slice(0, 10)})`, `revoked (${r.revokedAt.slice(0, 10)})`)
      : Date.parse(r.expiresAt) <= Date.now()
        ? t('期限切れ', 'expired')
        : t('有効', 'active');
  const rows = (list: TokenRow[], withLogin: boolean) =>
    html`<table><tr>${withLogin ? html`<th>${t('ログインID', 'Login')}</th>` : ''}<th>ID</th><th>${t('用途', 'Label')}</th><th>${t('作成', 'Created')}</th><th>${t('有効期限', 'Expires')}</th><th>${t('最終利用', 'Last used')}</th><th>${t('状態', 'State')}</th><th></th></tr>
${list.map(
  (r) =>
    html`<tr data-token="${r.id}">${withLogin ? html`<td>${r.login}</td>` : ''}<td><code>${r.id}</code></td><td>${r.label}</td><td>${r.createdAt.slice(0, 10)}</td><td>${r.expiresAt.slice(0, 10)}</td><td>${r.lastUsedAt?.slice(0, 16).replace('T', ' ') ?? '—'}</td><td>${state(r)}</td>
<td>${r.revokedAt ? '' : html`<form class="inline" method="post" action="/people/tokens/${r.id}/revoke">${csrfField(c.csrf)}<button type="submit">${t('失効させる', 'Revoke')}</button></form>`}</td></tr>`,
)}</table>`;
  return {
    title: t('API トークン', 'API tokens'),
    body: html`${shown ? html`<div class="msg ok" id="new-token">${t(`新しいトークン (この一度だけ表示します。${shown.expiresAt.slice(0, 10)} まで有効。CLI では NEUTRIX_API_TOKEN に設定します):`, `Your new token (shown this once; valid until ${shown.expiresAt.slice(0, 10)}; for the CLI, set NEUTRIX_API_TOKEN to it):`)} <code class="token">${shown.token}</code></div>` : ''}
<p>${t('API トークンは、あなた自身として CLI やほかのシステムから操作するためのものです。あなたの役割で動き、すべての操作が監査ログに残ります。', 'An API token lets the CLI or another system act as you, with your role; every command it sends is in the audit trail.')}</p>
<section><h2>${t('作成', 'Make a token')}</h2><form method="post" action="/people/tokens" id="make-token">${csrfField(c.csrf)}
<label>${t('用途', 'Label')} <input name="label" required maxlength="100" placeholder="${t('例: 自分の CLI', 'e.g. my CLI')}"></label>
<label>${t('有効日数', 'Valid for (days)')} <input name="days" value="90" inputmode="numeric" size="4"></label>
<button type="submit">${t('作成', 'Make')}</button></form></section>
<section><h2>${t('あなたのトークン', 'Your tokens')}</h2>${own.length ? rows(own, false) : html`<p>${t('まだありません。', 'None yet.')}</p>`}</section>
${everyone ? html`<section><h2>${t('全員のトークン (管理者)', "Everyone's tokens (admin)")}</h2>${rows(everyone, true)}</section>` : ''}`,
  };
}
