/**
 * Read-only commands on one contract: its `state` query (show, invoices, invoice) and the Art. 28
 * cancellation quote. The CLI never opens the ledger (the worker owns it): invoices come from the
 * contract, and the document is rendered here with the same renderer the ledger's invoices use.
 */
import type { Client } from '@temporalio/client';
import { renderInvoiceHtml, type StoredInvoice } from '../../activities';
import { CATALOG } from '../../domain/catalog';
import { jstDateOf } from '../../domain/calendar';
import { isoDate, yearMonth } from '../../domain/validation';
import { articleOf, RULE } from '../../domain/rules';
import { quoteCancellationQuery, stateQuery } from '../../workflows/contract/messages';
import type { InvoiceRecord } from '../../domain/contract';
import type { ContractView } from '../../domain/contract';
import type { Settings } from '../../settings';
import { CliError, contractIdArg, UsageError, validate, type CommandSpec, type Context } from '../command';
import { date, fields, table, yen } from '../format';

export async function contractState(ctx: Context, contractId: string): Promise<ContractView> {
  const client: Client = await ctx.client();
  return client.workflow.getHandle(contractId).query(stateQuery);
}

function termsText(t: ContractView['terms']): string {
  const windows = t.components.filter((c) => c.os === 'windows').length;
  return `${t.plan} · ${t.components.length} component(s) (${t.components.length - windows} linux, ${windows} windows) · ${t.metricCapRelaxations} metric-cap relaxation(s)`;
}

function endText(v: ContractView): string {
  if (!v.end) return `— (rolling renewal, ${RULE.contractTerm})`;
  const money = v.end.earlyTerminationFee ? `; early termination fee ${yen(v.end.earlyTerminationFee)}` : v.end.compensation ? `; compensation ${yen(v.end.compensation)}` : '';
  return `${v.end.lastDay} (${v.end.kind}, by the ${v.end.by}, fixed ${v.end.fixedOn})${money}`;
}

export function invoiceTable(invoices: InvoiceRecord[]): string {
  return table(invoices, [
    { header: 'NUMBER', value: (i) => i.invoiceNumber ?? '(issuing)' },
    { header: 'PERIOD', value: (i) => i.period },
    { header: 'ISSUED', value: (i) => i.issuedOn },
    { header: 'DUE', value: (i) => i.dueOn },
    { header: 'TOTAL', value: (i) => yen(i.total), align: 'right' },
    { header: 'PAID', value: (i) => yen(i.paid), align: 'right' },
    { header: 'OUTSTANDING', value: (i) => yen(i.outstanding), align: 'right' },
  ]);
}

export function showText(v: ContractView): string {
  const lines = [
    `Contract ${v.contractId} — ${v.status}${v.suspension ? ` (suspended since ${v.suspension.since}, ${v.suspension.cause})` : ''}`,
    fields([
      ['customer', `${v.customer.name} <${v.customer.email}>`],
      ['plan', termsText(v.terms)],
      ['monthly fee', `${yen(v.fees.fixedMonthlyFee)} before tax (managed ${yen(v.fees.managedTotal)} + cloud ${yen(v.fees.cloudMonthly)})`],
      ...v.scheduledTerms.map((t): [string, string] => [`from ${t.from}`, termsText(t.terms)]),
      ['applied on', date(v.appliedOn)],
      ['approved on', date(v.approvedOn)],
      ['usage start', date(v.startDate)],
      ['minimum term ends', date(v.minimumTermEnd)],
      ['current term ends', date(v.currentTermEnd)],
      ['end', endText(v)],
      v.dataDeletedOn ? ['data deleted', `${v.dataDeletedOn} (${articleOf(RULE.dataDeletion)})`] : false,
      v.pendingChange
        ? ['change request', `requested ${v.pendingChange.requestedOn}: ${Object.entries(v.pendingChange.change).map(([k, val]) => `${k} ${Array.isArray(val) ? `${val.length} component(s)` : String(val)}`).join(', ')}`]
        : false,
      ['billed through', date(v.billedThrough)],
      ['outstanding', yen(v.outstanding)],
      ['credit', yen(v.credit)],
      ['balance', `${yen(v.balance)}${v.balance < 0 ? ' (in the customer’s favour)' : ''}`],
      ['contract day', v.today],
    ]),
  ];
  if (v.nextDeadlines.length) lines.push('', 'Next automatic steps', ...v.nextDeadlines.map((s) => `  ${s.on}  ${s.summary}`));
  if (v.invoices.length) lines.push('', `Invoices (${v.invoices.length})`, indent(invoiceTable(v.invoices)));
  if (v.pendingLines.length || v.scheduledLines.length)
    lines.push(
      '',
      'On a coming invoice',
      ...v.pendingLines.map((l) => `  next      ${yen(l.amount).padStart(12)}  ${l.description}`),
      ...v.scheduledLines.map((l) => `  ${l.period}   ${yen(l.line.amount).padStart(12)}  ${l.line.description}`),
    );
  return lines.join('\n');
}

