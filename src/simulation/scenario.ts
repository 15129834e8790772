/**
 * The scenario file of the simulator (docs/simulator.md): a contract application, the back office's and
 * the customer's events day by day, and the last day to simulate. Parsing answers with the scenario or
 * with one line per problem, naming the field (`events[3].endDate: expected a date YYYY-MM-DD`).
 *
 * The field validators are those of the commands (src/domain/validation.ts), so a file that parses here
 * sends commands the contract workflow accepts as well-formed; whether the contract *agrees* to an event
 * on its day is the workflow's answer, and a refusal is part of the outcome, not a file error.
 */
import { z } from 'zod';
import type { NewCustomerApplication, CommandName } from '../domain/validation';
import { commands, contact, contactChange, contractId, describeIssues, instant, isoDate, serviceTerms } from '../domain/validation';
import type { IsoDate } from '../domain/types';
import { bankStatementEvent } from './bank-event';
import { unknownFields } from './unknown-fields';

const versionSchema = commands.announcePriceList.shape.version;

/** Event type in the file → the contract command it becomes. */
export const EVENT_COMMANDS = {
  approve: 'approve',
  reject: 'reject',
  requestChange: 'requestChange',
  approveChange: 'approveChange',
  rejectChange: 'rejectChange',
  cancel: 'cancel',
  declineRenewal: 'declineRenewal',
  terminateForCause: 'terminateForCause',
  terminateForConvenience: 'terminateForConvenience',
  suspend: 'suspend',
  resume: 'resume',
  pay: 'pay',
  outage: 'reportOutage',
  damages: 'recogniseDamages',
  penalty: 'penalty',
  charge: 'charge',
  changeContact: 'changeContact',
  priceListChange: 'announcePriceList',
  discontinueService: 'discontinueService',
  maintenance: 'announceMaintenance',
  incident: 'recordIncident',
  opsWork: 'recordOpsWork',
} as const satisfies Record<string, Exclude<CommandName, 'closeBillingPeriod'>>;
/** A bank statement is no contract command: the back office reads it and pays from it (issue 29). */
export type EventType = keyof typeof EVENT_COMMANDS | 'bankStatement';
export const EVENT_TYPES = [...Object.keys(EVENT_COMMANDS), 'bankStatement'] as EventType[];

/** The command's own fields (without requestId and actor: the simulator asks as the system), plus `on` and `type`. */
function eventSchema<T extends EventType, S extends z.ZodRawShape & { requestId: z.ZodType; actor: z.ZodType }>(type: T, command: z.ZodObject<S>) {
  const { requestId: _requestId, actor: _actor, ...fields } = command.shape;
  return z.strictObject({ on: isoDate, type: z.literal(type), ...(fields as Omit<S, 'requestId' | 'actor'>) }, { error: unknownFields(`in a ${type} event`) });
}

