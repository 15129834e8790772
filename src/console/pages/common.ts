/**
 * What the console's pages share: the page context, a listing of contracts and its table, links, the
 * status labels, a key–value table, and the plain message page. Buttons are shown by MAY_ASK, but the
 * contract decides: a forged request gets the contract's refusal, and its audit row.
 */
import { MAY_ASK, type Role } from '../../domain/actor';
import { roleWords, statusWords, viaWords, yenIn } from '../../domain/messages';
import { ruleInEnglish } from '../../domain/rules';
import type { IsoDate, Yen } from '../../domain/types';
import type { CommandName } from '../../domain/validation';
import { jstDay } from '../../cli/format';
import { html, type Html, type T } from '../html';
import type { Person } from '../../backoffice/people';

export interface Ctx {
  t: T;
  csrf: string;
  person: Person;
  today: IsoDate;
}

export interface ListedContract {
  contractId: string;
  status: string | null;
  plan: string | null;
  nextDeadline: Date | null;
  overdueYen: number | null;
  renewalDeclineDeadline: string | null;
  cancellationDeadline: string | null;
  /** D-19: the latest month whose allowances were exceeded (AllowanceExceeded). */
  allowanceExceeded: string | null;
}
/** A visibility listing: at most a page of contracts, `more` when the list goes on. */
export interface Listed {
  contracts: ListedContract[];
  more: boolean;
}
export type Listing = Listed | { error: string };

export interface OneTime {
  login: string;
  password: string;
}

export const may = (role: Role, name: CommandName) => (MAY_ASK[name] as readonly string[]).includes(role);
export const contractLink = (id: string) => html`<a href="/contracts/${encodeURIComponent(id)}">${id}</a>`;
export const runLink = (workflowId: string) => html`<a href="/billing-runs/${encodeURIComponent(workflowId)}">${workflowId}</a>`;

export function statusLabel(t: T, s: string | null): string {
  if (!s) return '–';
  const w = statusWords(s);
  return t(w.ja, w.en);
}

export function message(t: T, title: string, text: string): { title: string; body: Html } {
  return { title, body: html`<p>${text}</p><p><a href="/">${t('ダッシュボードへ', 'To the dashboard')}</a></p>` };
}

interface Columns {
  /** A day column: its heading and its value. */
  day?: { label: string; of: (c: ListedContract) => string | null };
  overdue?: boolean;
}
export const nextDeadlineColumn = (t: T): Columns['day'] => ({
  label: t('次の期限', 'Next deadline'),
  of: (c) => (c.nextDeadline ? jstDay(c.nextDeadline) : null),
});

export function listingTable(t: T, l: Listing, columns: Columns = {}): Html {
  if ('error' in l) return html`<p class="msg err">${t('一覧を取得できませんでした', 'Could not list')}: ${l.error}</p>`;
  if (l.contracts.length === 0) return html`<p>${t('該当なし', 'None')}</p>`;
  const { day } = columns;
  // Earliest day first, so the most urgent leads (the listing itself comes newest-started first).
  const rows = day ? [...l.contracts].sort((a, b) => (day.of(a) ?? '9').localeCompare(day.of(b) ?? '9')) : l.contracts;
  return html`<table><tr><th>${t('契約', 'Contract')}</th><th>${t('状態', 'Status')}</th><th>${t('プラン', 'Plan')}</th>${day ? html`<th>${day.label}</th>` : ''}${columns.overdue ? html`<th>${t('延滞額', 'Overdue')}</th>` : ''}</tr>
${rows.map((c) => html`<tr><td>${contractLink(c.contractId)}</td><td>${statusLabel(t, c.status)}</td><td>${c.plan ?? '–'}</td>${day ? html`<td>${day.of(c) ?? '–'}</td>` : ''}${columns.overdue ? html`<td class="n">${yenOf(t, c.overdueYen)}</td>` : ''}</tr>`)}</table>
${l.more ? html`<p class="more">${t(`先頭の ${l.contracts.length} 件のみ表示しています。残りは検索か Temporal Web UI で絞り込んでください。`, `Only the first ${l.contracts.length} are shown: narrow the list in search or the Temporal Web UI.`)}</p>` : ''}`;
}

export function kv(rows: Array<[string, unknown]>): Html {
  return html`<table>${rows.map(([k, v]) => html`<tr><th>${k}</th><td>${v ?? '–'}</td></tr>`)}</table>`;
}

/** Whole yen with separators in the page's language: 1,234円, 1,234 yen; a dash when there is none. */
export const yenOf = (t: T, value: Yen | null | undefined): string => (value === null || value === undefined ? '—' : yenIn(t.lang, value));
/** Who acted, as the audit trail has it: the role and the way in, in the page's language. */
export const roleAndVia = (t: T, role: string, via: string): string => `${roleWords(role)[t.lang]}, ${viaWords(via)[t.lang]}`;
/** A contract's components counted by OS: `Linux 2台, Windows 1台` / `Linux ×2, Windows ×1`. */
export function componentsText(t: T, components: ReadonlyArray<{ os: string }>): string {
  const count = new Map<string, number>();
  for (const c of components) count.set(c.os, (count.get(c.os) ?? 0) + 1);
  const name = (os: string) => (os === 'linux' ? 'Linux' : os === 'windows' ? 'Windows' : os);
  return [...count].map(([os, n]) => t(`${name(os)} ${n}台`, `${name(os)} ×${n}`)).join(', ');
}
/** A rule of the terms as the page's reader cites it: 第28条 in Japanese, Art. 28 in English. */
export const ruleText = (t: T, rule: string | null | undefined): string => (rule ? (t.lang === 'en' ? ruleInEnglish(rule) : rule) : '');
