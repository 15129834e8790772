/** 入金 (bank statements): the upload form and the files imported, a file's lines, the clerk's queue of unmatched lines. */
import type { BankFileRecord } from '../../backoffice/ledger-records';
import type { BankImportResult, ImportedLine } from '../../backoffice/bank/import';
import { csrfField, html, type Html, type T } from '../html';
import { yenOf, type Ctx } from './common';

function outcomeText(t: T, l: ImportedLine): string {
  const words: Record<string, [string, string]> = {
    matched: ['消込済', 'matched'],
    short: ['不足', 'short'],
    over: ['過入金', 'over'],
    unmatched: ['未消込', 'unmatched'],
    duplicate: ['重複', 'duplicate'],
    cancelled: ['取消', 'cancelled'],
    returned: ['返金済', 'returned'],
    pending: ['処理中', 'pending'],
  };
  const [ja, en] = words[l.outcome] ?? [l.outcome, l.outcome];
  const fee = l.likelyFee ? t(` (振込手数料 ${yenOf(t, l.shortfall)} の可能性)`, ` (likely the ${yenOf(t, l.shortfall)} transfer fee)`) : '';
  return `${t(ja, en)}${fee}`;
}

function linesTable(c: Ctx, lines: ReadonlyArray<ImportedLine & { fileId?: string }>, actions: boolean): Html {
  const { t } = c;
  const canAct = actions && (c.person.role === 'clerk' || c.person.role === 'supervisor');
  return html`<table class="bank-lines"><tr>${actions ? html`<th>${t('ファイル', 'File')}</th>` : ''}<th>${t('レコード', 'Record')}</th><th>照会番号</th><th>${t('勘定日', 'Booked on')}</th><th>${t('金額', 'Amount')}</th><th>${t('振込依頼人', 'Payer')}</th><th>${t('結果', 'Outcome')}</th><th>${t('消込額', 'Applied')}</th><th>${t('顧客', 'Customer')}</th><th>${t('備考', 'Note')}</th>${canAct ? html`<th></th>` : ''}</tr>
${lines.map(
  (
    l,
  ) => html`<tr data-record="${String(l.record)}" data-outcome="${l.outcome}">${actions ? html`<td><a href="/bank/files/${l.fileId ?? ''}">${l.fileId ?? ''}</a></td>` : ''}<td>${String(l.record)}</td><td>${l.ref}</td><td>${l.valueDate}</td><td class="num">${yenOf(t, l.amount)}</td><td>${l.payer}</td><td>${outcomeText(t, l)}</td><td class="num">${yenOf(t, l.applied)}</td><td>${l.customerId ? html`<a href="/customers/${l.customerId}">${l.customerId}</a>` : ''}</td><td>${l.note ?? ''}</td>
${
  canAct
    ? html`<td><form class="inline assign" method="post" action="/bank/files/${l.fileId ?? ''}/lines/${String(l.record)}/assign">${csrfField(c.csrf)}<label>${t('顧客ID または契約ID', 'Customer or contract id')} <input name="customer" required maxlength="100" size="16"></label> <label><input type="checkbox" name="remember" value="yes" checked> ${t('依頼人名を登録', 'remember the payer name')}</label> <button type="submit">${t('消込む', 'Apply')}</button></form>
<form class="inline return" method="post" action="/bank/files/${l.fileId ?? ''}/lines/${String(l.record)}/return">${csrfField(c.csrf)}<label>${t('返金理由', 'Reason to return')} <input name="reason" required maxlength="500" size="16"></label> <button type="submit">${t('返金済にする', 'Mark returned')}</button></form></td>`
    : ''
}</tr>`,
)}</table>`;
}

