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
import { perLang, type Lang, type Words } from './messages/lang';
import { SUBJECT, V, type Subject } from './messages/validation';

const MAX_YEN = 1_000_000_000_000; // 1 trillion yen: far above any contract, far below float precision limits
/** D-29: one payment is at most 1 billion yen (years of the largest contract); a larger transfer is keyed as several. */
export const MAX_PAYMENT_YEN = 1_000_000_000;

/**
 * Builds every schema, its messages in `lang` (src/domain/messages/validation.ts). This module builds them
 * once in English for the CLI, the simulator and the tests (the exports below), and once more in Japanese
 * when the console first asks (`schemasIn`); the contract workflows build their own English copy, shared by
 * all workflows of a worker thread (src/workflows/contract/schemas.ts says why it is a copy).
 */
export function buildSchemas(lang: Lang = 'en') {
  const m = (w: Words) => w[lang];
  const the = (what: Subject | Words) => (typeof what === 'string' ? SUBJECT[what] : what);
  const isoDate = z
    .string({ error: m(V.date()) })
    .refine(isIsoDate, { message: m(V.dateOnCalendar()) })
    .refine((d) => d >= CALENDAR_RANGE.first && d <= CALENDAR_RANGE.last, {
      message: m(V.dateInRange(CALENDAR_RANGE.first, CALENDAR_RANGE.last)),
    });
  const yearMonth = z.string({ error: m(V.month()) }).refine(isYearMonth, { message: m(V.month()) });
  const instant = z.iso.datetime({ offset: true, message: m(V.instant()) });

  const wholeYen = (what: Subject | Words) =>
    z
      .number({ error: m(V.yen(the(what))) })
      .int({ message: m(V.wholeYen(the(what))) })
      .max(MAX_YEN, { message: m(V.implausible(the(what))) });
  const yenAtLeastZero = (what: Subject | Words) => wholeYen(what).min(0, { message: m(V.negative(the(what))) });
  const yenPositive = (what: Subject | Words) => wholeYen(what).min(1, { message: m(V.atLeastOneYen(the(what))) });

  // A copy of zod's own pattern, not the pattern itself: the workflows' copy of these schemas is shared
  // and zod's module-level patterns are frozen with it, while a format check resets `lastIndex`.
  const email = () => z.email({ pattern: new RegExp(z.regexes.email), message: m(V.email()) }).max(254);
  // Text a person typed: no control character (NUL included) in any field, no line break or tab in a one-line
  // field — each would end up in a mail header, a CSV export or an audit row as something else.
  const text = (what: Subject, max: number, lines: 'one' | 'many' = 'one') =>
    z
      .string({ error: (iss) => m((iss.input === undefined ? V.textMissing : V.textType)(the(what))) })
      .trim()
      .min(1, { message: m(V.empty(the(what))) })
      .max(max, { message: m(V.tooLong(the(what), max)) })
      .refine((s) => !CONTROL_CHARACTER.test(s), { message: m(V.control(the(what))) })
      .refine((s) => lines === 'many' || !LINE_BREAK_OR_TAB.test(s), { message: m(V.oneLine(the(what))) });

  const contractId = z.string({ error: m(V.contractIdType()) }).regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, { message: m(V.contractId()) });
  const plan = z.enum(PLAN_IDS, { error: m(V.oneOf('a plan', PLAN_IDS)) });
  const component = z.object({ os: z.enum(OS_KINDS, { error: m(V.oneOf('os', OS_KINDS, ' or ')) }) }).strict();
  const components = z
    .array(component)
    .min(1, { message: m(V.atLeastOneComponent()) })
    .max(10_000);
  const customerId = z.string({ error: m(V.customerIdType()) }).regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, { message: m(V.customerId()) });
  const phone = z
    .string({ error: m(V.phoneType()) })
    .trim()
    .regex(/^\+?[0-9][0-9 ()-]{5,24}$/, { message: m(V.phone()) });
  /** Art. 12-3: the customer's contact details — personal data, kept in the ledger only (never in Temporal). */
  const contactFields = {
    name: text('customerName', 200),
    email: email(),
    contactPerson: text('contactPerson', 200).optional(),
    address: text('address', 500).optional(),
    phone: phone.optional(),
  };
  const contact = z.object(contactFields, { error: m(V.contact()) }).strict();
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
      { error: m(V.contactChangeType()) },
    )
    .strict()
    .refine((c) => Object.values(c).some((v) => v !== undefined), {
      message: m(V.contactChangeEmpty()),
    });
  const count = (what: Subject) =>
    z
      .number({ error: m(V.countType(the(what))) })
      .int({ message: m(V.whole(the(what))) })
      .min(0, { message: m(V.negative(the(what))) })
      .max(10_000);

  // The price lists' own words stay English in both languages (the CLI and the API announce them, not the console's forms).
  const priceListVersion = priceListVersionSchema((what: string) => yenAtLeastZero({ ja: what, en: what }), yearMonth);
  const serviceTerms = z
    .object({
      plan,
      components,
      metricCapRelaxations: count('metricCapRelaxations').default(0),
      cloudMonthlyFee: yenAtLeastZero('cloudMonthlyFee').default(0),
    })
    .strict()
    .refine((t) => t.metricCapRelaxations <= t.components.length, {
      message: m(V.moreRelaxationsThanComponents()),
      path: ['metricCapRelaxations'],
    });

  /** 申込 (Art. 7) as the contract receives it: the customer by id only; the price lists announced before it (D-21). */
  const application = z
    .object({
      contractId,
      customerId,
      terms: serviceTerms,
      appliedOn: isoDate,
      priceLists: z.array(priceListVersion).max(600).optional(),
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
      message: m(V.oneCustomer()),
    });

  const requestId = z
    .string({ error: m(V.requestIdType()) })
    .min(1)
    .max(128)
    .refine((s) => !CONTROL_CHARACTER.test(s) && !LINE_BREAK_OR_TAB.test(s), { message: m(V.requestIdControl()) });
  /** Who asks (docs/architecture.md, one command's path): a person's or an ops identity's id, the role, the way in. */
  const actor = z
    .object(
      {
        id: z.string({ error: m(V.actorIdType()) }).regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/, { message: m(V.actorId()) }),
        role: z.enum(ACTOR_ROLES, { error: m(V.oneOf('a role', ACTOR_ROLES)) }),
        via: z.enum(VIAS, { error: m(V.oneOf('via', VIAS)) }),
      },
      { error: m(V.actorType()) },
    )
    .strict();
  const cmd = <T extends z.ZodRawShape>(shape: T) => z.object({ requestId, actor, ...shape }).strict();
  const reason = text('reason', 500, 'many');

  /** D-19: hours of ops work in quarter hours (0.25, 0.5, …). */
  const hours = z
    .number({ error: m(V.hoursType()) })
    .positive({ message: m(V.hoursPositive()) })
    .max(24, { message: m(V.hoursMax()) })
    .refine((h) => Number.isInteger(h * 4), { message: m(V.hoursQuarter()) });

  /** Every back-office command; each carries a request id so a repeat has no second effect, and its actor. */
  const commands = {
    approve: cmd({ startDate: isoDate }),
    reject: cmd({ internalReason: text('internalReason', 500, 'many').optional() }),
    requestChange: cmd({
      plan: plan.optional(),
      components: components.optional(),
      metricCapRelaxations: count('metricCapRelaxations').optional(),
      cloudMonthlyFee: yenAtLeastZero('cloudMonthlyFee').optional(),
    }).refine((c) => c.plan !== undefined || c.components !== undefined || c.metricCapRelaxations !== undefined || c.cloudMonthlyFee !== undefined, {
      message: m(V.changeEmpty()),
    }),
    approveChange: cmd({ effectiveMonth: yearMonth.optional() }),
    rejectChange: cmd({ internalReason: text('internalReason', 500, 'many').optional() }),
    cancel: cmd({ endDate: isoDate }),
    declineRenewal: cmd({ by: z.enum(['customer', 'provider'], { error: m(V.oneOf('by', ['customer', 'provider'], ' or ')) }) }),
    terminateForCause: cmd({ internalReason: text('internalReason', 500, 'many').optional() }),
    terminateForConvenience: cmd({ endDate: isoDate }),
    suspend: cmd({ internalReason: text('internalReason', 500, 'many').optional() }),
    resume: cmd({}),
    /** paidOn: the day the money was received (the bank statement's), default today. */
    pay: cmd({
      amount: yenPositive('payment').max(MAX_PAYMENT_YEN, { message: m(V.paymentTooLarge(MAX_PAYMENT_YEN)) }),
      paidOn: isoDate.optional(),
    }),
    /** A payment taken back (a bounced transfer, a slip); always four eyes. */
    reversePayment: cmd({ paymentRequestId: requestId, reason }),
    reportOutage: cmd({
      scope: z.enum(['cloud', 'managed'], { error: m(V.oneOf('scope', ['cloud', 'managed'], ' or ')) }),
      knownAt: instant,
      restoredAt: instant,
      grossNegligence: z.boolean().default(false),
    }).refine((o) => Date.parse(o.restoredAt) > Date.parse(o.knownAt), { message: m(V.restoredAfterKnown()), path: ['restoredAt'] }),
    recogniseDamages: cmd({ occurredOn: isoDate, amount: yenPositive('damages') }),
    penalty: cmd({ evadedAmount: yenPositive('evadedAmount') }),
    charge: cmd({
      description: text('description', 200),
      amount: wholeYen('amount').refine((a) => a !== 0, { message: m(V.amountZero()) }),
      taxable: z.boolean({ error: m(V.boolean('taxable')) }),
    }),
    /** Art. 12-3: the ledger has the new contact; the contract learns only its revision (no personal data). */
    changeContact: cmd({
      contactRevision: z
        .number({ error: m(V.revisionType()) })
        .int({ message: m(V.revisionWhole()) })
        .min(2, { message: m(V.revisionMin()) }),
    }),
    closeBillingPeriod: cmd({ period: yearMonth }),
    /** Art. 4, D-17: a new price-list version, announced before its effective month. */
    announcePriceList: cmd({ version: priceListVersion }),
    /** Art. 5, D-18: the whole service ends on endDate; posted on the website on postedOn. */
    discontinueService: cmd({ postedOn: isoDate, endDate: isoDate, emergency: z.boolean({ error: m(V.boolean('emergency')) }).default(false) }),
    /** Art. 17-1-1: a maintenance window, announced before it starts (an emergency may be late). */
    announceMaintenance: cmd({ from: instant, to: instant, emergency: z.boolean({ error: m(V.boolean('emergency')) }).default(false) }).refine(
      (m) => Date.parse(m.to) > Date.parse(m.from),
      { message: m(V.toAfterFrom()), path: ['to'] },
    ),
    /** Appendix 2 notes, D-19: one incident response (障害対応), at the moment it began. */
    recordIncident: cmd({ at: instant }),
    /** Appendix 2 notes, D-19: ops-on-behalf (運用代行) done on a day. */
    recordOpsWork: cmd({ on: isoDate, hours }),
    /** Ops: carry out again the effects an activity refused (after the data or the outside system was fixed). */
    retryFailedEffects: cmd({}),
    /** Four eyes: a supervisor asks for a step a second supervisor must approve; `input` is that command's. */
    requestApproval: cmd({
      action: z.enum(FOUR_EYES_ACTIONS, { error: m(V.oneOf('an action that needs four eyes', FOUR_EYES_ACTIONS)) }),
      input: z.record(z.string(), z.unknown(), { error: m(V.fourEyesInput()) }),
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

export type Schemas = ReturnType<typeof buildSchemas>;
/** The schemas whose messages are in `lang`: English as exported below; Japanese built on first use (the console's). */
export const schemasIn: (lang: Lang) => Schemas = perLang(buildSchemas);
const english = schemasIn('en');

export const { isoDate, yearMonth, instant, contractId, customerId, plan, component, components } = english;
export const { contact, contactChange, serviceTerms, application, applicationForm, actor, commands, fourEyesInput } = english;
export type Application = z.infer<typeof application>;
export type ApplicationForm = z.infer<typeof applicationForm>;
/** An application of a new customer, with its details (the simulator's, the tests'). */
export type NewCustomerApplication = Omit<ApplicationForm, 'customer' | 'customerId'> & { customer: NonNullable<ApplicationForm['customer']> };
export type ContactChange = z.infer<typeof contactChange>;
export type CommandName = keyof typeof commands;
export type CommandInput<N extends CommandName> = z.input<(typeof commands)[N]>;
export type Command<N extends CommandName> = z.output<(typeof commands)[N]>;
export const COMMAND_NAMES = Object.keys(commands) as CommandName[];

export { describeIssues, hoursText, parseWith, problemLine, type Parsed } from './parse';
