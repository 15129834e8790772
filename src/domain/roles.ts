/**
 * Who there is to ask (docs/architecture.md, the command path): the roles, the ways in, and the steps that need
 * a second supervisor. A leaf of the domain, so the command schemas (validation.ts) and the authority over
 * them (actor.ts) both read it without importing each other.
 */

/** The console's roles: read only; day-to-day work; decisions and money; people. */
export const ROLES = ['viewer', 'clerk', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
/** The billing run and bulk actions act as `system`. */
export const ACTOR_ROLES = [...ROLES, 'system'] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];
export const VIAS = ['console', 'cli', 'system', 'api', 'bank'] as const;
export type Via = (typeof VIAS)[number];

/** The steps a second supervisor must approve (request → approve), whatever their size. */
export const ALWAYS_FOUR_EYES = ['terminateForCause', 'terminateForConvenience', 'reversePayment'] as const;
/** Money moved by hand: four eyes above the domain's threshold (D-29, actor.ts), a payment above its own. */
export const FOUR_EYES_ABOVE_THRESHOLD = ['charge', 'recogniseDamages', 'penalty', 'pay'] as const;
export const FOUR_EYES_ACTIONS = [...ALWAYS_FOUR_EYES, ...FOUR_EYES_ABOVE_THRESHOLD] as const;
export type FourEyesAction = (typeof FOUR_EYES_ACTIONS)[number];
