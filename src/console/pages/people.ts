/** People (admins): add, set a role, unlock, disable or enable, reset a password, link single sign-on. */
import { ROLES } from '../../domain/actor';
import { roleWords } from '../../domain/messages';
import { csrfField, html, type Html } from '../html';
import type { Person } from '../../backoffice/people';
import type { Ctx, OneTime } from './common';

/** `ssoIssuer`: single sign-on's issuer, when configured: a column to link each person to a subject of it. */
export function people(c: Ctx, list: Person[], shown?: OneTime, ssoIssuer?: string): { title: string; body: Html } {
  const { t } = c;
  const sso = (p: Person) => {
    const linked = p.oidcIssuer === ssoIssuer ? (p.oidcSubject ?? '') : '';
    return html`<td>${p.oidcSubject && !linked ? html`<small>${t('別の発行者', 'another issuer')}: ${p.oidcIssuer}</small> ` : ''}<form class="inline sso-link" method="post" action="/people/${p.id}/oidc">${csrfField(c.csrf)}<input name="subject" value="${linked}" placeholder="subject (sub)" size="16"><button type="submit">${t('結び付け', 'Link')}</button></form>${p.oidcSubject ? html` <form class="inline sso-unlink" method="post" action="/people/${p.id}/oidc">${csrfField(c.csrf)}<button type="submit">${t('解除', 'Unlink')}</button></form>` : ''}</td>`;
  };
  const op = (p: Person, name: string, label: string, inner: Html = html``) =>
    html`<form class="inline" method="post" action="/people/${p.id}/${name}">${csrfField(c.csrf)}${inner}<button type="submit">${label}</button></form>`;
  return {
    title: t('利用者', 'People'),
    body: html`${shown ? html`<div class="msg ok" id="one-time">${t(`${shown.login} のワンタイムパスワード (この一度だけ表示します。発行から24時間以内に一度だけサインインでき、その際に変更が必要です):`, `One-time password for ${shown.login} (shown this once; it signs in once, within 24 hours, and must then be changed):`)} <span class="otp">${shown.password}</span></div>` : ''}
<section><h2>${t('追加', 'Add a person')}</h2><form method="post" action="/people" id="add-person">${csrfField(c.csrf)}
<label>${t('ログインID', 'Login')} <input name="login" required></label>
<label>${t('表示名', 'Display name')} <input name="displayName" required></label>
<label>${t('役割', 'Role')} <select name="role">${ROLES.map((r) => html`<option value="${r}">${roleWords(r)[t.lang]}</option>`)}</select></label>
<button type="submit">${t('追加', 'Add')}</button></form></section>
<section><table><tr><th>${t('ログインID', 'Login')}</th><th>${t('表示名', 'Name')}</th><th>${t('役割', 'Role')}</th><th>${t('状態', 'State')}</th>${ssoIssuer ? html`<th title="${ssoIssuer}">${t('シングルサインオン (subject)', 'Single sign-on (subject)')}</th>` : ''}<th></th></tr>
${list.map(
  (
    p,
  ) => html`<tr data-login="${p.login}"><td>${p.login}</td><td>${p.displayName}</td><td>${roleWords(p.role)[t.lang]}</td><td>${p.disabled ? t('無効', 'disabled') : p.lockedUntil && Date.parse(p.lockedUntil) > Date.now() ? t('サインイン待機中', 'sign-in throttled') : p.mustChangePassword ? t('初回変更待ち', 'must change password') : t('有効', 'active')}</td>${ssoIssuer ? sso(p) : ''}
<td>${op(p, 'role', t('役割を変更', 'Set role'), html`<select name="role">${ROLES.map((r) => html`<option value="${r}"${r === p.role ? html` selected` : ''}>${roleWords(r)[t.lang]}</option>`)}</select>`)}
${op(p, 'unlock', t('ロック解除', 'Unlock'))} ${p.disabled ? op(p, 'enable', t('有効にする', 'Enable')) : op(p, 'disable', t('無効にする', 'Disable'))} ${op(p, 'reset', t('パスワード再発行', 'Reset password'))}</td></tr>`,
)}</table></section>`,
  };
}