const eventSchemas = {
  approve: eventSchema('approve', commands.approve),
  reject: eventSchema('reject', commands.reject),
  requestChange: eventSchema('requestChange', commands.requestChange).refine(
    (c) => c.plan !== undefined || c.components !== undefined || c.metricCapRelaxations !== undefined || c.cloudMonthlyFee !== undefined,
    { message: 'a requestChange names at least one of plan, components, metricCapRelaxations, cloudMonthlyFee' },
  ),
  approveChange: eventSchema('approveChange', commands.approveChange),
  rejectChange: eventSchema('rejectChange', commands.rejectChange),
  cancel: eventSchema('cancel', commands.cancel),
  declineRenewal: eventSchema('declineRenewal', commands.declineRenewal),
  terminateForCause: eventSchema('terminateForCause', commands.terminateForCause),
  terminateForConvenience: eventSchema('terminateForConvenience', commands.terminateForConvenience),
  suspend: eventSchema('suspend', commands.suspend),
  resume: eventSchema('resume', commands.resume),
  pay: eventSchema('pay', commands.pay.omit({ paidOn: true })), // a scenario's pay is received on its day
  outage: eventSchema('outage', commands.reportOutage).refine(
    (o) => !instant.safeParse(o.knownAt).success || Date.parse(o.restoredAt) > Date.parse(o.knownAt),
    {
      message: 'restoredAt must be after knownAt',
      path: ['restoredAt'],
    },
  ),
  damages: eventSchema('damages', commands.recogniseDamages),
  penalty: eventSchema('penalty', commands.penalty),
  charge: eventSchema('charge', commands.charge),
  // Art. 12-3: the new details go to the ledger; the contract then hears of the revision (run.ts).
  changeContact: z
    .strictObject({ on: isoDate, type: z.literal('changeContact'), ...contactChange.shape }, { error: unknownFields('in a changeContact event') })
    .refine(({ on: _on, type: _type, ...change }) => Object.values(change).some((v) => v !== undefined), {
      message: 'a changeContact names at least one of name, email, contactPerson, address, phone',
    }),
  // D-17: the version's fields at the top of the event; its id is derived from the month (PL-YYYY-MM), posted on `on`.
  priceListChange: (() => {
    const { id: _id, metricCapOptionPerComponent, ...version } = versionSchema.shape;
    return z
      .strictObject(
        { on: isoDate, type: z.literal('priceListChange'), ...version, metricCapOption: metricCapOptionPerComponent },
        { error: unknownFields('in a priceListChange event') },
      )
      .refine((e) => Object.values(e.plans).some((p) => p !== undefined) || e.metricCapOption !== undefined, {
        message: 'a priceListChange changes at least one plan or the metricCapOption',
        path: ['plans'],
      });
  })(),
  // D-18: posted on `on`.
  discontinueService: eventSchema('discontinueService', commands.discontinueService.omit({ postedOn: true })),
  // Art. 17-1-1: a scenario's maintenance is announced as planned (no emergency field).
  maintenance: z
    .strictObject(
      { on: isoDate, type: z.literal('maintenance'), from: commands.announceMaintenance.shape.from, to: commands.announceMaintenance.shape.to },
      { error: unknownFields('in a maintenance event') },
    )
    .refine((m) => !instant.safeParse(m.from).success || !instant.safeParse(m.to).success || Date.parse(m.to) > Date.parse(m.from), {
      message: 'to must be after from',
      path: ['to'],
    }),
  incident: eventSchema('incident', commands.recordIncident),
  // D-19: the work was done on the event's day.
  opsWork: eventSchema('opsWork', commands.recordOpsWork.omit({ on: true })),
  bankStatement: bankStatementEvent,
} satisfies Record<EventType, z.ZodType>;

export type ScenarioEvent = { [T in EventType]: z.output<(typeof eventSchemas)[T]> }[EventType];

const contractSchema = z
  .strictObject(
    {
      id: contractId,
      customer: contact.extend({
        // Issue 29: what the customer's transfers carry, for matching bank statement lines.
        payerKana: z
          .array(z.string().trim().min(1, { message: 'a payer name is not empty' }).max(48), { error: 'expected the payer names as a list of kana strings' })
          .max(20)
          .optional(),
        payerCode: z
          .string({ error: 'expected the 振込依頼人コード as text' })
          .regex(/^[0-9]{10}$/, { message: 'expected 10 digits' })
          .optional(),
      }),
      ...serviceTerms.shape,
    },
    {
      error: (issue) =>
        issue.code === 'invalid_type' ? 'expected the contract: an object with id, customer, plan, components' : unknownFields('in contract')(issue),
    },
  )
  .refine((c) => c.metricCapRelaxations <= c.components.length, {
    message: 'more metric-cap relaxations than components',
    path: ['metricCapRelaxations'],
  });

const fileSchema = z.strictObject(
  {
    /** Free text for the reader (what the scenario shows); not used by the simulation. */
    description: z.string({ error: 'expected a description as text' }).optional(),
    contract: contractSchema,
    appliedOn: isoDate,
    events: z.array(z.unknown(), { error: 'expected a list of events' }),
    until: isoDate,
  },
  { error: unknownFields('at the top level') },
);

export interface Scenario {
  description?: string;
  /** As the back office takes it in: the customer's contact goes to the ledger, the rest to the contract. */
  application: NewCustomerApplication;
  /** The customer's payer names and 振込依頼人コード (issue 29), for its bank statement lines. */
  payer: { names: string[]; code: string | null };
  events: ScenarioEvent[];
  until: IsoDate;
}

export type ParsedScenario = { ok: true; scenario: Scenario } | { ok: false; problems: string[] };

