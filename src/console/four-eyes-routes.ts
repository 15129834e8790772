/**
 * Four eyes (運用): a termination (第29条1項 for cause, 第29条3項 for convenience) is asked for with its reason,
 * and a second supervisor approves or withdraws what another asked for — a termination, a payment's
 * reversal, a charge, damages or a penalty above the contract's threshold.
 */
import type { FastifyInstance } from 'fastify';
import { fourEyesInput, parseWith } from '../domain/validation';
import type { ContractCommands } from './contract-commands';
import { bodyOf, CONTRACT_ACTORS, contractIdOf, requestIdOf, type RouteKit } from './route-kit';

export function fourEyesRoutes(app: FastifyInstance, k: RouteKit, d: { commands: ContractCommands }): void {
  const { act } = d.commands;
  const actionRoute = { config: { roles: CONTRACT_ACTORS } };

  app.post('/contracts/:id/terminate', actionRoute, async (req, reply) => {
    const b = bodyOf(req);
    const t = k.t(req);
    const action = b.kind === 'cause' ? 'terminateForCause' : b.kind === 'convenience' ? 'terminateForConvenience' : undefined;
    if (!action)
      return k.flashAndGo(
        req,
        reply,
        'err',
        t('種類 (kind): 解除 (cause) か都合による終了 (convenience) を選んでください。', 'kind: choose cause or convenience.'),
        `/contracts/${encodeURIComponent(contractIdOf(req) ?? '')}`,
      );
    const input = action === 'terminateForCause' ? { internalReason: b.reason?.trim() || undefined } : { endDate: (b.endDate ?? '').trim() };
    const checked = parseWith(fourEyesInput[action], input);
    if (!checked.ok)
      return k.flashAndGo(
        req,
        reply,
        'err',
        `${t('入力が正しくありません', 'Invalid input')} — ${checked.problems.join('; ')}`,
        `/contracts/${encodeURIComponent(contractIdOf(req) ?? '')}`,
      );
    // Always four eyes (routed by the back office): asked for with the reason, approved by a second supervisor.
    return act(req, reply, action, checked.value, { requestId: requestIdOf(req, 'requestApproval'), reason: b.reason ?? '' });
  });
  app.post('/contracts/:id/requests/approve', actionRoute, async (req, reply) =>
    act(req, reply, 'approveRequest', { approvalOf: bodyOf(req).approvalOf ?? '' }),
  );
  app.post('/contracts/:id/requests/withdraw', actionRoute, async (req, reply) =>
    act(req, reply, 'withdrawRequest', { approvalOf: bodyOf(req).approvalOf ?? '', reason: bodyOf(req).reason ?? '' }),
  );
}
