/**
 * Four eyes (二者承認): a second supervisor approves, or a supervisor withdraws, what another asked for — a
 * termination (asked for on its confirmation page, confirm-routes.ts), a payment's reversal, a charge,
 * damages or a penalty above the contract's threshold. Each form carries its request id: a double click
 * approves once (the console's act answers a repeat with the first answer).
 */
import type { FastifyInstance } from 'fastify';
import type { ContractCommands } from './contract-commands';
import { bodyOf, CONTRACT_ACTORS, type RouteKit } from './route-kit';

export function fourEyesRoutes(app: FastifyInstance, _k: RouteKit, d: { commands: ContractCommands }): void {
  const { act } = d.commands;
  const actionRoute = { config: { roles: CONTRACT_ACTORS } };

  app.post('/contracts/:id/requests/approve', actionRoute, async (req, reply) =>
    act(req, reply, 'approveRequest', { approvalOf: bodyOf(req).approvalOf ?? '' }),
  );
  app.post('/contracts/:id/requests/withdraw', actionRoute, async (req, reply) =>
    act(req, reply, 'withdrawRequest', { approvalOf: bodyOf(req).approvalOf ?? '', reason: bodyOf(req).reason ?? '' }),
  );
}
