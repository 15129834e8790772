/**
 * What the provider does to every contract at once (Art. 4, 5, 17): one of the contract commands
 * announcePriceList, discontinueService, announceMaintenance, sent by a bulk run to each contract it
 * reaches with the business key `<command>:<contract>:<key>`, so a repeated or resumed run changes nothing
 * twice. Each contract decides for itself (src/domain/contract/provider.ts); this module says which
 * contracts an action reaches and refuses an action that no contract could accept, before anything starts.
 * Pure.
 */
import { SYSTEM_ACTORS } from './actor';
import { firstDayOf, jstDateOf } from './calendar';
import { fromVerdict, refuse, type Refusal } from './contract/refusals';
import { discontinuationVerdict } from './lifecycle';
import { RULE } from './rules';
import type { ContractStatus, IsoDate } from './types';
import { commands, parseWith, type Command, type Parsed } from './validation';

export const PROVIDER_ACTIONS = ['announcePriceList', 'discontinueService', 'announceMaintenance'] as const;
export type ProviderActionName = (typeof PROVIDER_ACTIONS)[number];
export type ProviderAction = { [N in ProviderActionName]: { command: N; input: Omit<Command<N>, 'requestId' | 'actor'> } }[ProviderActionName];

/** Who an action reaches: every open contract (a pending applicant hears of prices and of the end, Art. 4, 5); maintenance only those in service. */
export const AUDIENCE: Record<ProviderActionName, readonly ContractStatus[]> = {
  announcePriceList: ['pending', 'approved', 'active', 'suspended'],
  discontinueService: ['pending', 'approved', 'active', 'suspended'],
  announceMaintenance: ['approved', 'active', 'suspended'],
};

/** Art. 5 ends every contract: a second supervisor approves it (four eyes, as a termination does on one contract). */
export const FOUR_EYES_PROVIDER_ACTIONS: readonly ProviderActionName[] = ['discontinueService'];

const placeholder = { requestId: 'bulk', actor: SYSTEM_ACTORS.providerAction };

/**
 * The action as staff give it: `command` and its input, checked by the command's own schema (field-named
 * problems). At the edges (CLI, console) before a run starts; each contract checks its command again.
 */
export function parseProviderAction(raw: unknown): Parsed<ProviderAction> {
  const r = raw as { command?: unknown; input?: unknown } | null;
  if (!r || typeof r !== 'object') return { ok: false, problems: ['(input): expected { command, input }'] };
  if (!PROVIDER_ACTIONS.includes(r.command as ProviderActionName)) return { ok: false, problems: [`command: expected one of ${PROVIDER_ACTIONS.join(', ')}`] };
  const command = r.command as ProviderActionName;
  if (!r.input || typeof r.input !== 'object' || Array.isArray(r.input)) return { ok: false, problems: ['input: expected an object'] };
  const parsed = parseWith(commands[command], { ...(r.input as object), ...placeholder }, 'input');
  if (!parsed.ok) return parsed;
  const { requestId: _r, actor: _a, ...input } = parsed.value as Record<string, unknown>;
  return { ok: true, value: { command, input } as ProviderAction };
}

/**
 * What the providerAction workflow checks of its input (no schema: zod finishes its schemas on first use,
 * which the workflow sandbox's frozen modules refuse): the command and the fields the run itself reads.
 * The input was parsed at the edge, and every contract validates its command again.
 */
export function providerActionShapeProblem(raw: unknown): string | null {
  const r = raw as { command?: unknown; input?: Record<string, unknown> } | null;
  if (!r || typeof r !== 'object' || !PROVIDER_ACTIONS.includes(r.command as ProviderActionName))
    return `command: expected one of ${PROVIDER_ACTIONS.join(', ')}`;
  const input = r.input;
  if (!input || typeof input !== 'object') return 'input: expected an object';
  const id = (v: unknown) => typeof v === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(v);
  const month = (v: unknown) => typeof v === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(v);
  const day = (v: unknown) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
  const moment = (v: unknown) => typeof v === 'string' && v.length <= 40 && Number.isFinite(Date.parse(v));
  const version = (input.version ?? {}) as Record<string, unknown>;
  const needed: Record<ProviderActionName, Array<[string, boolean]>> = {
    announcePriceList: [
      ['input.version.id', id(version.id)],
      ['input.version.effectiveMonth', month(version.effectiveMonth)],
    ],
    discontinueService: [
      ['input.postedOn', day(input.postedOn)],
      ['input.endDate', day(input.endDate)],
    ],
    announceMaintenance: [
      ['input.from', moment(input.from)],
      ['input.to', moment(input.to)],
    ],
  };
  const bad = needed[r.command as ProviderActionName].find(([, ok]) => !ok);
  return bad ? `${bad[0]}: missing or malformed (the back office checks the action before a run starts)` : null;
}

/** The action's business key: the same announcement gets the same key however often it is sent. */
export function providerActionKey(a: ProviderAction): string {
  switch (a.command) {
    case 'announcePriceList':
      return a.input.version.id;
    case 'discontinueService':
      return `${a.input.postedOn}_${a.input.endDate}${a.input.emergency ? '_emergency' : ''}`;
    case 'announceMaintenance':
      // Instants as epoch ms: one window however its offset was written.
      return `${Date.parse(a.input.from)}_${Date.parse(a.input.to)}`;
  }
}

/** The request id each contract gets (`<action>:<contract>:<key>`, docs/back-office.md, provider-wide actions). */
export const providerActionRequestId = (a: ProviderAction, contractId: string) => `${a.command}:${contractId}:${providerActionKey(a)}`;

/**
 * Refused before any contract is asked, when no contract could accept the action on `today`: a price list
 * for a month that has begun (D-17), a discontinuation against D-18's timing, a maintenance window already over.
 * Null: the run may start; each contract still decides for itself.
 */
export function providerActionProblem(a: ProviderAction, today: IsoDate): ProviderActionProblem | null {
  switch (a.command) {
    case 'announcePriceList': {
      const { effectiveMonth } = a.input.version;
      return today >= firstDayOf(effectiveMonth)
        ? problem('input', refuse(RULE.priceListChange, 'effectiveMonthBegun', { month: effectiveMonth, today }))
        : null;
    }
    case 'discontinueService': {
      const v = discontinuationVerdict({ today, ...a.input });
      return v.ok ? null : problem('input', fromVerdict(v)!);
    }
    case 'announceMaintenance': {
      const toDay = jstDateOf(Date.parse(a.input.to));
      return toDay < today ? problem('input', refuse(RULE.maintenance, 'windowEnded', { toDay, today })) : null;
    }
  }
}

/** A refusal whose text begins with its field (`endDate: …`), split into the field under `prefix` and the rest. */
export interface ProviderActionProblem extends Refusal {
  field: string;
}
function problem(prefix: string, r: Refusal): ProviderActionProblem {
  const [field] = r.message.split(':', 1);
  return { ...r, field: `${prefix}.${field}`, message: r.message.slice(field!.length + 1).trim() };
}

/** One line for logs, the Web UI and the audit. */
export function describeProviderAction(a: ProviderAction): string {
  switch (a.command) {
    case 'announcePriceList':
      return `price list ${a.input.version.id} from ${a.input.version.effectiveMonth} (Art. 4, D-17)`;
    case 'discontinueService':
      return `service discontinued: posted ${a.input.postedOn}, ends ${a.input.endDate}${a.input.emergency ? ' (emergency)' : ''} (Art. 5, D-18)`;
    case 'announceMaintenance':
      return `maintenance ${a.input.from} – ${a.input.to}${a.input.emergency ? ' (emergency)' : ''} (Art. 17)`;
  }
}
