/**
 * The console's side of the command path: a contract command is validated at the edge (a clear message
 * naming the field, nothing sent), routed by the back office (four eyes by the contract's own threshold),
 * sent as the signed-in person through `sendContractCommand` (audited), and answered with a flash on the
 * contract's page — the contract's refusal with its article, as the CLI shows it.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isRefusal } from '../backoffice/command-path';
import { InvalidCommand, SameAmountPaid, sendCommand, type CommandDeps } from '../backoffice/commands/contract-command';
import type { Actor } from '../domain/actor';
import type { CommandResult } from '../domain/contract';
import { jstDateOf } from '../domain/calendar';
import type { CommandName } from '../domain/validation';
import type { T } from './html';
import { contractIdOf, requestIdOf, type RouteKit } from './route-kit';
import { answerLine, refusalLine, refusalOf, type NameOf } from './contract-words';
import * as views from './views';

/** The signed-in person (and `other`, looked up already) by name where the contract's words name them by id. */
const meAsName =
  (req: FastifyRequest, other?: { id: string; name: string | undefined }): NameOf =>
  (id) =>
    id === req.person?.id ? req.person.displayName : id === other?.id ? other.name : undefined;

/** A refusal by the contract: its words in the page's language and the article; the signed-in person by name. */
function refusalText(req: FastifyRequest, err: unknown, t: T, other?: { id: string; name: string | undefined }): string {
  const r = refusalOf(err);
  if (r) return `${t('契約が拒否しました', 'Refused by the contract')}: ${refusalLine(t, r, meAsName(req, other))}`;
  const cause = err instanceof WorkflowUpdateFailedError ? (err.cause ?? err) : err;
  return `${t('拒否されました', 'Refused')}: ${cause instanceof Error ? cause.message : String(cause)}`;
}

export const actorOf = (req: FastifyRequest): Actor => ({ id: req.person!.id, role: req.person!.role, via: 'console' });

export interface ContractCommands {
  /**
   * Validate `name` with `raw` for the contract in the path, route it (four eyes: as a request with
   * `reason`), send it, and flash its answer. `requestId`: the one to use (else the form's, or a new one).
   */
  act(
    req: FastifyRequest,
    reply: FastifyReply,
    name: CommandName,
    raw: Record<string, unknown>,
    opts?: { requestId?: string; reason?: string; sameAmountOk?: boolean },
  ): Promise<FastifyReply>;
  /** The contract's answer, flashed on its page. */
  accepted(req: FastifyRequest, reply: FastifyReply, id: string, name: CommandName, result: CommandResult): FastifyReply;
  /** A send that failed, flashed on the contract's page: no such contract, refused, or not known to have been sent. */
  failed(req: FastifyRequest, reply: FastifyReply, id: string, err: unknown, other?: { id: string; name: string | undefined }): FastifyReply;
}

/** The audit rows sent under a request id (the ledger's lookup): a form sent again finds its first answer. */
export type SentUnder = (
  command: string,
  requestIds: readonly string[],
) => Promise<Array<{ contractId: string | null; outcome: string; message: string | null }>>;

