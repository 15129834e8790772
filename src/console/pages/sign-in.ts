/** The sign-in page (with single sign-on's start, when configured) and the password change. */
import { csrfField, html, type Html, type T } from '../html';
import type { Ctx } from './common';

/** `sso`: where single sign-on starts, when it is configured (a link, not a form: the start redirects to the provider). */
export function signIn(t: T, csrf: string, login = '', sso?: string): { title: string; body: Html } {
  return {
    title: t('サインイン', 'Sign in'),
    body: html`<section><form method="post" action="/sign-in" id="sign-in">${csrfField(csrf)}
<label>${t('ログインID', 'Login')} <input name="login" autocomplete="username" required value="${login}"></label>
<label>${t('パスワード', 'Password')} <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">${t('サインイン', 'Sign in')}</button></form>
${sso ? html`<p><a id="sso" role="button" href="${sso}" style="display:inline-block;padding:.3rem .8rem;border:1px solid #143d59;background:#143d59;color:#fff;text-decoration:none">${t('シングルサインオン', 'Single sign-on')}</a></p>` : ''}
<p>${t('5回続けて間違えると、しばらく (1分から、続くと最長15分) 受け付けなくなります。', 'After five wrong passwords in a row, sign-in waits a while (1 minute, growing to 15 at most).')}</p></section>`,
  };
}

export function password(c: Ctx): { title: string; body: Html } {
  const { t } = c;
  return {
    title: t('パスワードの変更', 'Change your password'),
    body: html`<section>${c.person.mustChangePassword ? html`<p>${t('初回サインインです。ワンタイムパスワードを新しいパスワード (12文字以上) に変更してください。', 'First sign-in: replace the one-time password with a new one of at least 12 characters.')}</p>` : ''}
<form method="post" action="/password" id="password">${csrfField(c.csrf)}
<label>${t('現在のパスワード', 'Current password')} <input name="currentPassword" type="password" autocomplete="current-password" required></label>
<label>${t('新しいパスワード (12文字以上)', 'New password (12 characters or more)')} <input name="newPassword" type="password" autocomplete="new-password" minlength="12" required></label>
<label>${t('新しいパスワード (確認)', 'New password (again)')} <input name="confirmPassword" type="password" autocomplete="new-password" minlength="12" required></label>
<button type="submit">${t('変更する', 'Change')}</button></form></section>`,
  };
}
