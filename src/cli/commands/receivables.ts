/**
 * Receivables and customers through the back office's API (issue 29): the aging report, the payments of a
 * range of days, a customer's overview, and a payer name added (audited as the token's person).
 */
import type { CustomerOverview, PaymentsReport } from '../../backoffice/receivables';
import type { AgingReport } from '../../domain/receivables';
import { isoDate } from '../../domain/validation';
import { UsageError, validate, type CommandSpec } from '../command';
import { table, yen } from '../format';

const seg = encodeURIComponent;
const day = (values: Record<string, unknown>, flag: string) => validate(isoDate, values[flag], { '': `--${flag}` }, values as never) as string;
const sourceOf = (s: PaymentsReport['payments'][number]['source']) =>
  s.kind === 'bank' ? `bank ${s.fileId ?? '?'} #${s.record ?? '?'}` : s.kind === 'person' ? `${s.login ?? s.personId} (${s.via})` : 'unknown';

export const receivablesCommands: CommandSpec[] = [
  {
    name: 'aging',
    summary:
      'Receivables aging (売掛金年齢表): what each invoice still owes on a day, by days past due (not yet due, 1–30, 31–60, 61–90, over 90), per customer.',
    options: {
      'as-of': { type: 'string', value: 'YYYY-MM-DD', help: 'the day (default: today, Japan time)' },
      csv: { type: 'boolean', help: 'print the CSV (one row per invoice, UTF-8) instead of the table' },
    },
    notes: ['example: neutrix aging --as-of 2026-12-31 --csv > aging-2026-12-31.csv'],
    async run(ctx, values) {
      const asOf = values['as-of'] === undefined ? undefined : day(values, 'as-of');
      if (values.csv) return void ctx.io.out(await ctx.api().text('/receivables/aging.csv', { asOf }));
      const r = await ctx.api().get<AgingReport>('/receivables/aging', { asOf });
      ctx.emit(r);
      const b = (x: AgingReport['buckets']) => [x.current, x.days1to30, x.days31to60, x.days61to90, x.over90].map(yen);
      const rows = [
        ...r.customers.map((c) => [c.billingName ?? '(no customer)', c.contracts.join(' '), ...b(c.buckets), yen(c.total)]),
        ['TOTAL', '', ...b(r.buckets), yen(r.total)],
      ];
      const headers = ['CUSTOMER', 'CONTRACTS', 'NOT DUE', '1-30', '31-60', '61-90', '>90', 'TOTAL'];
      ctx.say(
        `receivables as of ${r.asOf}\n${table(
          rows,
          headers.map((header, i) => ({ header, value: (row: string[]) => row[i]!, align: i >= 2 ? ('right' as const) : ('left' as const) })),
        )}`,
      );
    },
  },
  {
    name: 'payments',
    summary:
      'The payments received from one day to another across contracts: contract, customer, amount, reversed or not, and the source (bank line or who keyed it).',
    options: {
      from: { type: 'string', value: 'YYYY-MM-DD', help: 'the first day received' },
      to: { type: 'string', value: 'YYYY-MM-DD', help: 'the last day received (at most 366 days in all)' },
      csv: { type: 'boolean', help: 'print the CSV (one row per payment, UTF-8) instead of the table' },
    },
    notes: ['example: neutrix payments --from 2026-12-01 --to 2026-12-31'],
    async run(ctx, values) {
      if (values.from === undefined) throw new UsageError('missing --from <YYYY-MM-DD>');
      if (values.to === undefined) throw new UsageError('missing --to <YYYY-MM-DD>');
      const range = { from: day(values, 'from'), to: day(values, 'to') };
      if (values.csv) return void ctx.io.out(await ctx.api().text('/receivables/payments.csv', range));
      const r = await ctx.api().get<PaymentsReport>('/receivables/payments', range);
      ctx.emit(r);
      ctx.say(
        [
          r.payments.length
            ? table(r.payments, [
                { header: 'RECEIVED', value: (p) => p.paidOn },
                { header: 'CONTRACT', value: (p) => p.contractId },
                { header: 'CUSTOMER', value: (p) => p.billingName ?? '—' },
                { header: 'AMOUNT', value: (p) => yen(p.amount), align: 'right' },
                { header: 'REVERSED', value: (p) => p.reversal?.on ?? '' },
                { header: 'SOURCE', value: (p) => sourceOf(p.source) },
                { header: 'REQUEST', value: (p) => p.requestId },
              ])
            : `no payments from ${r.from} to ${r.to}`,
          `${r.payments.length} payment(s), received ${yen(r.total)} (reversed ${yen(r.reversed)} not counted)`,
        ].join('\n'),
      );
    },
  },
  {
    name: 'customer',
    summary: 'Show a customer: billing name, contracts, open invoices, payments, balance, payer names, payer code and virtual account.',
    args: ['customer'],
    options: {},
    async run(ctx, _values, [customerId]) {
      const o = await ctx.api().get<CustomerOverview>(`/customers/${seg(customerId!)}`);
      ctx.emit(o);
      const p = o.profile;
      ctx.say(
        [
          `${p.customerId}  ${p.billingName}${p.erasedOn ? ` (contact deleted ${p.erasedOn})` : ''}`,
          `  contracts        ${p.contracts.map((c) => c.contractId).join(', ') || '—'}`,
          `  payer code       ${p.payerCode ?? '—'}`,
          `  virtual account  ${p.virtualAccount ?? '—'}`,
          `  payer names      ${p.payerNames.map((n) => n.name).join(', ') || '—'}`,
          `  owed ${yen(o.owed)} · credit ${yen(o.credit)} · balance ${yen(o.balance)}`,
          o.openInvoices.length
            ? table(o.openInvoices, [
                { header: 'INVOICE', value: (i) => i.number },
                { header: 'CONTRACT', value: (i) => i.contractId },
                { header: 'DUE', value: (i) => i.dueOn },
                { header: 'TOTAL', value: (i) => yen(i.total), align: 'right' },
                { header: 'OUTSTANDING', value: (i) => yen(i.outstanding), align: 'right' },
              ])
            : 'no open invoices',
        ].join('\n'),
      );
    },
  },
  {
    name: 'customer add-payer-name',
    summary: 'Register a payer name (振込依頼人名) of a customer, as the bank prints it; bank lines from it are then matched to the customer (D-30).',
    args: ['customer', 'name'],
    options: {},
    sendsRequest: true,
    fields: { payerName: '<name>', name: '<name>', customerId: '<customer>' },
    notes: ['example: neutrix customer add-payer-name cus-… "ｶ)ｻﾝﾌﾟﾙ"'],
    async run(ctx, _values, [customerId, name]) {
      const r = await ctx.api().send<{ summary: string }>('POST', `/customers/${seg(customerId!)}/payer-names`, { requestId: ctx.requestId, name });
      ctx.emit({ customerId, requestId: ctx.requestId, ...r });
      ctx.say(`${customerId}: ${r.summary} (request id ${ctx.requestId})`);
    },
  },
];