const indent = (text: string) =>
  text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');

/** The ledger's invoice document from the contract's own record, with the issuer from the settings. */
export function invoiceDocument(v: ContractView, inv: InvoiceRecord, settings: Settings): StoredInvoice {
  if (!inv.invoiceNumber) throw new CliError(`the invoice for ${inv.period} is still being issued in the ledger; try again in a moment`);
  const rate = CATALOG.taxRatePercent;
  return {
    number: inv.invoiceNumber,
    contractId: v.contractId,
    period: inv.period,
    issuedOn: inv.issuedOn,
    dueOn: inv.dueOn,
    taxableSubtotal: inv.taxableSubtotal,
    tax: inv.tax,
    nonTaxableSubtotal: inv.nonTaxableSubtotal,
    total: inv.total,
    paid: inv.paid,
    outstanding: inv.outstanding,
    contactRemovedOn: v.dataDeletedOn,
    issuer: { name: settings.INVOICE_ISSUER_NAME, registrationNumber: settings.INVOICE_REGISTRATION_NUMBER },
    customer: v.dataDeletedOn ? null : v.customer,
    taxRatePercent: rate,
    lines: inv.lines.map((l, i) => ({ ...l, lineNo: i + 1, taxRatePercent: l.taxable ? rate : null })),
    // Payments per invoice live in the ledger, which the CLI does not open; paid/outstanding come from the contract.
    allocations: [],
    credits: [],
    recordedAt: '',
  };
}

export const viewCommands: CommandSpec[] = [
  {
    name: 'show',
    summary: 'Show a contract: status, terms and fees, dates, end, balance, next automatic steps, invoices.',
    args: ['contract'],
    options: {},
    async run(ctx, _values, [id]) {
      const v = await contractState(ctx, contractIdArg(id!));
      ctx.emit(v);
      ctx.say(showText(v));
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
    summary: 'Render one invoice as a qualified-invoice HTML document (適格請求書), to a file or stdout.',
    args: ['contract'],
    options: {
      period: { type: 'string', value: 'YYYY-MM', help: 'the invoice of this billing month (default: the latest invoice)' },
      number: { type: 'string', value: 'INV-NNNNNN', help: 'the invoice with this number' },
      out: { type: 'string', value: 'PATH', help: 'write the HTML here instead of to stdout' },
    },
    notes: ['example: neutrix invoice C-1001 --period 2026-11 --out invoice.html'],
    async run(ctx, values, [id]) {
      const contractId = contractIdArg(id!);
      if (values.period !== undefined && values.number !== undefined) throw new UsageError('give --period or --number, not both');
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
      const doc = invoiceDocument(v, inv, ctx.io.settings());
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
    name: 'quote-cancel',
    summary: `Quote a cancellation (${RULE.cancellation}): can the customer end on a day with notice given today, and the ETF (${articleOf(RULE.earlyTermination)}).`,
    args: ['contract'],
    options: { 'end-date': { type: 'string', value: 'YYYY-MM-DD', help: 'the end day asked for (default: the earliest one possible)' } },
    async run(ctx, values, [id]) {
      const contractId = contractIdArg(id!);
      if (values['end-date'] !== undefined) validate(isoDate, values['end-date'], { '': '--end-date' }, values);
      const client: Client = await ctx.client();
      const handle = client.workflow.getHandle(contractId);
      let q = await handle.query(quoteCancellationQuery, (values['end-date'] as string | undefined) ?? jstDateOf(ctx.now()));
      if (values['end-date'] === undefined) q = await handle.query(quoteCancellationQuery, q.earliestEndDay);
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
