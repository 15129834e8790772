/** The actors the tests send commands as (docs/architecture.md, one command's path). */
import type { Actor } from '../../src/domain/actor';

/** An ops identity of the CLI with supervisor rights. */
export const OPS: Actor = { id: 'ops:test', role: 'supervisor', via: 'cli' };
export const SUPERVISOR_A: Actor = { id: 'u-sup-a', role: 'supervisor', via: 'console' };
export const SUPERVISOR_B: Actor = { id: 'u-sup-b', role: 'supervisor', via: 'console' };
export const CLERK: Actor = { id: 'u-clerk', role: 'clerk', via: 'console' };
export const VIEWER: Actor = { id: 'u-viewer', role: 'viewer', via: 'console' };
