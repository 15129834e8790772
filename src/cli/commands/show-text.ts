/** What `neutrix show` prints: the contract at a glance, its invoices and its allowances (D-19). */
import type { ClosedRun } from '../../backoffice/closed-contracts';
import type { CustomerRecord } from '../../backoffice/ledger-records';
import type { ContractView, InvoiceRecord } from '../../domain/contract';
import { articleOf, RULE } from '../../domain/rules';
import { date, fields, jstTime, table, yen } from '../format';
import { allowancesText } from './allowances';

const indent = (text: string) =>
  text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');

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

/** What show says first about a contract whose workflow the server closed: nothing it shows will change. */
export function closedText(c: ClosedRun, v: ContractView | null): string {
  return [
    `⚠ WORKFLOW ${c.status.replace('_', ' ')} BY THE SERVER at ${jstTime(c.closedAt)}${c.reason ? `: ${c.reason}` : ''}${c.by ? ` (${c.by})` : ''}`,
    `  the contract no longer bills, ends or deletes data, and takes no command${v ? `; still owed at its last state: ${yen(v.outstanding)}` : ''}`,
    '  what to do: docs/operations.md, "Contracts closed by the server"',
  ].join('\n');
}

export function closedJson(c: ClosedRun): Record<string, unknown> {
  return { status: c.status, closedAt: c.closedAt?.toISOString() ?? null, reason: c.reason, by: c.by, lastStatus: c.lastStatus };
}

export function showText(v: ContractView, customer?: CustomerRecord, closed?: ClosedRun | null): string {
  const status = closed ? `${closed.status.toLowerCase().replace('_', ' ')} by the server (last state: ${v.status})` : v.status;
  const lines = [
    `Contract ${v.contractId} — ${status}${v.suspension ? ` (suspended since ${v.suspension.since})` : ''}`,
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
  if (v.pendingApprovals.length)
    lines.push(
      '',
      'Waiting for a second supervisor (four eyes)',
      ...v.pendingApprovals.map((p) => `  ${p.id}  ${p.action} by ${p.requestedBy.id}, until ${p.expiresOn}`),
    );
  if (v.lapsedApprovals.length)
    lines.push(
      '',
      'Lapsed unapproved (four eyes)',
      ...v.lapsedApprovals.map((p) => `  ${p.lapsedOn}  ${p.id}  ${p.action} by ${p.requestedBy.id} (last day ${p.expiresOn})`),
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