export function contractCommands(
  k: RouteKit,
  d: CommandDeps & { sentUnder: SentUnder; personName?: (id: string) => Promise<string | undefined> },
): ContractCommands {
  // A form sent twice (a double click, a reload) is one attempt: the second waits for the first, then answers
  // with it, and writes no second audit row. Keyed by person, contract and request id; this process only.
  const inFlight = new Map<string, Promise<void>>();
  const alreadyAccepted = async (id: string, names: CommandName[], requestId: string) => {
    const rows = (await Promise.all(names.map((n) => d.sentUnder(n, [requestId])))).flat();
    return rows.find((r) => r.contractId === id && r.outcome === 'accepted');
  };

  const invalid = (req: FastifyRequest, reply: FastifyReply, t: T, problems: string[], back: string) =>
    k.flashAndGo(req, reply, 'err', `${t('入力が正しくありません', 'Invalid input')} — ${problems.join('; ')}`, back);

  function failed(req: FastifyRequest, reply: FastifyReply, id: string, err: unknown, other?: { id: string; name: string | undefined }): FastifyReply {
    const t = k.t(req);
    const back = `/contracts/${encodeURIComponent(id)}`;
    if (err instanceof WorkflowNotFoundError) return k.flashAndGo(req, reply, 'err', t(`契約 ${id} はありません。`, `No contract ${id}.`), back);
    if (isRefusal(err)) return k.flashAndGo(req, reply, 'err', refusalText(req, err, t, other), back);
    return k.flashAndGo(
      req,
      reply,
      'err',
      `${t('送信できませんでした (変更されたかは不明。同じ画面から再送すると一度だけ反映されます)', 'Could not be sent (it may or may not have taken effect; resending the same form takes effect once)')}: ${(err as Error).message}`,
      back,
    );
  }

  const accepted = (req: FastifyRequest, reply: FastifyReply, id: string, name: CommandName, result: CommandResult) =>
    k.flashAndGo(req, reply, 'ok', answerLine(k.t(req), name, result, meAsName(req)), `/contracts/${encodeURIComponent(id)}`);

  async function act(
    req: FastifyRequest,
    reply: FastifyReply,
    name: CommandName,
    raw: Record<string, unknown>,
    opts: { requestId?: string; reason?: string; sameAmountOk?: boolean } = {},
  ): Promise<FastifyReply> {
    const id = contractIdOf(req);
    const t = k.t(req);
    if (!id) return k.send(req, reply.code(400), views.message(t, '400', t('契約IDの形式が正しくありません。', 'Not a contract id.')));
    const back = `/contracts/${encodeURIComponent(id)}`;
    const requestId = opts.requestId ?? requestIdOf(req, name);
    // Set before any await, so a second submit arriving meanwhile queues behind this one.
    const key = `${req.person!.id}:${id}:${requestId}`;
    const previous = inFlight.get(key) ?? Promise.resolve();
    let release: () => void = () => undefined;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    inFlight.set(key, tail);
    await previous;
    try {
      const earlier = await alreadyAccepted(id, [name, 'requestApproval'], requestId);
      if (earlier)
        return k.flashAndGo(
          req,
          reply,
          'ok',
          `${t('この操作は受付済みです (同じ画面からの再送信は一度だけ反映されます)', 'Already done (a form sent again takes effect once)')}: ${earlier.message ?? ''}`,
          back,
        );
      // The back office's one way to send a command (checks, same-amount guard, four eyes, audit), as the HTTP API does.
      const sent = await sendCommand(d, {
        actor: actorOf(req),
        contractId: id,
        name,
        input: { requestId, ...raw },
        reason: opts.reason,
        sameAmountOk: opts.sameAmountOk,
        today: jstDateOf(Date.now()),
        lang: k.lang(req),
      });
      return accepted(req, reply, id, sent.command, sent.result);
    } catch (err) {
      if (err instanceof InvalidCommand) return invalid(req, reply, t, err.problems, back);
      if (err instanceof SameAmountPaid)
        return k.flashAndGo(
          req,
          reply,
          'err',
          t(
            `同じ金額 ${err.earlier.amount.toLocaleString('ja-JP')}円 の入金が ${err.earlier.paidOn} に記録されています (${err.earlier.requestId})。別の入金であれば「同額の別入金」に印を付けて送信してください。何も送信していません。`,
            `A payment of the same amount, ${err.earlier.amount.toLocaleString('en-US')} yen, was recorded on ${err.earlier.paidOn} (${err.earlier.requestId}). If this is another payment, tick "another payment of the same amount" and send again. Nothing was sent.`,
          ),
          back,
        );
      // A refusal naming another person (a request of theirs already waiting) names them as the people page does.
      const byId = refusalOf(err)?.facts?.byId;
      const other = typeof byId === 'string' && byId !== req.person!.id ? { id: byId, name: await d.personName?.(byId) } : undefined;
      return failed(req, reply, id, err, other);
    } finally {
      release();
      if (inFlight.get(key) === tail) inFlight.delete(key);
    }
  }

  return { act, accepted, failed };
}
