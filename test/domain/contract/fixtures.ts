/**
 * Builders and checks shared by the decider's unit tests (test/domain/contract/*.test.ts). Not a test file.
 * Every expected figure in the tests is worked by hand from the terms and docs/decisions.md; nothing here
 * computes an amount or a date the tests then expect.
 */
import { expect } from 'vitest';
import { advance, check, decide, receive, type ContractState, type Effect } from '../../../src/domain/contract';
import type { Actor } from '../../../src/domain/actor';
import { refusalIn, summaryIn } from '../../../src/domain/messages';
import type { ContractStatus, IsoDate } from '../../../src/domain/types';
import { application, commands, type Command, type CommandInput, type CommandName } from '../../../src/domain/validation';

export const ID = 'C1';
/** The ledger's id of the customer (Art. 12-3): the contract holds no contact detail, only this. */
export const CUSTOMER_ID = 'cus-rei';

/**
 * The standard application, received Wed 2026-04-01: Standard plan, 2 Linux components, cloud 30,000.
 * Managed = 20,000 + 2 × 9,000 = 38,000 (Appendix 2, band 1–5); fixed monthly fee = 38,000 + 30,000 = 68,000.
 * Window (D-2): A + 60 = 2026-05-31 (April has 30 days: 04-01 + 29 = 04-30, + 31 = 05-31); deemed rejected 2026-06-01.
 */
export function standardApplication(over: { appliedOn?: IsoDate; components?: number; cloud?: number } = {}) {
  return application.parse({
    contractId: ID,
    customerId: CUSTOMER_ID,
    terms: { plan: 'standard', components: Array.from({ length: over.components ?? 2 }, () => ({ os: 'linux' })), cloudMonthlyFee: over.cloud ?? 30_000 },
    appliedOn: over.appliedOn ?? '2026-04-01',
  });
}

export function pending(over: Parameters<typeof standardApplication>[0] = {}): ContractState {
  return receive(standardApplication(over)).state;
}

/**
 * The actor of the rule tests: the system, which may ask for anything and needs no second supervisor —
 * these tests are about the terms; authority and four eyes have their own (authority.test.ts).
 */
export const SYSTEM: Actor = { id: 'system:test', role: 'system', via: 'system' };

/** A command as the zod schema makes it (defaults applied), asked by the system unless another actor is given. */
/** A command's input as a test writes it: the actor may be left out (the system). */
export type Input<N extends CommandName> = Omit<CommandInput<N>, 'actor'> & { actor?: Actor };

export function cmd<N extends CommandName>(name: N, input: Input<N>) {
  return commands[name].parse({ actor: SYSTEM, ...input }) as Command<N>;
}

let seq = 0;
const nextId = () => `r${++seq}`;

/** Decide, expecting acceptance; returns the decision's parts. */
export function run<N extends CommandName>(
  s: ContractState,
  name: N,
  input: Omit<CommandInput<N>, 'requestId' | 'actor'> & { requestId?: string; actor?: Actor },
  today: IsoDate,
) {
  const d = decide(s, name, cmd(name, { requestId: nextId(), ...input } as Omit<CommandInput<N>, 'actor'>), today);
  if (!d.ok) throw new Error(`${name} on ${today} refused: ${d.refusal.rule} ${d.refusal.message}`);
  // An approval on S itself moves through both rows at once (Art. 9).
  if (name === 'approve' && d.state.status === 'active') {
    record(s.status, 'approved', 'approve');
    record('approved', 'active', 'usageStart');
  } else record(s.status, d.state.status, name === 'pay' ? 'paidInFull' : name);
  return d;
}

/**
 * The standard contract approved on 2026-05-15 with S = Mon 2026-06-01 (the 1st business day of June,
 * so the first month's cloud fee is charged, Appendix 3 §1). Minimum term: 2026-06-01 … 2027-05-31 (Art. 11).
 */
export function active(
  startDate: IsoDate = '2026-06-01',
  approvedOn: IsoDate = '2026-05-15',
  over: Parameters<typeof standardApplication>[0] = {},
): ContractState {
  const approved = run(pending(over), 'approve', { startDate }, approvedOn).state;
  // Art. 9 (D-34): approved before S, it is established at 00:00 of S.
  return approved.status === 'approved' ? step(approved, Date.parse(`${startDate}T00:00:00+09:00`)).state : approved;
}

/** Close the billing period `period` on `today` (default: the 1st of the next month). */
export function bill(s: ContractState, period: string, today?: IsoDate): ContractState {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return run(s, 'closeBillingPeriod', { period }, today ?? next).state;
}

/** The instant of hh:mm Japan time on `day`, written independently of the code under test. */
export const at = (day: IsoDate, hhmm: string) => Date.parse(`${day}T${hhmm}:00+09:00`);

