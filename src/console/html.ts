import { roleWords, type Lang } from '../domain/messages';

/**
 * Server-rendered HTML: one tagged template, `html`, that escapes every interpolated value unless it is
 * already HTML made by `html` itself. Pages are plain functions of their data; nothing else writes markup.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);
}

function render(v: unknown): string {
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === null || v === undefined || v === false) return '';
  return escapeHtml(String(v));
}

/** `html\`<p>${value}</p>\``: every value escaped; arrays joined; null, undefined and false render nothing. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!;
  return new Html(out);
}

export type { Lang } from '../domain/messages';
/** The page's words in its language: `t('契約', 'Contract')`; `t.lang` for the catalogue's words and amounts. */
export type T = ((ja: string, en: string) => string) & { readonly lang: Lang };
export const translator = (lang: Lang): T => Object.assign((ja: string, en: string) => (lang === 'en' ? en : ja), { lang });

const CSS = `
body{font-family:system-ui,"Noto Sans JP",sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}
header{background:#143d59;color:#fff;padding:.5rem 1rem;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
header a{color:#fff} header .who{margin-left:auto}
main{padding:1rem;max-width:72rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;background:#fff} th,td{border:1px solid #ccd;padding:.25rem .5rem;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}
section{background:#fff;border:1px solid #dde;padding:.5rem 1rem;margin:0 0 1rem}
form.inline{display:inline} label{display:block;margin:.25rem 0}
.msg{padding:.5rem 1rem;margin:0 0 1rem;border:1px solid} .ok{background:#e8f6ea;border-color:#5a5} .err{background:#fdeaea;border-color:#c55}
.otp{font-family:monospace;font-size:1.3rem;background:#ffd;padding:.25rem .5rem}
button{cursor:pointer} input,select{padding:.2rem}
.work{display:grid;grid-template-columns:minmax(0,1fr);gap:0 1rem}
@media (min-width:64rem){main.wide{max-width:96rem}.work{grid-template-columns:minmax(0,1fr) 24rem}.work .side{position:sticky;top:.5rem;max-height:calc(100vh - 1rem);overflow:auto}}
.side{background:#fff;border:1px solid #dde;padding:.5rem 1rem;margin:0 0 1rem}.side form{margin:0 0 .75rem}
.headline p{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:baseline;margin:.5rem 0}.headline .status{font-size:1.3rem}
@media (max-width:40rem){table{display:block;max-width:100%;overflow-x:auto}main{padding:.5rem}section,.side{padding:.5rem}}
input,select,textarea{max-width:100%;box-sizing:border-box} pre,code{white-space:pre-wrap;overflow-wrap:anywhere}
:focus-visible,input:focus-within,select:focus,textarea:focus{outline:3px solid #0b57d0;outline-offset:2px} header :focus-visible{outline-color:#ffd24d}
`;

export interface Chrome {
  t: T;
  lang: Lang;
  title: string;
  /** The signed-in person, for the header. */
  person?: { displayName: string; role: string; login: string } | undefined;
  csrf?: string | undefined;
  /** The path to come back to with `?lang=…`. */
  path: string;
  flash?: { kind: 'ok' | 'err'; text: string } | undefined;
  /** A page with a side column (the contract's): wider on a wide screen. */
  wide?: boolean | undefined;
  /** Reload the page every so many seconds (a run in progress); a meta refresh, no script. */
  refreshSeconds?: number | undefined;
}

/**
 * A table may scroll sideways on a narrow screen (the CSS above): it takes the keyboard's focus so it can be
 * scrolled without a mouse (WCAG 2.1.1). Only our templates write `<table` (text is escaped), so the rewrite is safe.
 */
function focusableTables(body: Html): Html {
  return new Html(body.value.replaceAll('<table', '<table tabindex="0"'));
}

export function page(c: Chrome, body: Html): string {
  const { t } = c;
  const other: Lang = c.lang === 'ja' ? 'en' : 'ja';
  const sep = c.path.includes('?') ? '&' : '?';
  return html`<!doctype html>
<html lang="${c.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
${c.refreshSeconds ? html`<meta http-equiv="refresh" content="${String(c.refreshSeconds)}">` : ''}<title>${c.title} – Neutrix ${t('バックオフィス', 'back office')}</title><style>${new Html(CSS)}</style></head>
<body><header><strong>Neutrix ${t('バックオフィス', 'back office')}</strong>
${c.person ? html`<a href="/">${t('ダッシュボード', 'Dashboard')}</a> <a href="/search">${t('契約検索', 'Search')}</a>${c.person.role === 'clerk' || c.person.role === 'supervisor' ? html` <a href="/contracts/new">${t('新規申込', 'New application')}</a>` : ''} <a href="/contracts">${t('契約一覧', 'Contracts')}</a> <a href="/work">${t('作業一覧', 'Work')}</a> <a href="/calendar">${t('期限', 'Calendar')}</a> <a href="/invoices">${t('月次請求', 'Invoices')}</a> <a href="/bank">${t('入金', 'Bank')}</a> <a href="/receivables/aging">${t('売掛金', 'Receivables')}</a> <a href="/receivables/payments">${t('入金一覧', 'Payments')}</a> <a href="/billing-runs">${t('請求実行', 'Billing runs')}</a>${c.person.role === 'supervisor' ? html` <a href="/provider-actions">${t('一斉措置', 'Provider-wide')}</a>` : ''}${c.person.role === 'admin' ? html` <a href="/people">${t('利用者', 'People')}</a>` : ''} <a href="/people/tokens">${t('API トークン', 'API tokens')}</a>` : ''}
<span class="who">${
    c.person
      ? html`${c.person.displayName} (${c.person.login}, ${roleWords(c.person.role)[c.lang]})
<form class="inline" method="post" action="/sign-out"><input type="hidden" name="_csrf" value="${c.csrf}"><button type="submit">${t('サインアウト', 'Sign out')}</button></form>`
      : ''
  }
<a href="${c.path}${sep}lang=${other}" id="lang-toggle">${other === 'en' ? 'English' : '日本語'}</a></span></header>
<main${c.wide ? html` class="wide"` : ''}><h1>${c.title}</h1>
${c.flash ? html`<div class="msg ${c.flash.kind}" role="${c.flash.kind === 'err' ? 'alert' : 'status'}">${c.flash.text}</div>` : ''}
${focusableTables(body)}</main></body></html>`.value;
}

/** A hidden CSRF field for a form. */
export const csrfField = (token: string) => html`<input type="hidden" name="_csrf" value="${token}">`;