function parseEvent(raw: unknown, i: number): { ok: true; event: ScenarioEvent } | { ok: false; problems: string[] } {
  const where = `events[${i}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, problems: [`${where}: expected an event object with "on" and "type"`] };
  const type = (raw as { type?: unknown }).type;
  if (type === undefined) return { ok: false, problems: [`${where}.type: missing; expected one of ${EVENT_TYPES.join(', ')}`] };
  if (typeof type !== 'string' || !(EVENT_TYPES as string[]).includes(type))
    return { ok: false, problems: [`${where}.type: unknown event type ${JSON.stringify(type)}; expected one of ${EVENT_TYPES.join(', ')}`] };
  const r = eventSchemas[type as EventType].safeParse(raw);
  return r.success ? { ok: true, event: r.data as ScenarioEvent } : { ok: false, problems: firstPerField(describeIssues(r.error, where)) };
}

/** One line per field: a value that is not a date at all need not also be told it is out of range. */
function firstPerField(lines: string[]): string[] {
  const seen = new Set<string>();
  return lines.filter((line) => {
    const field = line.slice(0, line.indexOf(': '));
    if (seen.has(field)) return false;
    seen.add(field);
    return true;
  });
}

/** Validate a scenario (already parsed from JSON): the scenario, or one line per problem naming the field. */
export function parseScenario(input: unknown): ParsedScenario {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return { ok: false, problems: ['(file): expected a JSON object with contract, appliedOn, events and until'] };
  const top = fileSchema.safeParse(input);
  const problems = top.success ? [] : firstPerField(describeIssues(top.error));
  const rawEvents = (input as { events?: unknown }).events;
  const events: Array<ScenarioEvent | undefined> = [];
  if (Array.isArray(rawEvents)) {
    rawEvents.forEach((raw, i) => {
      const e = parseEvent(raw, i);
      if (e.ok) events.push(e.event);
      else {
        events.push(undefined);
        problems.push(...e.problems);
      }
    });
  }

  // The calendar of the file: every event on or after appliedOn, in date order, on or before until
  // (checked on every event whose day is a date, even when another of its fields is wrong).
  const okDate = (v: unknown): v is IsoDate => isoDate.safeParse(v).success;
  const { appliedOn, until } = input as { appliedOn?: unknown; until?: unknown };
  if (okDate(appliedOn) && okDate(until) && until < appliedOn) problems.push(`until: ${until} is before appliedOn ${appliedOn}`);
  let previous: { on: IsoDate; i: number } | undefined;
  (Array.isArray(rawEvents) ? rawEvents : []).forEach((raw, i) => {
    const on = (raw as { on?: unknown } | null)?.on;
    if (!okDate(on)) return;
    if (okDate(appliedOn) && on < appliedOn) problems.push(`events[${i}].on: ${on} is before appliedOn ${appliedOn}`);
    if (okDate(until) && on > until) problems.push(`events[${i}].on: ${on} is after until ${until}`);
    if (previous && on < previous.on) problems.push(`events[${i}].on: ${on} is before events[${previous.i}].on ${previous.on} (events must be in date order)`);
    previous = { on, i };
  });

  if (problems.length > 0 || !top.success) return { ok: false, problems };
  const { contract: c, appliedOn: a, until: u, description } = top.data;
  return {
    ok: true,
    scenario: {
      ...(description !== undefined ? { description } : {}),
      application: {
        contractId: c.id,
        customer: contactOf(c.customer),
        terms: { plan: c.plan, components: c.components, metricCapRelaxations: c.metricCapRelaxations, cloudMonthlyFee: c.cloudMonthlyFee },
        appliedOn: a,
      },
      payer: { names: c.customer.payerKana ?? [], code: c.customer.payerCode ?? null },
      events: events as ScenarioEvent[],
      until: u,
    },
  };
}

/** The contact as the ledger keeps it, without what only matching reads. */
function contactOf(customer: { payerKana?: string[]; payerCode?: string } & NewCustomerApplication['customer']): NewCustomerApplication['customer'] {
  const { payerKana: _names, payerCode: _code, ...contact } = customer;
  return contact;
}

/** Parse the text of a scenario file (JSON). */
export function parseScenarioText(text: string): ParsedScenario {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, problems: [`(file): not valid JSON: ${(err as Error).message}`] };
  }
  return parseScenario(json);
}

/** The command input of an event (requestId added by the runner). */
export function commandOf(event: Exclude<ScenarioEvent, { type: 'bankStatement' }>): {
  name: Exclude<CommandName, 'closeBillingPeriod'>;
  input: Record<string, unknown>;
} {
  const { on, type, ...fields } = event;
  switch (event.type) {
    case 'priceListChange': {
      const { effectiveMonth, plans, metricCapOption } = event;
      // D-17: one version per month, so the month names it.
      const version = {
        id: `PL-${effectiveMonth}`,
        effectiveMonth,
        plans,
        ...(metricCapOption !== undefined ? { metricCapOptionPerComponent: metricCapOption } : {}),
      };
      return { name: 'announcePriceList', input: { version } };
    }
    case 'discontinueService':
      return { name: 'discontinueService', input: { ...fields, postedOn: on } };
    case 'opsWork':
      return { name: 'recordOpsWork', input: { ...fields, on } };
    default:
      return { name: EVENT_COMMANDS[type], input: fields };
  }
}
