/**
 * Payments (別表3): a payment received — its amount as typed (84,700 / ８４，７００ / 84,700円), asked
 * about when the same amount came within 7 days (the back office's same-amount guard) — and a payment
 * taken back, which a second supervisor approves (four eyes).
 */
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { parseYenText } from '../domain/money';
import { parseWith, schemasIn } from '../domain/validation';
import type { ContractCommands } from './contract-commands';
import { bodyOf, CONTRACT_ACTORS, contractIdOf, requestIdOf, type RouteKit } from './route-kit';

export function paymentRoutes(app: FastifyInstance, k: RouteKit, d: { client: Client; commands: ContractCommands }): void {
  const { act } = d.commands;
  const actionRoute = { config: { roles: CONTRACT_ACTORS } };

  app.post('/contracts/:id/pay', actionRoute, async (req, reply) => {
    const t = k.t(req);
    const text = bodyOf(req).amount ?? '';
    const amount = parseYenText(text);
    if (amount === undefined) {
      const id = contractIdOf(req) ?? '';
      return k.flashAndGo(
        req,
        reply,
        'err',
        t(
          `金額 (amount): 「${text}」は金額として読めません。84700、84,700、８４，７００、84,700円 のように、カンマは3桁ごとに入力してください。何も送信していません。`,
          `amount: "${text}" is not an amount. Write 84700, 84,700, ８４，７００ or 84,700円 (commas group three digits). Nothing was sent.`,
        ),
        `/contracts/${encodeURIComponent(id)}`,
      );
    }
    // The day the money was received (the bank statement's); empty: today.
    const paidOn = (bodyOf(req).receivedOn ?? '').trim() || undefined;
    // The same amount within 7 days: the same transfer keyed twice? The back office asks; the form's box answers.
    return act(req, reply, 'pay', { amount, paidOn }, { sameAmountOk: bodyOf(req).sameAmountOk === 'yes' });
  });
  // A payment taken back: always four eyes (routed by the back office) — asked for here with the reason.
  app.post('/contracts/:id/payments/reverse', actionRoute, async (req, reply) => {
    const b = bodyOf(req);
    const input = { paymentRequestId: (b.paymentRequestId ?? '').trim(), reason: (b.reason ?? '').trim() };
    const checked = parseWith(schemasIn(k.lang(req)).fourEyesInput.reversePayment, input, '', k.lang(req));
    if (!checked.ok)
      return k.flashAndGo(
        req,
        reply,
        'err',
        `${k.t(req)('入力が正しくありません', 'Invalid input')} — ${checked.problems.join('; ')}`,
        `/contracts/${encodeURIComponent(contractIdOf(req) ?? '')}`,
      );
    return act(req, reply, 'reversePayment', checked.value, { requestId: requestIdOf(req, 'requestApproval'), reason: input.reason });
  });
}
