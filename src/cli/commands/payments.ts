/**
 * The commands that move money on a contract — payments and their reversal, outage credits, damages,
 * penalties, charges — and the four-eyes requests (approve, withdraw) the larger ones become.
 */
import { articleOf, RULE } from '../../domain/rules';
import { UsageError, yenArg, type CommandSpec } from '../command';
import { fourEyesReason, updateCommand } from './send';

export const paymentCommands: CommandSpec[] = [
  updateCommand({
    name: 'pay',
    command: 'pay',
    summary: `Record a payment received (${RULE.billingAndPayment}): the oldest due invoice first; late damages where late, to the day received (${articleOf(RULE.lateDamages)}).`,
    options: {
      amount: { type: 'string', value: 'YEN', help: 'the amount received, whole yen (84700, 84,700, ８４，７００ or 84,700円)' },
      'received-on': {
        type: 'string',
        value: 'YYYY-MM-DD',
        help: 'the day the money was received (the bank statement’s); default today, at most 31 days back',
      },
      'same-amount-ok': { type: 'boolean', help: 'record it although a payment of the same amount came within 7 days (it is another payment)' },
    },
    required: [['amount', 'YEN']],
    fields: { amount: '--amount', paidOn: '--received-on' },
    input: (v) => ({ amount: yenArg(v.amount), paidOn: v['received-on'] }),
    // The same amount within 7 days: the same transfer keyed twice? The back office asks; --same-amount-ok answers.
    extra: (v) => ({ sameAmountOk: v['same-amount-ok'] === true }),
    notes: ['The request id is the payment id in the ledger: repeat with the same --request-id, never a new one, to retry.'],
  }),
  updateCommand({
    name: 'reverse-payment',
    command: 'reversePayment',
    summary: `Take a payment back (a bounced transfer, a slip): what it settled is owed again (${RULE.paymentOrder}). Four eyes: asked for here, approved by a second supervisor.`,
    options: {
      payment: { type: 'string', value: 'REQUEST-ID', help: 'the request id the payment was recorded with (its payment id in the ledger)' },
      reason: { type: 'string', value: 'TEXT', help: 'why it is taken back (kept in the contract and the ledger)' },
    },
    required: [
      ['payment', 'REQUEST-ID'],
      ['reason', 'TEXT'],
    ],
    fields: { paymentRequestId: '--payment', reason: '--reason' },
    input: (v) => ({ paymentRequestId: v.payment, reason: v.reason }),
  }),
  updateCommand({
    name: 'outage',
    command: 'reportOutage',
    summary: `Report an outage (${articleOf(RULE.outageCredit)}): the credit, if any, goes on the next invoice.`,
    options: {
      scope: { type: 'string', value: 'SCOPE', help: 'cloud or managed' },
      'known-at': { type: 'string', value: 'INSTANT', help: 'when the provider knew of it, e.g. 2026-05-01T09:00:00+09:00' },
      'restored-at': { type: 'string', value: 'INSTANT', help: 'when it was restored' },
      'gross-negligence': { type: 'boolean', help: "the outage was the provider's gross negligence" },
    },
    required: [
      ['scope', 'cloud|managed'],
      ['known-at', 'INSTANT'],
      ['restored-at', 'INSTANT'],
    ],
    fields: { scope: '--scope', knownAt: '--known-at', restoredAt: '--restored-at', grossNegligence: '--gross-negligence' },
    input: (v) => ({ scope: v.scope, knownAt: v['known-at'], restoredAt: v['restored-at'], grossNegligence: v['gross-negligence'] === true }),
  }),
  updateCommand({
    name: 'damages',
    command: 'recogniseDamages',
    summary: `Recognise damages the customer claimed (${RULE.damagesReduction}): a reduction on a later invoice, capped at the monthly fee.`,
    options: {
      'occurred-on': { type: 'string', value: 'YYYY-MM-DD', help: 'the day the damage occurred' },
      amount: { type: 'string', value: 'YEN', help: 'the damages recognised, whole yen' },
      reason: fourEyesReason,
    },
    required: [
      ['occurred-on', 'YYYY-MM-DD'],
      ['amount', 'YEN'],
    ],
    fields: { occurredOn: '--occurred-on', amount: '--amount' },
    input: (v) => ({ occurredOn: v['occurred-on'], amount: yenArg(v.amount) }),
  }),
  updateCommand({
    name: 'penalty',
    command: 'penalty',
    summary: `Charge the penalty for evaded fees (${RULE.penalty}): the evaded amount plus twice it, and tax, on the next invoice.`,
    options: { 'evaded-amount': { type: 'string', value: 'YEN', help: 'the fees the customer evaded, whole yen' }, reason: fourEyesReason },
    required: [['evaded-amount', 'YEN']],
    fields: { evadedAmount: '--evaded-amount' },
    input: (v) => ({ evadedAmount: yenArg(v['evaded-amount']) }),
  }),
  updateCommand({
    name: 'charge',
    command: 'charge',
    summary: 'Put an extra charge (or, negative, a credit) on the next invoice.',
    options: {
      description: { type: 'string', value: 'TEXT', help: 'what it is for, as the invoice shows it' },
      amount: { type: 'string', value: 'YEN', help: 'whole yen before tax; negative for a credit' },
      taxable: { type: 'boolean', help: 'subject to consumption tax' },
      'non-taxable': { type: 'boolean', help: 'outside the scope of consumption tax (不課税)' },
      reason: fourEyesReason,
    },
    required: [
      ['description', 'TEXT'],
      ['amount', 'YEN'],
    ],
    fields: { description: '--description', amount: '--amount', taxable: '--taxable/--non-taxable' },
    input: (v) => {
      if (v.taxable === true && v['non-taxable'] === true) throw new UsageError('give only one of --taxable or --non-taxable');
      return { description: v.description, amount: yenArg(v.amount), taxable: v.taxable === true ? true : v['non-taxable'] === true ? false : undefined };
    },
  }),
  updateCommand({
    name: 'approve-request',
    command: 'approveRequest',
    summary: 'Approve a step another supervisor asked for (four eyes): it is carried out now, as they asked.',
    options: { request: { type: 'string', value: 'ID', help: 'the request id the asking supervisor was given' } },
    required: [['request', 'ID']],
    fields: { approvalOf: '--request' },
    input: (v) => ({ approvalOf: v.request }),
  }),
  updateCommand({
    name: 'withdraw-request',
    command: 'withdrawRequest',
    summary: 'Withdraw a step waiting for a second supervisor (four eyes), with the reason.',
    options: { request: { type: 'string', value: 'ID', help: 'the request id' }, reason: { type: 'string', value: 'TEXT', help: 'why it is withdrawn' } },
    required: [
      ['request', 'ID'],
      ['reason', 'TEXT'],
    ],
    fields: { approvalOf: '--request', reason: '--reason' },
    input: (v) => ({ approvalOf: v.request, reason: v.reason }),
  }),
];
