/**
 * Read-only commands on one contract: its `state` query (show, invoices, invoice) and the Art. 28
 * cancellation quote. Who the customer is and the issued invoice come from the ledger (its local service):
 * the contract holds ids and figures only.
 */
import type { Client } from '@temporalio/client';
import { monthInvoicesCsv, renderInvoiceHtml, sha256Hex, type CustomerRecord } from '../../backoffice/ledger-records';
import { jstDateOf } from '../../domain/calendar';
import { isoDate, yearMonth } from '../../domain/validation';
import { articleOf, RULE } from '../../domain/rules';
import { quoteCancellationQuery, stateQuery } from '../../backoffice/contract-workflows';
import type { InvoiceRecord } from '../../domain/contract';
import type { ContractView } from '../../domain/contract';
import { CliError, contractIdArg, UsageError, validate, type CommandSpec, type Context } from '../command';
import { date, fields, jstTime, table, yen } from '../format';
import { allowancesText } from './allowances';

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
  const money = v.end.earlyTerminationFee
    ? `; early termination fee ${yen(v.end.earlyTerminationFee)}`
    : v.end.compensation
      ? `; compensation ${yen(v.end.compensation)}`
      : '';
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

/** The customer as the ledger has them (Art. 12-3): the latest contact, or what D-8 left. */
function customerText(c: CustomerRecord | undefined): string {
  if (!c) return '(no customer on record in the ledger)';
  if (!c.contact) return `${c.billingName} — contact details erased on ${c.contactRemovedOn} (${RULE.dataDeletion})`;
  const { name, email, contactPerson, address, phone } = c.contact;
  return `${[`${name} <${email}>`, contactPerson && `attn. ${contactPerson}`, address, phone].filter(Boolean).join(' · ')} (revision ${c.revision})`;
}

export function showText(v: ContractView, customer?: CustomerRecord): string {
  const lines = [
    `Contract ${v.contractId} — ${v.status}${v.suspension ? ` (suspended since ${v.suspension.since})` : ''}`,
    fields([
      ...v.suspensionGrounds.map((g): [string, string] =>
        g.ground === 'nonPayment'
          ? [
              'suspended for',
              `non-payment of ${g.periods.join(', ')} (notice ${g.since}); terminated on ${g.terminationDay} unless paid (${articleOf(g.rule)})`,
            ]
          : ['suspended for', `the back office's suspension since ${g.since}; lifted by resume (${articleOf(g.rule)})`],
      ),
      ['customer', `${v.customerId}: ${customerText(customer)}`],
      ['plan', termsText(v.terms)],
      ['monthly fee', `${yen(v.fees.fixedMonthlyFee)} before tax (managed ${yen(v.fees.managedTotal)} + cloud ${yen(v.fees.cloudMonthly)})`],
      ...v.scheduledTerms.map((t): [string, string] => [`from ${t.from}`, termsText(t.terms)]),
      ['applied on', date(v.appliedOn)],
      ['approved on', date(v.approvedOn)],
      ['usage start', date(v.startDate)],
      ['minimum term ends', date(v.minimumTermEnd)],
      ['current term ends', date(v.currentTermEnd)],
      v.noticeDeadlines.renewalDecline
        ? [
            'decline renewal by',
            `${v.noticeDeadlines.renewalDecline.on} to end ${v.noticeDeadlines.renewalDecline.termEnd} (${articleOf(v.noticeDeadlines.renewalDecline.article)})`,
          ]
        : false,
      v.noticeDeadlines.cancellationWithoutFee
        ? [
            'cancel without a fee by',
            `${v.noticeDeadlines.cancellationWithoutFee.on} to end ${v.noticeDeadlines.cancellationWithoutFee.endDay} (${articleOf(v.noticeDeadlines.cancellationWithoutFee.article)})`,
          ]
        : false,
      ['end', endText(v)],
      v.dataDeletedOn ? ['data deleted', `${v.dataDeletedOn} (${articleOf(RULE.dataDeletion)})`] : false,
      v.pendingChange
        ? [
            'change request',
            `requested ${v.pendingChange.requestedOn}: ${Object.entries(v.pendingChange.change)
              .map(([k, val]) => `${k} ${Array.isArray(val) ? `${val.length} component(s)` : String(val)}`)
              .join(', ')}`,
          ]
        : false,
      ['billed through', date(v.billedThrough)],
      ['outstanding', yen(v.outstanding)],
      ['credit', yen(v.credit)],
      ['balance', `${yen(v.balance)}${v.balance < 0 ? ' (in the customer’s favour)' : ''}`],
      ['contract day', v.today],
    ]),
  ];
  // A stuck effect is never hidden — the outage's, then those refused for good.
  if (v.waitingEffects)
    lines.push(
      '',
      `⚠ NEEDS ATTENTION: ${v.waitingEffects.effects.join(', ')} waiting since ${jstTime(new Date(v.waitingEffects.since))} — the ledger or mail is unreachable; retried with backoff, they go through once it is back`,
    );
  if (v.failedEffects.length)
    lines.push(
      '',
      `⚠ NEEDS ATTENTION: ${v.failedEffects.length} effect(s) refused for good — fix the cause, then neutrix retry-effects ${v.contractId}`,
      ...v.failedEffects.map((f) => `  ${f.on}  ${f.effect.type}: ${f.reason}`),
    );
  if (v.nextDeadlines.length) lines.push('', 'Next automatic steps', ...v.nextDeadlines.map((s) => `  ${s.on}  ${s.summary}`));
  if (v.allowances.length) lines.push('', ...allowancesText(v.allowances));
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

export const viewCommands: CommandSpec[] = [
  {
    name: 'show',
    summary: 'Show a contract: status, terms and fees, dates, end, balance, next automatic steps, allowances (D-19), invoices.',
    args: ['contract'],
    options: {},
    async run(ctx, _values, [id]) {
      const v = await contractState(ctx, contractIdArg(id!));
      const customer = await ctx.ledger().customerOf(v.contractId);
      ctx.emit({ ...v, customer: customer ?? null });
      ctx.say(showText(v, customer));
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
        const file = await ctx.ledger().invoicePdf(contractId, inv.period);
        if (!file)
          throw new CliError(`${contractId}: no PDF of the invoice for ${inv.period} in the ledger (issued before PDFs were kept, or still being issued)`);
        if (sha256Hex(file.pdf) !== file.sha256)
          throw new CliError(`${contractId}: the PDF of ${inv.period} read from the ledger does not match its SHA-256; nothing written`);
        await ctx.io.writeFile(values.out as string, file.pdf);
        if (ctx.json) ctx.emit({ invoiceNumber: file.invoiceNumber, period: inv.period, sha256: file.sha256, bytes: file.pdf.length, out: values.out });
        else ctx.say(`${file.invoiceNumber} (${inv.period}) PDF written to ${String(values.out)} (${file.pdf.length} bytes, sha256 ${file.sha256})`);
        return;
      }
      const doc = await ctx.ledger().invoice(contractId, inv.period);
      if (!doc) throw new CliError(`${contractId}: the invoice for ${inv.period} is still being issued in the ledger; try again in a moment`);
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
      const m = await ctx.ledger().monthInvoices(period);
      if (typeof values.csv === 'string') await ctx.io.writeFile(values.csv, monthInvoicesCsv(m));
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
      const entries = await ctx.ledger().audit.list(contractId);
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
