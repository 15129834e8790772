/**
 * The frame every back-office command shares: its flags (node:util parseArgs), its help text, argument
 * validation with the domain's zod schemas (messages name the flag), the request id, and the output
 * channels (readable text by default, JSON with --json).
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { z } from 'zod';
import type { Settings } from '../settings';
import type { Api } from './api-client';
import { contractId as contractIdSchema } from '../domain/validation';
import { parseYenText } from '../domain/money';

/** Exit codes: 0 done, 1 other errors, 2 invalid arguments (nothing was sent), 3 refused by the contract. */
export const EXIT = { ok: 0, error: 1, usage: 2, refused: 3 } as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.error,
  ) {
    super(message);
  }
}
/** Invalid arguments, found before anything was sent. */
export class UsageError extends CliError {
  constructor(
    message: string,
    readonly problems: string[] = [message],
  ) {
    super(message, EXIT.usage);
  }
}
/** The contract refused the command (the rule and the reason); nothing changed. */
export class RefusedError extends CliError {
  constructor(
    message: string,
    readonly rule: string | null = null,
  ) {
    super(message, EXIT.refused);
  }
}

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** The placeholder in the help text, e.g. `YYYY-MM-DD`. */
  value?: string;
  help: string;
  short?: string;
}

export type Values = Record<string, string | boolean | undefined>;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  settings(): Settings;
  /** The back office's HTTP API; default: NEUTRIX_API_URL with the person's NEUTRIX_API_TOKEN. */
  api?(): Api;
  /** Text as UTF-8; bytes (an invoice's PDF) as they are. */
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
  /** Milliseconds to wait between progress polls (tests shorten it). */
  pollMs?: number;
  /** The clock (tests may not need it; defaults to Date.now). */
  now?: () => number;
}

export interface Context {
  io: CliIo;
  json: boolean;
  /** The request id this invocation sends (the --request-id flag, or a fresh UUID). */
  requestId: string;
  requestIdGiven: boolean;
  /** The back office's HTTP API, as the person of the API token: every read and command goes through it. */
  api(): Api;
  now(): number;
  /** Text for a person; ignored with --json. */
  say(text: string): void;
  /** The JSON document of the command (only with --json). */
  emit(doc: unknown): void;
}

export interface CommandSpec {
  name: string;
  summary: string;
  /** Positional arguments, in order (all required), e.g. ['contract']. */
  args?: string[];
  options: Record<string, OptionSpec>;
  /** Whether the command sends a change (adds --request-id). */
  sendsRequest?: boolean;
  /** A field the API names in a problem → the flag a person typed it with. */
  fields?: Record<string, string>;
  /** Extra help: rules, examples. */
  notes?: string[];
  // biome-ignore lint/suspicious/noConfusingVoidType: a command answers its exit code, or nothing when it succeeded
  run(ctx: Context, values: Values, positionals: string[]): Promise<number | void>;
}

