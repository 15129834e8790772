/**
 * The back-office CLI (`neutrix`, `npm run cli -- …`): one command per line of a clerk's work, each a
 * Temporal update, query, start or visibility list. Arguments are checked before anything is sent;
 * a refusal prints one line with the rule and the reason. Exit codes: see EXIT.
 */
import { writeFile } from 'node:fs/promises';
import {
  QueryNotRegisteredError,
  QueryRejectedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { connectClient, connectConfig } from '../infra/connection';
import { ledgerSocketPath, loadSettings, type Settings } from '../settings';
import { userInfo } from 'node:os';
import type { Actor } from '../domain/actor';
import { LedgerRefusal, LedgerUnavailable, ledgerClient } from '../backoffice/ledger-client';
import { CliError, commandHelp, EXIT, newRequestId, parseCommandArgs, RefusedError, UsageError, type CliIo, type CommandSpec, type Context } from './command';
import { allowanceCommands } from './commands/allowances';
import { applyCommand } from './commands/apply';
import { billingRunNow, billingRunStatus } from './commands/billing';
import { providerCommands } from './commands/provider';
import { contractCommands } from './commands/contract';
import { listCommand } from './commands/list';
import { viewCommands } from './commands/views';

export { EXIT } from './command';
export type { CliIo } from './command';

const byName = new Map<string, CommandSpec>(
  [applyCommand, ...contractCommands, ...allowanceCommands, ...viewCommands, listCommand, billingRunNow, billingRunStatus, ...providerCommands].map((c) => [
    c.name,
    c,
  ]),
);

const GROUPS: Array<[string, string[]]> = [
  ['Applications and changes', ['apply', 'approve', 'reject', 'change', 'approve-change', 'reject-change', 'contact']],
  ['Money', ['pay', 'charge', 'outage', 'damages', 'penalty']],
  ['Allowances (別表2 D-19)', ['incident', 'ops-work']],
  ['Service and ending', ['suspend', 'resume', 'quote-cancel', 'cancel', 'decline-renewal', 'terminate']],
  ['Looking things up', ['show', 'list', 'invoices', 'invoice']],
  ['Billing runs', ['billing-run now', 'billing-run status']],
  ['Provider-wide actions (Art. 4, 5, 17)', ['provider dry-run', 'provider start', 'provider request']],
];

export function mainHelp(): string {
  const width = Math.max(...[...byName.values()].map((c) => (c.name + (c.args ?? []).map((a) => ` <${a}>`).join('')).length));
  const lines = [
    'neutrix — the Neutrix Cloud back office: customer contracts run under the terms (契約約款)',
    '',
    'usage: neutrix <command> [<contract>] [options]        (or: npm run cli -- <command> …)',
  ];
  for (const [title, names] of GROUPS) {
    lines.push('', `${title}:`);
    for (const n of names) {
      const c = byName.get(n)!;
      lines.push(`  ${(c.name + (c.args ?? []).map((a) => ` <${a}>`).join('')).padEnd(width)}  ${c.summary}`);
    }
  }
  lines.push(
    '',
    'Every command takes --help and --json. Commands that change something take --request-id: it is printed; repeat a command with the same id to retry it safely (it takes effect once).',
    'Exit codes: 0 done · 1 error · 2 invalid arguments (nothing was sent) · 3 refused by the contract (nothing changed).',
    'Temporal: TEMPORAL_ADDRESS (default 127.0.0.1:7233, the server `npm start` runs), TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS*, or a profile (TEMPORAL_PROFILE).',
  );
  return lines.join('\n');
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** What went wrong, as one line and an exit code. */
export function explain(err: unknown, spec: CommandSpec, contractId: string | undefined, requestId: string): CliError {
  if (err instanceof CliError) return err;
  const who = contractId ?? spec.name;
  const retry = spec.sendsRequest ? ` — if unsure whether it took effect, repeat the command with --request-id ${requestId} (it takes effect once)` : '';
  if (err instanceof LedgerRefusal) return new RefusedError(`${who}: the ledger refused: ${oneLine(err.message)}`);
  if (err instanceof LedgerUnavailable) return new CliError(`${who}: ${oneLine(err.message)}${retry}`);
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure && cause.type === 'Refused') {
      const refusal = cause.details?.[0] as { rule?: string; message?: string } | undefined;
      return refusal?.message
        ? new RefusedError(`${who}: refused (${refusal.rule ?? 'rule'}): ${oneLine(refusal.message)}`, refusal.rule ?? null)
        : new RefusedError(`${who}: ${oneLine(cause.message)}`);
    }
    if (cause instanceof ApplicationFailure && cause.type === 'InvalidCommand') return new UsageError(`${who}: ${oneLine(cause.message)}`);
    return new CliError(`${who}: ${oneLine(cause?.message ?? err.message)}`);
  }
  if (err instanceof WorkflowNotFoundError) {
    if (/already completed/i.test(err.message))
      return new CliError(
        `${who}: the contract's workflow is closed (ended by the terms, or terminated by the server: neutrix show says which); nothing can change it any more`,
      );
    return new CliError(`${who}: no such contract (no workflow with this id)`);
  }
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return new CliError(`${who}: no answer in time${retry}`);
  if (err instanceof QueryNotRegisteredError || err instanceof QueryRejectedError) return new CliError(`${who}: ${oneLine(err.message)}`);
  if (err instanceof WorkflowFailedError) return new CliError(`${who}: the workflow failed: ${oneLine(err.cause?.message ?? err.message)}`);
  const message = oneLine((err as Error)?.message ?? String(err));
  if (/connect|UNAVAILABLE|deadline|ECONNREFUSED|transport/i.test(message)) {
    let address = '127.0.0.1:7233';
    try {
      address = connectConfig('127.0.0.1:7233').connectionOptions.address ?? address;
    } catch {
      // the configuration itself is broken: the message says why
    }
    return new CliError(`cannot reach Temporal at ${address}: ${message} (is 'npm start' running? TEMPORAL_ADDRESS names another server)${retry}`);
  }
  if ((err as { code?: number })?.code === 5 && contractId) return new CliError(`${who}: ${message}`);
  return new CliError(`${who}: ${message}${retry}`);
}

