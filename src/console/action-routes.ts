/**
 * The day-to-day commands of the CLI, from the contract page: a change request and its decision (第12条),
 * charges and reductions, an outage (第21条), damages (第31条), a penalty, a suspension and its lifting
 * (第18条, D-26). Each is typed text turned into the command's fields — what cannot be read is passed as
 * typed, so the domain's schema names the field — and sent through `act` (audited, four eyes routed).
 */
import type { FastifyInstance } from 'fastify';
import { jstLocalToInstant } from '../domain/calendar';
import { parseYenText } from '../domain/money';
import { OS_KINDS } from '../domain/types';
import type { ContractCommands } from './contract-commands';
import { bodyOf, CONTRACT_ACTORS, type RouteKit } from './route-kit';

/** An amount as typed (84,700 / ８４，７００ / -5,000), or the text itself for the schema to refuse by name. */
const yenOrText = (text: string | undefined) => (text === undefined || text.trim() === '' ? undefined : (parseYenText(text) ?? text));
/** A whole number as typed, or the text itself. */
const countOrText = (text: string | undefined) => {
  const v = (text ?? '').normalize('NFKC').trim();
  return v === '' ? undefined : /^\d+$/.test(v) ? Number(v) : v;
};
const textOrNone = (text: string | undefined) => (text ?? '').trim() || undefined;

export function actionRoutes(app: FastifyInstance, _k: RouteKit, d: { commands: ContractCommands }): void {
  const { act } = d.commands;
  const actionRoute = { config: { roles: CONTRACT_ACTORS } };

  app.post('/contracts/:id/change', actionRoute, async (req, reply) => {
    const b = bodyOf(req);
    const counts = OS_KINDS.map((os) => countOrText(b[os]));
    // The components are the whole new set (as the CLI's --linux/--windows): given when either count is.
    const components = counts.every((n) => n === undefined)
      ? undefined
      : counts.some((n) => typeof n === 'string')
        ? counts.find((n) => typeof n === 'string')
        : OS_KINDS.flatMap((os, i) => Array.from({ length: Math.min(Number(counts[i] ?? 0), 10_001) }, () => ({ os })));
    return act(req, reply, 'requestChange', {
      plan: textOrNone(b.plan),
      components,
      metricCapRelaxations: countOrText(b.metricCapRelaxations),
      cloudMonthlyFee: yenOrText(b.cloudMonthlyFee),
    });
  });
  app.post('/contracts/:id/approve-change', actionRoute, async (req, reply) =>
    act(req, reply, 'approveChange', { effectiveMonth: textOrNone(bodyOf(req).effectiveMonth) }),
  );
  app.post('/contracts/:id/reject-change', actionRoute, async (req, reply) =>
    act(req, reply, 'rejectChange', { internalReason: textOrNone(bodyOf(req).internalReason) }),
  );

  app.post('/contracts/:id/charge', actionRoute, async (req, reply) => {
    const b = bodyOf(req);
    const taxable = b.taxable === 'yes' ? true : b.taxable === 'no' ? false : b.taxable;
    return act(req, reply, 'charge', { description: b.description ?? '', amount: yenOrText(b.amount), taxable }, { reason: textOrNone(b.reason) });
  });
  // Japan time as typed in datetime-local, sent as an exact +09:00 instant.
  app.post('/contracts/:id/outage', actionRoute, async (req, reply) => {
    const b = bodyOf(req);
    return act(req, reply, 'reportOutage', {
      scope: b.scope,
      knownAt: jstLocalToInstant(b.knownAt ?? ''),
      restoredAt: jstLocalToInstant(b.restoredAt ?? ''),
      grossNegligence: b.grossNegligence === 'yes',
    });
  });
  app.post('/contracts/:id/damages', actionRoute, async (req, reply) => {
    const b = bodyOf(req);
    return act(req, reply, 'recogniseDamages', { occurredOn: (b.occurredOn ?? '').trim(), amount: yenOrText(b.amount) }, { reason: textOrNone(b.reason) });
  });
  app.post('/contracts/:id/penalty', actionRoute, async (req, reply) => {
    const b = bodyOf(req);
    return act(req, reply, 'penalty', { evadedAmount: yenOrText(b.evadedAmount) }, { reason: textOrNone(b.reason) });
  });
  app.post('/contracts/:id/suspend', actionRoute, async (req, reply) => act(req, reply, 'suspend', { internalReason: textOrNone(bodyOf(req).internalReason) }));
  app.post('/contracts/:id/resume', actionRoute, async (req, reply) => act(req, reply, 'resume', {}));
}