export function bankHome(c: Ctx, files: BankFileRecord[], unmatched: number): { title: string; body: Html } {
  const { t } = c;
  const mayImport = c.person.role === 'clerk' || c.person.role === 'supervisor';
  return {
    title: t('入金 (銀行明細の取込)', 'Bank statements'),
    body: html`<p>${t('銀行の 全銀協 振込入金通知 (01)・入出金取引明細 (03) または CSV を取り込むと、各明細を顧客に照合し、古い請求から消し込みます。形式が正しくないファイルは全体を拒否し、何も反映しません。', 'Import the bank’s 全銀協 振込入金通知 (01), 入出金取引明細 (03) or the CSV: each line is matched to a customer and applied to the oldest due invoices first. A file that is not well-formed is refused whole; nothing of it is applied.')}</p>
${
  mayImport
    ? html`<section><h2>${t('取込', 'Import a file')}</h2><form method="post" action="/bank/imports" enctype="multipart/form-data" id="bank-import">${csrfField(c.csrf)}
<label>${t('ファイル', 'File')} <input type="file" name="file" required></label>
<label>${t('形式', 'Format')} <select name="format"><option value="">${t('ファイルから判定', 'read from the file')}</option><option value="zengin01">全銀協 振込入金通知 (01)</option><option value="zengin03">全銀協 入出金取引明細 (03)</option><option value="csv">CSV</option></select></label>
<label><input type="checkbox" name="dryRun" value="yes"> ${t('試行のみ (何も記録・送信しない)', 'dry run (record and send nothing)')}</label>
<button type="submit">${t('取り込む', 'Import')}</button></form></section>`
    : ''
}
<p><a href="/bank/unmatched">${t(`未消込の明細: ${unmatched} 件`, `Unmatched lines: ${unmatched}`)}</a></p>
<section><h2>${t('取込済ファイル', 'Files imported')}</h2>${
      files.length
        ? html`<table><tr><th>ID</th><th>${t('ファイル名', 'Name')}</th><th>${t('形式', 'Format')}</th><th>${t('明細数', 'Lines')}</th><th>${t('取込日時', 'Imported')}</th></tr>${files.map(
            (f) =>
              html`<tr><td><a href="/bank/files/${f.fileId}">${f.fileId}</a></td><td>${f.fileName}</td><td>${f.format}</td><td class="num">${String(f.lineCount)}</td><td>${f.importedAt.slice(0, 16).replace('T', ' ')}</td></tr>`,
          )}</table>`
        : html`<p>${t('まだありません。', 'None yet.')}</p>`
    }</section>`,
  };
}

export function bankFile(c: Ctx, r: Pick<BankImportResult, 'fileId' | 'fileName' | 'format' | 'dryRun' | 'lines'>): { title: string; body: Html } {
  const { t } = c;
  const applied = r.lines.reduce((s, l) => s + l.applied, 0);
  return {
    title: r.dryRun ? t(`試行: ${r.fileName}`, `Dry run: ${r.fileName}`) : `${r.fileId}: ${r.fileName}`,
    body: html`<p>${r.dryRun ? t('試行です。何も記録・送信していません。', 'A dry run: nothing was recorded or sent.') : ''} ${t(`形式 ${r.format}、明細 ${r.lines.length} 件、消込額 ${yenOf(t, applied)}。`, `Format ${r.format}, ${r.lines.length} line(s), ${yenOf(t, applied)} applied.`)}</p>
${linesTable(c, r.lines, false)}<p><a href="/bank">${t('入金に戻る', 'Back to bank statements')}</a></p>`,
  };
}

export function bankUnmatched(c: Ctx, lines: Array<ImportedLine & { fileId: string }>): { title: string; body: Html } {
  const { t } = c;
  return {
    title: t('未消込の明細', 'Unmatched bank lines'),
    body: html`<p>${t('顧客が見つからなかった明細です。顧客 (または契約) を指定して消し込むか、依頼人へ返金済にします。', 'Lines no customer was found for: give each to a customer (or a contract’s customer), or mark it returned to the payer.')}</p>
${lines.length ? linesTable(c, lines, true) : html`<p>${t('ありません。', 'None.')}</p>`}`,
  };
}
