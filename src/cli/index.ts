/**
 * The back-office CLI (`neutrix`, `npm run cli -- …`): one command per line of a clerk's work, each a call
 * of the back office's HTTP API as the person of NEUTRIX_API_TOKEN. Arguments are checked before anything
 * is sent; a refusal prints one line with the rule and the reason. Exit codes: see EXIT.
 */
import { writeFile } from 'node:fs/promises';
import { apiUrlOf, loadSettings } from '../settings';
import { ApiFailure, apiClient, type Api } from './api-client';
import { yen } from './format';
import { CliError, commandHelp, EXIT, newRequestId, parseCommandArgs, RefusedError, UsageError, type CliIo, type CommandSpec, type Context } from './command';
import { allowanceCommands } from './commands/allowances';
import { applyCommand } from './commands/apply';
import { bankCommands } from './commands/bank';
import { billingRunNow, billingRunStatus } from './commands/billing';
import { providerCommands } from './commands/provider';
import { contractCommands } from './commands/contract';
import { listCommand } from './commands/list';
import { receivablesCommands } from './commands/receivables';
import { viewCommands } from './commands/views';

export { EXIT } from './command';
export type { CliIo } from './command';

/** Every command the CLI has (its help lists each; test/cli/help.test.ts checks it). */
export const ALL_COMMANDS: readonly CommandSpec[] = [
  applyCommand,
  ...contractCommands,
  ...allowanceCommands,
  ...viewCommands,
  listCommand,
  billingRunNow,
  billingRunStatus,
  ...providerCommands,
  ...bankCommands,
  ...receivablesCommands,
];
const byName = new Map<string, CommandSpec>(ALL_COMMANDS.map((c) => [c.name, c]));

const GROUPS: Array<[string, string[]]> = [
  ['Applications and changes', ['apply', 'approve', 'reject', 'change', 'approve-change', 'reject-change', 'contact']],
  ['Money', ['pay', 'reverse-payment', 'charge', 'outage', 'damages', 'penalty']],
  ['Four eyes (a second supervisor)', ['approve-request', 'withdraw-request']],
  ['Bank statements (入金消込)', ['bank import', 'bank files', 'bank show', 'bank unmatched', 'bank assign', 'bank return']],
  ['Allowances (別表2 D-19)', ['incident', 'ops-work']],
  ['Service and ending', ['suspend', 'resume', 'quote-cancel', 'cancel', 'decline-renewal', 'terminate']],
  ['Looking things up', ['show', 'list', 'invoices', 'invoice', 'month-invoices', 'audit']],
  ['When the ledger or mail refused', ['retry-effects']],
  ['Receivables and customers', ['aging', 'payments', 'customer', 'customer add-payer-name']],
  ['Billing runs', ['billing-run now', 'billing-run status']],
  ['Provider-wide actions (Art. 4, 5, 17)', ['provider dry-run', 'provider start', 'provider request']],
];

/** The name of every command the CLI runs. */
export function commandNames(): string[] {
  return [...byName.keys()];
}