/** The IO of a real process: stdout/stderr, the environment, Temporal through envconfig. */
export function processIo(): CliIo {
  return {
    out: (text) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    env: process.env,
    async connect() {
      const { client, connection } = await connectClient('127.0.0.1:7233');
      return { client, close: () => connection.close() };
    },
    settings: () => loadSettings(process.env),
    writeFile: (path, data) => (typeof data === 'string' ? writeFile(path, data, 'utf8') : writeFile(path, data)),
  };
}

/** The CLI's ops identity: OPS_ACTOR_ID, else `ops:<the account's name>`; its role from OPS_ROLE. */
export function cliActor(settings: Settings): Actor {
  const name = userInfo().username.replace(/[^A-Za-z0-9._@-]/g, '_') || 'unknown';
  return { id: settings.OPS_ACTOR_ID ?? `ops:${name}`, role: settings.OPS_ROLE, via: 'cli' };
}

/** Run one CLI invocation; returns the exit code. */
export async function runCli(argv: string[], io: CliIo = processIo()): Promise<number> {
  let [name, ...rest] = argv;
  if (name === 'billing-run') {
    const sub = rest[0];
    if (sub === 'now' || sub === 'status') {
      name = `billing-run ${sub}`;
      rest = rest.slice(1);
    } else {
      const text = `usage: neutrix billing-run now|status [options]\n\n  now     ${billingRunNow.summary}\n  status  ${billingRunStatus.summary}`;
      if (sub === '--help' || sub === '-h') {
        io.out(text);
        return EXIT.ok;
      }
      io.err(`neutrix billing-run: expected 'now' or 'status'${sub ? `, got '${sub}'` : ''}\n${text}`);
      return EXIT.usage;
    }
  }
  if (name === 'provider') {
    const sub = rest[0];
    const text = `usage: neutrix provider dry-run|start|request FILE [options]\n\n${providerCommands.map((c) => `  ${c.name.slice('provider '.length).padEnd(8)} ${c.summary}`).join('\n')}`;
    if (sub && byName.has(`provider ${sub}`)) {
      name = `provider ${sub}`;
      rest = rest.slice(1);
    } else {
      if (sub === '--help' || sub === '-h') {
        io.out(text);
        return EXIT.ok;
      }
      io.err(`neutrix provider: expected dry-run, start or request${sub ? `, got '${sub}'` : ''}\n${text}`);
      return EXIT.usage;
    }
  }
  if (name === undefined || name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
    (name === undefined ? io.err : io.out)(mainHelp());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === 'help') return runCli([...rest, '--help'], io);
  const spec = byName.get(name);
  if (!spec) {
    io.err(`neutrix: unknown command '${name}' (see 'neutrix --help')`);
    return EXIT.usage;
  }

  let json = rest.includes('--json');
  let requestId = '';
  let contractId: string | undefined;
  let closeConnection: (() => Promise<void>) | undefined;
  try {
    const parsed = parseCommandArgs(spec, rest);
    if (parsed.help) {
      io.out(commandHelp(spec));
      return EXIT.ok;
    }
    json = parsed.values.json === true;
    const rid = newRequestId(parsed.values['request-id']);
    requestId = rid.requestId;
    contractId = spec.args?.[0] === 'contract' ? parsed.positionals[0] : undefined;
    let clientPromise: ReturnType<CliIo['connect']> | undefined;
    const ctx: Context = {
      io,
      json,
      requestId,
      requestIdGiven: rid.given,
      now: io.now ?? Date.now,
      client: async () => {
        clientPromise ??= io.connect().then((c) => {
          closeConnection = c.close;
          return c;
        });
        return (await clientPromise).client;
      },
      ledger: () => io.ledger?.() ?? ledgerClient(ledgerSocketPath(io.settings())),
      actor: () => cliActor(io.settings()),
      say: (text) => {
        if (!json) io.out(text);
      },
      emit: (doc) => {
        if (json) io.out(JSON.stringify(doc, null, 2));
      },
    };
    const code = await spec.run(ctx, parsed.values, parsed.positionals);
    return code ?? EXIT.ok;
  } catch (err) {
    const e = explain(err, spec, contractId, requestId);
    const prefix = `neutrix ${spec.name}: `;
    if (e instanceof UsageError && e.problems.length > 1) io.err(e.problems.map((p) => `${prefix}${p}`).join('\n'));
    else io.err(`${prefix}${oneLine(e.message)}`);
    if (json)
      io.out(
        JSON.stringify({
          ok: false,
          exitCode: e.exitCode,
          kind: e instanceof RefusedError ? 'refused' : e instanceof UsageError ? 'invalid' : 'error',
          error: oneLine(e.message),
          ...(e instanceof RefusedError ? { rule: e.rule } : {}),
        }),
      );
    return e.exitCode;
  } finally {
    await closeConnection?.().catch(() => undefined);
  }
}
