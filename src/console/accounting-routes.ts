/**
 * Accounting: a month's invoices (page and CSV), each issued invoice as its HTML copy or its PDF stored at
 * issue, and the audit trail as CSV (one contract's, or a date range's). Readers: every role.
 */
import { stringify } from 'csv-stringify/sync';
import { spreadsheetSafe } from '../domain/spreadsheet';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { invoicePdfName, monthInvoicesCsv, renderInvoiceHtml, type AuditEntry, type Ledger } from '../backoffice/ledger-records';
import { addDays, addMonths, daysBetween, jstDateOf, monthOf, startOfDayJst } from '../domain/calendar';
import { parseWith, schemasIn } from '../domain/validation';
import type { T } from './html';
import { contractIdOf, READERS, type RouteKit } from './route-kit';
import * as views from './views';

/** The widest date range of one audit export. */
const AUDIT_EXPORT_MAX_DAYS = 366;

const AUDIT_CSV_HEADER = [
  '日時 at',
  '実行者 actor',
  '役割 role',
  '経路 via',
  '契約 contract',
  'コマンド command',
  '依頼ID request id',
  '結果 outcome',
  'メッセージ message',
];
/** The audit trail as CSV: UTF-8 with a BOM (Excel), CRLF, one row per attempt, oldest first. */
export function auditCsv(entries: readonly AuditEntry[]): string {
  const rows = [...entries]
    .sort((a, b) => a.id - b.id)
    .map((a) => [a.at, a.actor.id, a.actor.role, a.actor.via, a.contractId ?? '', a.command, a.requestId, a.outcome, a.message ?? '']);
  return `\uFEFF${stringify([AUDIT_CSV_HEADER, ...rows], { record_delimiter: 'windows', cast: { string: spreadsheetSafe } })}`;
}

export function accountingRoutes(app: FastifyInstance, k: RouteKit, d: { ledger: Ledger }): void {
  const { ledger } = d;

  const periodOf = (req: FastifyRequest, t: T): { ok: true; period: string } | { ok: false; text: string } => {
    const raw = ((req.query ?? {}) as Record<string, string | undefined>).period;
    // Without a period: last month, the one the latest billing run issued.
    if (raw === undefined || raw === '') return { ok: true, period: addMonths(monthOf(jstDateOf(Date.now())), -1) };
    const p = parseWith(schemasIn(k.lang(req)).yearMonth, raw.trim(), '', k.lang(req));
    return p.ok ? { ok: true, period: p.value } : { ok: false, text: `${t('請求月', 'billing month')} (period): ${p.problems.join('; ')}` };
  };
  app.get('/invoices', { config: { roles: READERS } }, async (req, reply) => {
    const t = k.t(req);
    const p = periodOf(req, t);
    if (!p.ok) return k.send(req, reply.code(400), views.monthInvoices(k.ctx(req, reply), undefined), { kind: 'err', text: p.text });
    return k.send(req, reply, views.monthInvoices(k.ctx(req, reply), await ledger.monthInvoices(p.period)));
  });
  app.get('/invoices.csv', { config: { roles: READERS } }, async (req, reply) => {
    const t = k.t(req);
    const p = periodOf(req, t);
    if (!p.ok) return k.send(req, reply.code(400), views.message(t, '400', p.text));
    const csv = monthInvoicesCsv(await ledger.monthInvoices(p.period));
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="invoices-${p.period}.csv"`).send(csv);
  });
  // `<YYYY-MM>` the HTML copy, `<YYYY-MM>.pdf` the PDF stored at issue: the same readers.
  app.get('/contracts/:id/invoices/:period', async (req, reply) => {
    const id = contractIdOf(req);
    const t = k.t(req);
    const raw = (req.params as { period?: string }).period ?? '';
    const asPdf = raw.endsWith('.pdf');
    const period = parseWith(schemasIn(k.lang(req)).yearMonth, asPdf ? raw.slice(0, -'.pdf'.length) : raw, '', k.lang(req));
    if (!id || !period.ok)
      return k.send(
        req,
        reply.code(400),
        views.message(
          t,
          '400',
          !id
            ? t('契約IDの形式が正しくありません。', 'Not a contract id.')
            : `${t('請求月', 'billing month')} (period): ${period.ok ? '' : period.problems.join('; ')}`,
        ),
      );
    if (asPdf) {
      const doc = await ledger.documents.find(id, period.value);
      if (!doc)
        return k.send(
          req,
          reply.code(404),
          views.message(t, '404', t(`契約 ${id} の ${period.value} の請求書PDFはありません。`, `No invoice PDF of ${id} for ${period.value}.`)),
        );
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${invoicePdfName(doc.invoiceNumber)}"`)
        .header('x-content-sha256', doc.sha256)
        .send(doc.pdf);
    }
    const stored = await ledger.findInvoice(id, period.value);
    if (!stored)
      return k.send(
        req,
        reply.code(404),
        views.message(t, '404', t(`契約 ${id} の ${period.value} の請求書はありません。`, `No invoice of ${id} for ${period.value}.`)),
      );
    // The issued copy as its own self-contained document (its renderer escapes every value).
    return reply.type('text/html; charset=utf-8').send(renderInvoiceHtml(stored));
  });

  // Audit exports.
  const sendAuditCsv = (reply: FastifyReply, name: string, entries: AuditEntry[]) =>
    reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(auditCsv(entries));
  app.get('/contracts/:id/audit.csv', { config: { roles: READERS } }, async (req, reply) => {
    const id = contractIdOf(req);
    const t = k.t(req);
    if (!id) return k.send(req, reply.code(400), views.message(t, '400', t('契約IDの形式が正しくありません。', 'Not a contract id.')));
    return sendAuditCsv(reply, `audit-${id}.csv`, await ledger.audit.every({ contractId: id }));
  });
  app.get('/audit.csv', { config: { roles: READERS } }, async (req, reply) => {
    const t = k.t(req);
    const q = (req.query ?? {}) as Record<string, string | undefined>;
    const from = parseWith(schemasIn(k.lang(req)).isoDate, (q.from ?? '').trim(), '', k.lang(req));
    const to = parseWith(schemasIn(k.lang(req)).isoDate, (q.to ?? '').trim(), '', k.lang(req));
    const problems = [
      ...(from.ok ? [] : [`${t('開始日', 'from')} (from): ${from.problems.join('; ')}`]),
      ...(to.ok ? [] : [`${t('終了日', 'to')} (to): ${to.problems.join('; ')}`]),
    ];
    if (from.ok && to.ok && daysBetween(from.value, to.value) < 0)
      problems.push(t('終了日 (to) は開始日 (from) 以降にしてください。', 'to: must not be before from'));
    if (from.ok && to.ok && daysBetween(from.value, to.value) >= AUDIT_EXPORT_MAX_DAYS)
      problems.push(t(`期間 (from–to) は ${AUDIT_EXPORT_MAX_DAYS} 日以内にしてください。`, `from–to: at most ${AUDIT_EXPORT_MAX_DAYS} days`));
    if (problems.length || !from.ok || !to.ok) return k.send(req, reply.code(400), views.message(t, '400', problems.join('; ')));
    // Days in Japan time: from 00:00 JST of `from` to 00:00 JST of the day after `to`.
    const since = new Date(startOfDayJst(from.value)).toISOString();
    const until = new Date(startOfDayJst(addDays(to.value, 1))).toISOString();
    return sendAuditCsv(reply, `audit-${from.value}-${to.value}.csv`, await ledger.audit.every({ since, until }));
  });
}