export function mainHelp(): string {
  const width = Math.max(...[...byName.values()].map((c) => (c.name + (c.args ?? []).map((a) => ` <${a}>`).join('')).length));
  const lines = [
    'neutrix — the Neutrix Cloud back office: customer contracts run under the terms (契約約款)',
    '',
    'usage: neutrix <command> [<contract>] [options]        (or: npm run cli -- <command> …)',
  ];
  // Every registered command is listed: one no group names comes under "Other commands".
  const grouped = new Set(GROUPS.flatMap(([, names]) => names));
  const others = [...byName.keys()].filter((n) => !grouped.has(n));
  for (const [title, names] of others.length ? [...GROUPS, ['Other commands', others] as [string, string[]]] : GROUPS) {
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

/** `field: reason` → `--flag: reason` where the command knows the field's flag. */
function flagged(problem: string, fieldToFlag: Record<string, string>): string {
  const m = /^([^:]+): (.*)$/s.exec(problem);
  if (!m) return problem;
  const path = m[1]!.split('.');
  for (let n = path.length; n > 0; n--) {
    const flag = fieldToFlag[path.slice(0, n).join('.')];
    if (flag) return `${flag}: ${m[2]}`;
  }
  return problem;
}

/** What went wrong, as one line and an exit code. */
export function explain(err: unknown, spec: CommandSpec, contractId: string | undefined, requestId: string): CliError {
  if (err instanceof CliError) return err;
  const who = contractId ?? spec.name;
  const retry = spec.sendsRequest ? ` — if unsure whether it took effect, repeat the command with --request-id ${requestId} (it takes effect once)` : '';
  if (err instanceof ApiFailure) {
    const b = err.body;
    const fieldToFlag = { ...(spec.fields ?? {}), requestId: '--request-id' };
    if (b.status === 422) {
      const problems = (b.problems?.length ? b.problems : [b.message]).map((p) => flagged(p, fieldToFlag));
      return new UsageError(
        problems.map((p) => `${who}: ${oneLine(p)} (nothing was sent)`).join('; '),
        problems.map((p) => `${who}: ${oneLine(p)}`),
      );
    }
    if (b.code === 'same-amount') {
      const e = b.earlier as { amount: number; paidOn: string; requestId: string };
      return new RefusedError(
        `${who}: a payment of ${yen(e.amount)} was recorded on ${e.paidOn} (request id ${e.requestId}); if this is another payment, repeat with --same-amount-ok (nothing was sent)`,
      );
    }
    if (b.status === 409 && b.code === 'refused')
      return new RefusedError(b.rule ? `${who}: refused (${b.rule}): ${oneLine(b.message)}` : `${who}: ${oneLine(b.message)}`, b.rule ?? null);
    if (b.status === 409 || b.status === 403) return new RefusedError(`${who}: ${oneLine(b.message)}`);
    if (b.status === 404) return new CliError(`${who}: ${oneLine(b.message)}`);
    if (b.status === 401) return new CliError(`${who}: ${oneLine(b.message)}`);
    return new CliError(`${who}: ${oneLine(b.message)}${b.status === 0 || b.status >= 500 ? retry : ''}`);
  }
  return new CliError(`${who}: ${oneLine((err as Error)?.message ?? String(err))}${retry}`);
}

/** The IO of a real process: stdout/stderr, the environment, the back office's API with the person's token. */
export function processIo(): CliIo {
  return {
    out: (text) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    env: process.env,
    settings: () => loadSettings(process.env),
    writeFile: (path, data) => (typeof data === 'string' ? writeFile(path, data, 'utf8') : writeFile(path, data)),
  };
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
  if (name === 'bank') {
    const sub = rest[0];
    const text = `usage: neutrix bank import|files|show|unmatched|assign|return …\n\n${bankCommands.map((c) => `  ${c.name.slice('bank '.length).padEnd(10)} ${c.summary}`).join('\n')}`;
    if (sub && byName.has(`bank ${sub}`)) {
      name = `bank ${sub}`;
      rest = rest.slice(1);
    } else {
      if (sub === '--help' || sub === '-h') {
        io.out(text);
        return EXIT.ok;
      }
      io.err(`neutrix bank: expected import, files, show, unmatched, assign or return${sub ? `, got '${sub}'` : ''}\n${text}`);
      return EXIT.usage;
    }
  }
  // `customer <id>` shows one; `customer add-payer-name <id> <name>` changes it.
  if (name === 'customer' && rest[0] === 'add-payer-name') {
    name = 'customer add-payer-name';
    rest = rest.slice(1);
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
    let api: Api | undefined;
    const ctx: Context = {
      io,
      json,
      requestId,
      requestIdGiven: rid.given,
      now: io.now ?? Date.now,
      api: () => {
        api ??= io.api?.() ?? apiClient(apiUrlOf(io.settings()), io.env.NEUTRIX_API_TOKEN, fetch, io.env.NEUTRIX_LANG === 'ja' ? 'ja' : 'en');
        return api;
      },
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
  }
}