/** Advance to `now`, recording the status moves of the steps applied. */
export function step(s: ContractState, now: number) {
  const r = advance(s, now);
  if (r.state.status !== s.status) {
    // The step that moved the status (tests advance one step instant at a time): a rejection is D-2's,
    // a suspension D-14's, an end for cause by a step is the overdue termination, any other end the contract's end.
    const by =
      s.status === 'approved' && r.state.status === 'active'
        ? 'usageStart'
        : r.state.status === 'rejected'
          ? 'deemedRejection'
          : r.state.status === 'suspended'
            ? 'overdueSuspension'
            : r.state.end?.kind === 'terminationForCause'
              ? 'overdueTermination'
              : 'contractEnd';
    record(s.status, r.state.status, by);
  }
  return r;
}

/** Recursively freeze, so any write to the input state throws (ES modules run in strict mode). */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Kana or kanji: the Japanese of a catalogue entry is written in Japanese. */
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

/** Accepted: `check` agrees, the frozen input is untouched, the answer is new. */
export function accept<N extends CommandName>(s: ContractState, name: N, input: Input<N>, today: IsoDate) {
  const before = structuredClone(s);
  const frozen = deepFreeze(structuredClone(s));
  const c = cmd(name, input);
  expect(check(frozen, name, c, today)).toBeNull();
  const d = decide(frozen, name, c, today);
  expect(frozen).toEqual(before);
  if (!d.ok) throw new Error(`${name} refused: ${d.refusal.rule} ${d.refusal.message}`);
  expect(d.repeated).toBe(false);
  expect(d.state.answers[input.requestId]).toEqual({ command: name, result: d.answer, fingerprint: expect.stringMatching(/^[0-9a-f]{14}$/), actor: c.actor });
  seen.accepted.add(name);
  record(s.status, d.state.status, name === 'pay' ? 'paidInFull' : name);
  // Every answer is in the message catalogue: its English is the summary, its Japanese is Japanese.
  const { said, ...answer } = d.answer;
  expect(said, `${name}: an answer without the catalogue's code`).toBeDefined();
  const en = summaryIn('en', said!.code, said!.facts);
  if (name === 'approveRequest') expect(d.answer.summary.startsWith(en!)).toBe(true);
  else expect(en).toBe(d.answer.summary);
  expect(summaryIn('ja', said!.code, said!.facts)).toMatch(JAPANESE);
  return { ...d, answer };
}

/** Refused with `rule` and a message holding `fragment`; the state (frozen) is unchanged. */
export function refuseWith<N extends CommandName>(s: ContractState, name: N, input: Input<N>, today: IsoDate, rule: string, fragment: string) {
  const before = structuredClone(s);
  const frozen = deepFreeze(structuredClone(s));
  const c = cmd(name, input);
  const d = decide(frozen, name, c, today);
  expect(d.ok).toBe(false);
  if (d.ok) return;
  expect(d.refusal.rule).toBe(rule);
  expect(d.refusal.message).toContain(fragment);
  // Every refusal is in the message catalogue: its English is the message, its Japanese is Japanese.
  expect(refusalIn('en', d.refusal.code, d.refusal.facts)).toBe(d.refusal.message);
  expect(refusalIn('ja', d.refusal.code, d.refusal.facts)).toMatch(JAPANESE);
  expect(check(frozen, name, c, today)).toEqual(d.refusal);
  expect(frozen).toEqual(before);
  seen.refused.add(name);
}

/** Notices among effects, as `id` strings. */
export const noticeIds = (effects: readonly Effect[]) => effects.filter((e) => e.type === 'notice').map((e) => (e as { id: string }).id);

/** Which commands each file's tables cover (accepted and refused); their union must be COMMAND_NAMES. */
export const COVERAGE: Record<string, readonly CommandName[]> = {
  lifecycle: ['approve', 'reject', 'requestChange', 'approveChange', 'rejectChange', 'suspend', 'resume', 'changeContact', 'retryFailedEffects'],
  ending: ['cancel', 'declineRenewal', 'terminateForCause', 'terminateForConvenience'],
  money: ['pay', 'reportOutage', 'recogniseDamages', 'penalty', 'charge', 'closeBillingPeriod'],
  authority: ['requestApproval', 'approveRequest', 'withdrawRequest', 'reversePayment'],
  provider: ['announcePriceList', 'discontinueService', 'announceMaintenance', 'recordIncident', 'recordOpsWork'],
};
export const seen = { accepted: new Set<string>(), refused: new Set<string>(), moves: new Set<string>() };

function record(from: ContractStatus, to: ContractStatus, by: string) {
  if (from !== to) seen.moves.add(`${from} → ${to} by ${by}`);
}
