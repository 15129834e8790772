/**
 * zod schemas for a contract application and every back-office command. Messages are for a clerk:
 * the field, the value and the reason, with the Japanese term where it helps.
 */
import { z } from 'zod';
import { CALENDAR_RANGE, isIsoDate, isYearMonth } from './calendar';
import { OS_KINDS, PLAN_IDS } from './types';
import { CONTROL_CHARACTER, LINE_BREAK_OR_TAB } from './parse';
import { priceListVersionSchema } from './price-list-schema';
import { ACTOR_ROLES, FOUR_EYES_ACTIONS, VIAS } from './roles';

const MAX_YEN = 1_000_000_000_000; // 1 trillion yen: far above any contract, far below float precision limits
/** D-29: one payment is at most 1 billion yen (years of the largest contract); a larger transfer is keyed as several. */
export const MAX_PAYMENT_YEN = 1_000_000_000;

/**
 * Builds every schema. This module builds them once for the CLI, the simulator and the tests (the exports
 * below); the contract workflows build their own copy, shared by all workflows of a worker thread
 * (src/workflows/contract/schemas.ts says why it is a copy).
 */
export function buildSchemas() {
  const isoDate = z
    .string({ error: 'expected a date YYYY-MM-DD' })
    .refine(isIsoDate, { message: 'expected a date YYYY-MM-DD that exists on the calendar' })
    .refine((d) => d >= CALENDAR_RANGE.first && d <= CALENDAR_RANGE.last, {
      message: `expected a date between ${CALENDAR_RANGE.first} and ${CALENDAR_RANGE.last} (the years the holiday calendar covers)`,
    });
  const yearMonth = z.string({ error: 'expected a month YYYY-MM' }).refine(isYearMonth, { message: 'expected a month YYYY-MM' });
  const instant = z.iso.datetime({ offset: true, message: 'expected an instant in ISO 8601 with an offset, e.g. 2026-05-01T09:00:00+09:00' });

  const wholeYen = (what: string) =>
    z
      .number({ error: `expected ${what} in whole yen (a number)` })
      .int({ message: `expected ${what} in whole yen, without fractions` })
      .max(MAX_YEN, { message: `${what} is implausibly large` });
  const yenAtLeastZero = (what: string) => wholeYen(what).min(0, { message: `${what} cannot be negative` });
  const yenPositive = (what: string) => wholeYen(what).min(1, { message: `${what} must be at least 1 yen` });

  // A copy of zod's own pattern, not the pattern itself: the workflows' copy of these schemas is shared
  // and zod's module-level patterns are frozen with it, while a format check resets `lastIndex`.
  const email = () => z.email({ pattern: new RegExp(z.regexes.email), message: 'expected an e-mail address' }).max(254);
  // Text a person typed: no control character (NUL included) in any field, no line break or tab in a one-line
  // field — each would end up in a mail header, a CSV export or an audit row as something else.
  const text = (what: string, max: number, lines: 'one' | 'many' = 'one') =>
    z
      .string({ error: `expected ${what} as text` })
      .trim()
      .min(1, { message: `${what} is empty` })
      .max(max, { message: `${what} is longer than ${max} characters` })
      .refine((s) => !CONTROL_CHARACTER.test(s), { message: `${what} contains a control character` })
      .refine((s) => lines === 'many' || !LINE_BREAK_OR_TAB.test(s), { message: `${what} must be one line (no line break or tab)` });

  const contractId = z
    .string({ error: 'expected a contract id' })
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, { message: 'a contract id is 1–64 letters, digits, - or _ (no personal data: it is visible to operators)' });
  const plan = z.enum(PLAN_IDS, { error: `expected a plan: ${PLAN_IDS.join(', ')}` });
  const component = z.object({ os: z.enum(OS_KINDS, { error: `expected os: ${OS_KINDS.join(' or ')}` }) }).strict();
  const components = z.array(component).min(1, { message: 'at least one component (one VM) is required' }).max(10_000);
  const customerId = z
    .string({ error: 'expected a customer id' })
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, { message: 'a customer id is 1–64 letters, digits, - or _' });
  const phone = z
    .string({ error: 'expected the phone number as text' })
    .trim()
    .regex(/^\+?[0-9][0-9 ()-]{5,24}$/, { message: 'expected a phone number: digits, spaces, - ( ) and an optional leading +' });
  /** Art. 12-3: the customer's contact details — personal data, kept in the ledger only (never in Temporal). */
  const contactFields = {
    name: text('the customer name (契約者名)', 200),
    email: email(),
    contactPerson: text('the contact person (担当者)', 200).optional(),
    address: text('the address (住所)', 500).optional(),
    phone: phone.optional(),
  };
  const contact = z.object(contactFields, { error: 'expected the customer as { name, email, contactPerson?, address?, phone? } (契約者)' }).strict();
  /** Art. 12-3: a change names the fields that changed; the rest stay as they are. */
  const contactChange = z
    .object(
      {
        name: contactFields.name.optional(),
        email: contactFields.email.optional(),
        contactPerson: contactFields.contactPerson,
        address: contactFields.address,
        phone: contactFields.phone,
      },
      { error: 'expected the changed contact fields { name?, email?, contactPerson?, address?, phone? }' },
    )
    .strict()
    .refine((c) => Object.values(c).some((v) => v !== undefined), {
      message: 'a contact change names at least one of name, email, contactPerson, address, phone',
    });
  const count = (what: string) =>
    z
      .number({ error: `expected ${what} as a number` })
      .int({ message: `${what} must be a whole number` })
      .min(0, { message: `${what} cannot be negative` })
      .max(10_000);

  const serviceTerms = z
    .object({
      plan,
      components,
      metricCapRelaxations: count('metricCapRelaxations').default(0),
      cloudMonthlyFee: yenAtLeastZero('the cloud resource fee').default(0),
    })
    .strict()
    .refine((t) => t.metricCapRelaxations <= t.components.length, {
      message: 'more metric-cap relaxations than components',
      path: ['metricCapRelaxations'],
    });

  /** 申込 (Art. 7) as the contract receives it: the customer by id only; the price lists announced before it (D-21). */
  const application = z
    .object({
      contractId,
      customerId,
      terms: serviceTerms,
      appliedOn: isoDate,
      priceLists: z.array(priceListVersionSchema(yenAtLeastZero, yearMonth)).max(600).optional(),
    })
    .strict();
  /**
   * 申込 (Art. 7) as the back office takes it in: a new customer's contact goes to the ledger, or an existing
   * customer is named by its id (D-32: a customer holds any number of contracts); the rest to the contract.
   */
  const applicationForm = z
    .object({
      contractId,
      customer: contact.optional(),
      customerId: customerId.optional(),
      terms: serviceTerms,
      appliedOn: isoDate,
    })
    .strict()
    .refine((f) => (f.customer === undefined) !== (f.customerId === undefined), {
      path: ['customer'],
      message: 'name the customer: a new one with its details (customer), or an existing one by its id (customerId), not both',
    });

  const requestId = z
    .string({ error: 'expected a request id' })
    .min(1)
    .max(128)
    .refine((s) => !CONTROL_CHARACTER.test(s) && !LINE_BREAK_OR_TAB.test(s), { message: 'a request id contains a control character' });
  /** Who asks (docs/architecture.md, one command's path): a person's or an ops identity's id, the role, the way in. */
  const actor = z
    .object(
      {
        id: z
          .string({ error: 'expected the actor id' })
          .regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/, { message: 'an actor id is 1–128 letters, digits, . _ : @ -' }),
        role: z.enum(ACTOR_ROLES, { error: `expected a role: ${ACTOR_ROLES.join(', ')}` }),
        via: z.enum(VIAS, { error: `expected via: ${VIAS.join(', ')}` }),
      },
      { error: 'expected the actor { id, role, via } (who asks)' },
    )
    .strict();
  const cmd = <T extends z.ZodRawShape>(shape: T) => z.object({ requestId, actor, ...shape }).strict();
  const reason = text('the reason', 500, 'many');

  const priceListVersion = priceListVersionSchema(yenAtLeastZero, yearMonth);
  /** D-19: hours of ops work in quarter hours (0.25, 0.5, …). */
  const hours = z
    .number({ error: 'expected the hours as a number' })
    .positive({ message: 'the hours must be more than 0' })
    .max(24, { message: 'at most 24 hours on one day' })
    .refine((h) => Number.isInteger(h * 4), { message: 'the hours are counted in quarter hours (0.25 steps)' });

  /** Every back-office command; each carries a request id so a repeat has no second effect, and its actor. */
  const commands = {
    approve: cmd({ startDate: isoDate }),
    reject: cmd({ internalReason: text('the internal reason', 500, 'many').optional() }),
    requestChange: cmd({
      plan: plan.optional(),
      components: components.optional(),
      metricCapRelaxations: count('metricCapRelaxations').optional(),
      cloudMonthlyFee: yenAtLeastZero('the cloud resource fee').optional(),
    }).refine((c) => c.plan !== undefined || c.components !== undefined || c.metricCapRelaxations !== undefined || c.cloudMonthlyFee !== undefined, {
      message: 'a change request names at least one of plan, components, metricCapRelaxations, cloudMonthlyFee',
    }),
    approveChange: cmd({ effectiveMonth: yearMonth.optional() }),
    rejectChange: cmd({ internalReason: text('the internal reason', 500, 'many').optional() }),
    cancel: cmd({ endDate: isoDate }),
    declineRenewal: cmd({ by: z.enum(['customer', 'provider'], { error: 'expected by: customer or provider' }) }),
    terminateForCause: cmd({ internalReason: text('the internal reason', 500, 'many').optional() }),
    terminateForConvenience: cmd({ endDate: isoDate }),
    suspend: cmd({ internalReason: text('the internal reason', 500, 'many').optional() }),
    resume: cmd({}),
    /** paidOn: the day the money was received (the bank statement's), default today. */
    pay: cmd({
      amount: yenPositive('the payment').max(MAX_PAYMENT_YEN, {
        message: `the payment is more than ${MAX_PAYMENT_YEN.toLocaleString('en-US')} yen; record a larger transfer as several payments (D-29)`,
      }),
      paidOn: isoDate.optional(),
    }),
    /** A payment taken back (a bounced transfer, a slip); always four eyes. */
    reversePayment: cmd({ paymentRequestId: requestId, reason }),
    reportOutage: cmd({
      scope: z.enum(['cloud', 'managed'], { error: 'expected scope: cloud or managed' }),
      knownAt: instant,
      restoredAt: instant,
      grossNegligence: z.boolean().default(false),
    }).refine((o) => Date.parse(o.restoredAt) > Date.parse(o.knownAt), { message: 'restoredAt must be after knownAt', path: ['restoredAt'] }),
    recogniseDamages: cmd({ occurredOn: isoDate, amount: yenPositive('the damages') }),
    penalty: cmd({ evadedAmount: yenPositive('the evaded amount') }),
    charge: cmd({
      description: text('the description', 200),
      amount: wholeYen('the amount').refine((a) => a !== 0, { message: 'the amount cannot be zero' }),
      taxable: z.boolean({ error: 'expected taxable: true or false' }),
    }),
    /** Art. 12-3: the ledger has the new contact; the contract learns only its revision (no personal data). */
    changeContact: cmd({
      contactRevision: z
        .number({ error: 'expected the contact revision the ledger answered (a number)' })
        .int({ message: 'the contact revision is a whole number' })
        .min(2, { message: 'the contact revision of a change is at least 2 (1 is the application)' }),
    }),
    closeBillingPeriod: cmd({ period: yearMonth }),
    /** Art. 4, D-17: a new price-list version, announced before its effective month. */
    announcePriceList: cmd({ version: priceListVersion }),
    /** Art. 5, D-18: the whole service ends on endDate; posted on the website on postedOn. */
    discontinueService: cmd({ postedOn: isoDate, endDate: isoDate, emergency: z.boolean({ error: 'expected emergency: true or false' }).default(false) }),
    /** Art. 17-1-1: a maintenance window, announced before it starts (an emergency may be late). */
    announceMaintenance: cmd({ from: instant, to: instant, emergency: z.boolean({ error: 'expected emergency: true or false' }).default(false) }).refine(
      (m) => Date.parse(m.to) > Date.parse(m.from),
      { message: 'to must be after from', path: ['to'] },
    ),
    /** Appendix 2 notes, D-19: one incident response (障害対応), at the moment it began. */
    recordIncident: cmd({ at: instant }),
    /** Appendix 2 notes, D-19: ops-on-behalf (運用代行) done on a day. */
    recordOpsWork: cmd({ on: isoDate, hours }),
    /** Ops: carry out again the effects an activity refused (after the data or the outside system was fixed). */
    retryFailedEffects: cmd({}),
    /** Four eyes: a supervisor asks for a step a second supervisor must approve; `input` is that command's. */
    requestApproval: cmd({
      action: z.enum(FOUR_EYES_ACTIONS, { error: `expected an action that needs four eyes: ${FOUR_EYES_ACTIONS.join(', ')}` }),
      input: z.record(z.string(), z.unknown(), { error: 'expected the input of the action (an object)' }),
      reason,
    }),
    approveRequest: cmd({ approvalOf: requestId }),
    withdrawRequest: cmd({ approvalOf: requestId, reason }),
  };
  /** The input of a four-eyes action, checked by the action's own schema (no request id or actor of its own). */
  const fourEyesInput = Object.fromEntries(
    FOUR_EYES_ACTIONS.map((a) => [a, (commands[a] as unknown as z.ZodObject<z.ZodRawShape>).omit({ requestId: true, actor: true })]),
  ) as unknown as { [A in (typeof FOUR_EYES_ACTIONS)[number]]: z.ZodType<Omit<z.output<(typeof commands)[A]>, 'requestId' | 'actor'>> };
  const requestApproval = commands.requestApproval.superRefine((c, ctx) => {
    const r = fourEyesInput[c.action].safeParse(c.input);
    if (!r.success) for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', path: ['input', ...issue.path.map(String)], message: issue.message });
  });
  Object.assign(commands, { requestApproval });

  return {
    isoDate,
    yearMonth,
    instant,
    contractId,
    customerId,
    plan,
    component,
    components,
    contact,
    contactChange,
    serviceTerms,
    application,
    applicationForm,
    actor,
    commands,
    fourEyesInput,
  };
}

export const {
  isoDate,
  yearMonth,
  instant,
  contractId,
  customerId,
  plan,
  component,
  components,
  contact,
  contactChange,
  serviceTerms,
  application,
  applicationForm,
  actor,
  commands,
  fourEyesInput,
} = buildSchemas();
export type Application = z.infer<typeof application>;
export type ApplicationForm = z.infer<typeof applicationForm>;
/** An application of a new customer, with its details (the simulator's, the tests'). */
export type NewCustomerApplication = Omit<ApplicationForm, 'customer' | 'customerId'> & { customer: NonNullable<ApplicationForm['customer']> };
export type ContactChange = z.infer<typeof contactChange>;
export type CommandName = keyof typeof commands;
export type CommandInput<N extends CommandName> = z.input<(typeof commands)[N]>;
export type Command<N extends CommandName> = z.output<(typeof commands)[N]>;
export const COMMAND_NAMES = Object.keys(commands) as CommandName[];

export { describeIssues, hoursText, parseWith, type Parsed } from './parse';
