/**
 * Read-only commands on one contract through the back office's API: the contract as its workflow sees it
 * (show, invoices, invoice), the Art. 28 cancellation quote, the audit trail. Who the customer is and the
 * issued invoice come from the ledger: the contract holds ids and figures only.
 */
import { renderInvoiceHtml, sha256Hex, type AuditEntry, type CustomerRecord, type MonthInvoices, type StoredInvoice } from '../../backoffice/ledger-records';
import { isoDate, yearMonth } from '../../domain/validation';
import { articleOf, RULE } from '../../domain/rules';
import type { CancellationQuote, ContractView } from '../../domain/contract';
import { CliError, contractIdArg, UsageError, validate, type CommandSpec, type Context } from '../command';
import { date, fields, table, yen } from '../format';
import { closedJson, closedText, invoiceTable, showText } from './show-text';
import type { ClosedRun } from '../../backoffice/closed-contracts';

export { invoiceTable, showText };

type Shown = {
  contract: ContractView;
  customer: CustomerRecord | null;
  closedByServer: (Omit<ClosedRun, 'closedAt'> & { closedAt: string | null }) | null;
};
const shown = (ctx: Context, contractId: string) => ctx.api().get<Shown>(`/contracts/${encodeURIComponent(contractId)}`);

export async function contractState(ctx: Context, contractId: string): Promise<ContractView> {
  return (await shown(ctx, contractId)).contract;
}