const COMMON: Record<string, OptionSpec> = {
  json: { type: 'boolean', help: 'print JSON for scripts instead of text' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};
const REQUEST_ID: OptionSpec = {
  type: 'string',
  value: 'ID',
  help: 'the request id (default: a fresh UUID, printed); repeat a command with the same id to retry it safely — it takes effect once',
};

export function allOptions(spec: CommandSpec): Record<string, OptionSpec> {
  return { ...spec.options, ...(spec.sendsRequest ? { 'request-id': REQUEST_ID } : {}), ...COMMON };
}

export function commandHelp(spec: CommandSpec): string {
  const opts = allOptions(spec);
  const usage = `usage: neutrix ${spec.name}${(spec.args ?? []).map((a) => ` <${a}>`).join('')} [options]`;
  const rows = Object.entries(opts).map(([name, o]) => [`${o.short ? `-${o.short}, ` : ''}--${name}${o.value ? ` <${o.value}>` : ''}`, o.help] as const);
  const width = Math.max(...rows.map(([f]) => f.length));
  return [
    usage,
    '',
    spec.summary,
    '',
    'options:',
    ...rows.map(([f, h]) => `  ${f.padEnd(width)}  ${h}`),
    ...(spec.notes?.length ? ['', ...spec.notes] : []),
  ].join('\n');
}

/**
 * `--amount -500` as `--amount=-500`: parseArgs takes a value starting with a dash for another flag and
 * refuses it as ambiguous, but a negative yen amount (a credit) is a value the clerk means.
 */
function joinNegativeValues(argv: string[], opts: Record<string, OptionSpec>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return [...out, ...argv.slice(i)]; // the rest are positionals
    const next = argv[i + 1];
    if (arg.startsWith('--') && opts[arg.slice(2)]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** Parse a command's flags; unknown flags, missing values and missing arguments are usage errors. */
export function parseCommandArgs(spec: CommandSpec, argv: string[]): { values: Values; positionals: string[]; help: boolean } {
  const opts = allOptions(spec);
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: joinNegativeValues(argv, opts),
      options: Object.fromEntries(Object.entries(opts).map(([k, o]) => [k, o.short ? { type: o.type, short: o.short } : { type: o.type }])),
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    const message = (err as Error).message.split('\n')[0]!.replace(/\. To specify a positional argument.*$/, '');
    throw new UsageError(`${message} (see 'neutrix ${spec.name} --help')`);
  }
  const values = parsed.values as Values;
  if (values.help) return { values, positionals: parsed.positionals, help: true };
  const expected = spec.args ?? [];
  if (parsed.positionals.length < expected.length)
    throw new UsageError(`missing <${expected[parsed.positionals.length]}> (usage: neutrix ${spec.name}${expected.map((a) => ` <${a}>`).join('')} [options])`);
  if (parsed.positionals.length > expected.length)
    throw new UsageError(`unexpected argument '${parsed.positionals[expected.length]}' (see 'neutrix ${spec.name} --help')`);
  return { values, positionals: parsed.positionals, help: false };
}

export function newRequestId(given: string | boolean | undefined): { requestId: string; given: boolean } {
  return typeof given === 'string' ? { requestId: given, given: true } : { requestId: randomUUID(), given: false };
}

/** A value as echoed in an error: a pasted 10 MB string must not fill the clerk's terminal. */
const shortened = (raw: string, max = 60) => (raw.length > max ? `${raw.slice(0, max - 1)}… (${raw.length} characters)` : raw);

/**
 * Validate `input` with a domain schema; each problem names the flag it came from (`fieldToFlag` maps a
 * dotted field path, or its first segments, to a flag) and, where there is one, the value given.
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown, fieldToFlag: Record<string, string>, given: Values = {}): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const problems = r.error.issues.map((issue) => {
    const path = issue.path.map(String);
    let flag: string | undefined;
    for (let n = path.length; n >= 0 && !flag; n--) flag = fieldToFlag[path.slice(0, n).join('.')];
    const name = flag ?? (path.length ? path.join('.') : '(input)');
    const raw = flag ? given[flag.startsWith('--') ? flag.slice(2) : flag] : undefined;
    return `${name}: ${issue.message}${typeof raw === 'string' ? ` (got "${shortened(raw)}")` : ''}`;
  });
  throw new UsageError(problems.join('; '), problems);
}

/** The contract id argument, checked before anything is sent. */
export function contractIdArg(value: string): string {
  return validate(contractIdSchema, value, { '': '<contract>' }, { '<contract>': value }) as string;
}

/** `84700`, `84,700`, `84,700円` → 84700; anything else is left for the schema to name. */
export function yenArg(value: string | boolean | undefined): unknown {
  if (typeof value !== 'string') return value;
  return parseYenText(value) ?? value;
}

/** A whole count: `3` → 3; anything else is left for the schema to name. */
export function countArg(value: string | boolean | undefined): unknown {
  if (typeof value !== 'string') return value;
  return /^\d+$/.test(value.trim()) ? Number(value.trim()) : value;
}
