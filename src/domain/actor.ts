/**
 * Who asks (docs/architecture.md, one command's path): every command carries its actor — a signed-in person of the
 * console, an ops identity of the CLI, or the system (the billing run, bulk actions). What each role may
 * ask, and which steps need a second supervisor (four eyes), is decided here, so the contract itself
 * refuses what a page or a script should not have sent.
 */
import { ALWAYS_FOUR_EYES, FOUR_EYES_ABOVE_THRESHOLD, type ActorRole, type FourEyesAction, type Via } from './roles';
import type { CommandName } from './validation';

// The vocabulary lives in roles.ts (validation.ts reads it too); re-exported for every reader of this module.
export {
  ACTOR_ROLES,
  ALWAYS_FOUR_EYES,
  FOUR_EYES_ABOVE_THRESHOLD,
  FOUR_EYES_ACTIONS,
  ROLES,
  VIAS,
  type ActorRole,
  type FourEyesAction,
  type Role,
  type Via,
} from './roles';

export interface Actor {
  /** A person's id in the ledger, the CLI's ops identity (`ops:<name>`), or `system:<process>`. */
  id: string;
  role: ActorRole;
  via: Via;
}

/** Operations (not a rule of the terms): who may ask for what. */
export const AUTHORITY = '運用 (権限)';
/** Operations: money and irreversible steps need a second supervisor. */
export const FOUR_EYES = '運用 (二者承認)';

const CLERK: readonly ActorRole[] = ['clerk', 'supervisor', 'system'];
const SUPERVISOR: readonly ActorRole[] = ['supervisor', 'system'];

/**
 * Who may ask for each command. Clerks: applications, payments, contact changes, cancellations,
 * incidents and ops work (D-19); supervisors: decisions, endings, charges and reductions, billing, price
 * lists, discontinuation and maintenance (Art. 4, 5, 17); an admin manages people
 * and changes no contract; a viewer only reads.
 */
export const MAY_ASK: Record<CommandName, readonly ActorRole[]> = {
  approve: SUPERVISOR,
  reject: SUPERVISOR,
  requestChange: CLERK,
  approveChange: SUPERVISOR,
  rejectChange: SUPERVISOR,
  cancel: CLERK,
  declineRenewal: CLERK,
  terminateForCause: SUPERVISOR,
  terminateForConvenience: SUPERVISOR,
  suspend: SUPERVISOR,
  resume: SUPERVISOR,
  pay: CLERK,
  reversePayment: SUPERVISOR,
  reportOutage: CLERK,
  recogniseDamages: SUPERVISOR,
  penalty: SUPERVISOR,
  charge: SUPERVISOR,
  changeContact: CLERK,
  closeBillingPeriod: SUPERVISOR,
  retryFailedEffects: SUPERVISOR,
  announcePriceList: SUPERVISOR,
  discontinueService: SUPERVISOR,
  announceMaintenance: SUPERVISOR,
  recordIncident: CLERK,
  recordOpsWork: CLERK,
  requestApproval: SUPERVISOR,
  approveRequest: SUPERVISOR,
  withdrawRequest: SUPERVISOR,
};

/**
 * D-29: a charge, damages or a penalty above this needs a second supervisor. The domain's, not a setting:
 * no client, start input or environment variable changes it (a deployment changes it by a reviewed change here).
 */
export const FOUR_EYES_THRESHOLD_YEN = 100_000;
/** D-29: a payment above this is recorded only when a supervisor other than the one who keyed it approves it. */
export const PAYMENT_FOUR_EYES_THRESHOLD_YEN = 10_000_000;
/** A request not approved within this many days lapses. */
export const FOUR_EYES_REQUEST_DAYS = 7;

/** The amount a four-eyes rule weighs: the charge (either sign), the damages, the evaded fees, the payment. */
export function amountOf(action: FourEyesAction, input: Record<string, unknown>): number {
  const n = (v: unknown) => (typeof v === 'number' ? Math.abs(v) : 0);
  if (action === 'penalty') return n(input.evadedAmount);
  return n(input.amount);
}

/** D-29: above what amount `action` needs a second supervisor. */
export const fourEyesThresholdOf = (action: FourEyesAction): number => (action === 'pay' ? PAYMENT_FOUR_EYES_THRESHOLD_YEN : FOUR_EYES_THRESHOLD_YEN);

/** Whether this command, so sized, needs a second supervisor (D-29). The system (automation) never does. */
export function needsFourEyes(name: CommandName, input: Record<string, unknown>, actor: Actor): boolean {
  if (actor.role === 'system') return false;
  if ((ALWAYS_FOUR_EYES as readonly string[]).includes(name)) return true;
  if (!(FOUR_EYES_ABOVE_THRESHOLD as readonly string[]).includes(name)) return false;
  const action = name as FourEyesAction;
  return amountOf(action, input) > fourEyesThresholdOf(action);
}

/**
 * Who may ask for this command. A four-eyes request may be asked by whoever may ask for its action: a
 * supervisor for a termination or a charge, a clerk too for a large payment (D-29); MAY_ASK.requestApproval
 * is the supervisors' forms (terminations) the console shows.
 */
export function mayAsk(name: CommandName, command: { action?: unknown }): readonly ActorRole[] {
  if (name === 'requestApproval' && typeof command.action === 'string' && command.action in MAY_ASK) return MAY_ASK[command.action as CommandName];
  return MAY_ASK[name];
}

/** A short line naming the actor, for answers and the audit: `supervisor u-12 (console)`. */
export function actorText(a: Actor): string {
  return `${a.role} ${a.id} (${a.via})`;
}

/** The system's own actors: the monthly billing run, the scenario simulator. */
export const SYSTEM_ACTORS = {
  billingRun: { id: 'system:billing-run', role: 'system', via: 'system' },
  simulator: { id: 'system:simulator', role: 'system', via: 'system' },
  /** A step's consequences computed before it is confirmed (nothing is sent as it). */
  preview: { id: 'system:preview', role: 'system', via: 'system' },
  /** The bulk run of a provider-wide action (Art. 4, 5, 17), started by a supervisor (who is audited). */
  providerAction: { id: 'system:provider-action', role: 'system', via: 'system' },
} as const satisfies Record<string, Actor>;