export const viewCommands: CommandSpec[] = [
  {
    name: 'show',
    summary: 'Show a contract: status, terms and fees, dates, end, balance, next automatic steps, allowances (D-19), invoices.',
    args: ['contract'],
    options: {},
    async run(ctx, _values, [id]) {
      const contractId = contractIdArg(id!);
      const answer = await shown(ctx, contractId);
      const v = answer.contract;
      // A workflow the server closed still answers its query, with a state that says "active": the close comes first.
      const closed = answer.closedByServer && {
        ...answer.closedByServer,
        closedAt: answer.closedByServer.closedAt ? new Date(answer.closedByServer.closedAt) : null,
      };
      const customer = answer.customer ?? undefined;
      ctx.emit({ ...(v ?? { contractId }), customer: answer.customer, closedByServer: closed && closedJson(closed) });
      ctx.say([closed ? closedText(closed, v) : '', v ? showText(v, customer, closed) : ''].filter(Boolean).join('\n\n'));
    },
  },
  {
    name: 'invoices',
    summary: "List a contract's invoices with what is paid and outstanding.",
    args: ['contract'],
    options: {},
    async run(ctx, _values, [id]) {
      const v = await contractState(ctx, contractIdArg(id!));
      ctx.emit({ contractId: v.contractId, invoices: v.invoices, outstanding: v.outstanding, credit: v.credit, balance: v.balance });
      ctx.say(
        v.invoices.length
          ? `${invoiceTable(v.invoices)}\n\noutstanding ${yen(v.outstanding)} · credit ${yen(v.credit)} · balance ${yen(v.balance)}`
          : `${v.contractId}: no invoices yet (billed through ${date(v.billedThrough)})`,
      );
    },
  },
  {
    name: 'invoice',
    summary: 'Render one invoice as a qualified-invoice HTML document (適格請求書), to a file or stdout; --pdf: the PDF sent to the customer.',
    args: ['contract'],
    options: {
      period: { type: 'string', value: 'YYYY-MM', help: 'the invoice of this billing month (default: the latest invoice)' },
      number: { type: 'string', value: 'INV-NNNNNN', help: 'the invoice with this number' },
      pdf: { type: 'boolean', help: 'write the PDF stored in the ledger at issue (the one mailed), with --out' },
      out: { type: 'string', value: 'PATH', help: 'write the HTML (or the PDF) here instead of to stdout' },
    },
    notes: ['example: neutrix invoice C-1001 --period 2026-11 --out invoice.html', 'example: neutrix invoice C-1001 --period 2026-11 --pdf --out invoice.pdf'],
    async run(ctx, values, [id]) {
      const contractId = contractIdArg(id!);
      if (values.period !== undefined && values.number !== undefined) throw new UsageError('give --period or --number, not both');
      if (values.pdf && typeof values.out !== 'string') throw new UsageError('--pdf writes a file: give --out PATH');
      if (values.period !== undefined) validate(yearMonth, values.period, { '': '--period' }, values);
      const v = await contractState(ctx, contractId);
      const inv =
        values.period !== undefined
          ? v.invoices.find((i) => i.period === values.period)
          : values.number !== undefined
            ? v.invoices.find((i) => i.invoiceNumber === values.number)
            : v.invoices[v.invoices.length - 1];
      if (!inv)
        throw new CliError(
          `${contractId}: no invoice ${values.period ? `for ${String(values.period)}` : values.number ? String(values.number) : 'yet'} (invoices: ${v.invoices.map((i) => i.invoiceNumber ?? i.period).join(', ') || 'none'})`,
        );
      if (values.pdf) {
        // The bytes stored at issue, checked against the hash the ledger keeps with them.
        const answer = await ctx.api().bytes(`/contracts/${encodeURIComponent(contractId)}/invoices/${inv.period}/pdf`);
        const file = {
          pdf: answer.data,
          sha256: answer.headers.get('x-content-sha256') ?? '',
          invoiceNumber: answer.headers.get('x-invoice-number') ?? inv.invoiceNumber ?? '',
        };
        if (sha256Hex(file.pdf) !== file.sha256)
          throw new CliError(`${contractId}: the PDF of ${inv.period} read from the ledger does not match its SHA-256; nothing written`);
        await ctx.io.writeFile(values.out as string, file.pdf);
        if (ctx.json) ctx.emit({ invoiceNumber: file.invoiceNumber, period: inv.period, sha256: file.sha256, bytes: file.pdf.length, out: values.out });
        else ctx.say(`${file.invoiceNumber} (${inv.period}) PDF written to ${String(values.out)} (${file.pdf.length} bytes, sha256 ${file.sha256})`);
        return;
      }
      const doc = await ctx.api().get<StoredInvoice>(`/contracts/${encodeURIComponent(contractId)}/invoices/${inv.period}`);
      if (ctx.json) {
        ctx.emit(doc);
        if (typeof values.out === 'string') await ctx.io.writeFile(values.out, renderInvoiceHtml(doc));
        return;
      }
      const html = renderInvoiceHtml(doc);
      if (typeof values.out === 'string') {
        await ctx.io.writeFile(values.out, html);
        ctx.say(`${doc.number} (${doc.period}, total ${yen(doc.total)}, due ${doc.dueOn}) written to ${values.out}`);
      } else {
        ctx.io.out(html);
      }
    },
  },
  {
    name: 'month-invoices',
    summary: "The month's invoices for accounting: each invoice and its total; --csv writes one row per line (UTF-8 with BOM, for Excel).",
    args: [],
    options: {
      period: { type: 'string', value: 'YYYY-MM', help: 'the billing month' },
      csv: { type: 'string', value: 'PATH', help: 'write the CSV here (one row per line and per invoice’s tax; the amounts sum to the totals)' },
    },
    notes: ['example: neutrix month-invoices --period 2026-11 --csv invoices-2026-11.csv'],
    async run(ctx, values) {
      if (values.period === undefined) throw new UsageError('missing --period <YYYY-MM>');
      const period = validate(yearMonth, values.period, { '': '--period' }, values) as string;
      const m = await ctx.api().get<MonthInvoices>('/invoices', { period });
      if (typeof values.csv === 'string') await ctx.io.writeFile(values.csv, (await ctx.api().bytes('/invoices.csv', { period })).data);
      ctx.emit({ period, invoices: m.invoices, total: m.total });
      ctx.say(
        [
          m.invoices.length
            ? table(m.invoices, [
                { header: 'NUMBER', value: (i) => i.number },
                { header: 'CONTRACT', value: (i) => i.contractId },
                { header: 'TAX', value: (i) => yen(i.tax), align: 'right' },
                { header: 'TOTAL', value: (i) => yen(i.total), align: 'right' },
              ])
            : `no invoices for ${period}`,
          `${m.invoices.length} invoice(s), total ${yen(m.total)}${typeof values.csv === 'string' ? ` — CSV written to ${values.csv}` : ''}`,
        ].join('\n'),
      );
    },
  },
  {
    name: 'audit',
    summary: 'The audit trail of a contract: every command attempted through the console or the CLI, newest first.',
    args: ['contract'],
    options: {},
    async run(ctx, _values, [id]) {
      const contractId = contractIdArg(id!);
      const { entries } = await ctx.api().get<{ entries: AuditEntry[] }>(`/contracts/${encodeURIComponent(contractId)}/audit`);
      ctx.emit({ contractId, entries });
      ctx.say(
        entries.length
          ? table(entries, [
              { header: 'AT', value: (e) => e.at.slice(0, 19).replace('T', ' ') },
              { header: 'ACTOR', value: (e) => `${e.actor.role} ${e.actor.id} (${e.actor.via})` },
              { header: 'COMMAND', value: (e) => e.command },
              { header: 'REQUEST', value: (e) => e.requestId },
              { header: 'OUTCOME', value: (e) => e.outcome },
              { header: 'MESSAGE', value: (e) => (e.message ?? '').slice(0, 100) },
            ])
          : `${contractId}: nothing in the audit trail`,
      );
    },
  },
  {
    name: 'quote-cancel',
    summary: `Quote a cancellation (${RULE.cancellation}): can the customer end on a day with notice given today, and the ETF (${articleOf(RULE.earlyTermination)}).`,
    args: ['contract'],
    options: { 'end-date': { type: 'string', value: 'YYYY-MM-DD', help: 'the end day asked for (default: the earliest one possible)' } },
    async run(ctx, values, [id]) {
      const contractId = contractIdArg(id!);
      if (values['end-date'] !== undefined) validate(isoDate, values['end-date'], { '': '--end-date' }, values);
      const q = await ctx.api().get<CancellationQuote>(`/contracts/${encodeURIComponent(contractId)}/cancellation-quote`, {
        endDate: values['end-date'] as string | undefined,
      });
      ctx.emit({ contractId, ...q });
      ctx.say(
        [
          `${contractId} cancellation quote (${q.rule}), notice given today:`,
          fields([
            ['end day', `${q.endDay}  ${q.valid ? 'possible' : `not possible: ${q.reason}`}`],
            ['earliest end day', q.earliestEndDay],
            q.valid ? ['early termination fee', `${yen(q.earlyTerminationFee)} (不課税, ${articleOf(RULE.earlyTermination)})`] : false,
            q.valid ? ['last billed month', q.lastBilledMonth] : false,
          ]),
          q.valid ? `to record it: neutrix cancel ${contractId} --end-date ${q.endDay}` : '',
        ]
          .filter(Boolean)
          .join('\n'),
      );
    },
  },
];
