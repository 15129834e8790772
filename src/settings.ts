/**
 * Every setting of the system, read from the environment once and validated, so a typo fails at start
 * with the variable's name instead of surfacing as a wrong invoice later. docs/operations.md#settings lists them.
 */
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_DUNNING, DUNNING_LIMITS, dunningProblems, type DunningLadder } from './domain/dunning';
import { projectRoot } from './files';

const positiveInt = z.coerce.number().int().positive();
/** The examples the invoice settings ship with: a document made with one is a 見本 / SAMPLE, and the start warns. */
export const EXAMPLE_SETTINGS = {
  INVOICE_REGISTRATION_NUMBER: 'T1234567890123',
  INVOICE_BANK_ACCOUNT: '三井住友銀行 本店営業部 普通 1234567 カ）オプテージ',
} as const;

/** The settings a document states that still hold their example (none: a real document). */
export function examplesIn(d: { registrationNumber?: string; bankAccount?: string }): Array<keyof typeof EXAMPLE_SETTINGS> {
  return [
    ...(d.registrationNumber === EXAMPLE_SETTINGS.INVOICE_REGISTRATION_NUMBER ? ['INVOICE_REGISTRATION_NUMBER' as const] : []),
    ...(d.bankAccount?.trim() === EXAMPLE_SETTINGS.INVOICE_BANK_ACCOUNT ? ['INVOICE_BANK_ACCOUNT' as const] : []),
  ];
}

/** One line per setting still holding its example, for the start (worker and console) to print. */
export function exampleSettingWarnings(s: Pick<Settings, 'INVOICE_REGISTRATION_NUMBER' | 'INVOICE_BANK_ACCOUNT'>): string[] {
  return examplesIn({ registrationNumber: s.INVOICE_REGISTRATION_NUMBER, bankAccount: s.INVOICE_BANK_ACCOUNT }).map(
    (name) => `settings: ${name} still holds the example "${EXAMPLE_SETTINGS[name]}": invoices made with it are marked 見本 / SAMPLE; set the provider's own`,
  );
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
/** https, or http on this machine only (a local identity provider for development and tests). */
const httpsUrl = z
  .string()
  .url()
  .refine((v) => {
    const u = new URL(v);
    return u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.has(u.hostname));
  }, 'expected an https:// URL (http:// only on localhost or 127.0.0.1)');
/** D-31: one step of the dunning ladder: a whole number of days, or `off`. */
const dunningStep = (step: keyof DunningLadder) => {
  const { min, max, what } = DUNNING_LIMITS[step];
  return z
    .string()
    .trim()
    .toLowerCase()
    .default(String(DEFAULT_DUNNING[step] ?? 'off'))
    .refine((v) => v === 'off' || (/^\d+$/.test(v) && Number(v) >= min && Number(v) <= max), `expected a whole number of ${what} from ${min} to ${max}, or off`)
    .transform((v) => (v === 'off' ? null : Number(v)));
};
/** D-31: the setting of each step of the ladder. */
export const DUNNING_SETTINGS = {
  reminderDays: 'DUNNING_REMINDER_DAYS',
  secondNoticeDays: 'DUNNING_SECOND_NOTICE_DAYS',
  warningDays: 'DUNNING_WARNING_DAYS',
} as const satisfies Record<keyof DunningLadder, string>;
/** D-31: every step off (the simulator: docs/simulator.md lists only the terms' notices). */
export const DUNNING_OFF = { DUNNING_REMINDER_DAYS: 'off', DUNNING_SECOND_NOTICE_DAYS: 'off', DUNNING_WARNING_DAYS: 'off' } as const;

/** The settings of single sign-on: all of them, or none. */
export const OIDC_REQUIRED = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const;

const schema = z
  .object({
    TASK_QUEUE: z.string().min(1).default('contracts'),
    DATA_DIR: z.string().min(1).default(resolve(projectRoot, 'data')),
    TEMPORAL_ADDRESS: z.string().optional(),
    TEMPORAL_PROFILE: z.string().optional(),
    TEMPORAL_PORT: positiveInt.default(7233),
    TEMPORAL_UI_PORT: positiveInt.default(8233),
    // Payload encryption keys (src/infra/codec.ts): `id:base64key,…` newest first, or a path to a file of them.
    NEUTRIX_CODEC_KEYS: z.string().trim().min(1).optional(),
    // The back-office console, on 127.0.0.1.
    CONSOLE_PORT: positiveInt.max(65535).default(3000),
    // The console's names besides localhost, 127.0.0.1 and [::1] (with CONSOLE_PORT), comma-separated host[:port]:
    // e.g. the name a TLS proxy forwards. Any other Host header is refused (421).
    CONSOLE_HOSTS: z
      .string()
      .optional()
      .transform((v) =>
        v
          ?.split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .refine(
        (v) => !v || v.every((h) => /^([a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:]+\])(:\d{1,5})?$/i.test(h)),
        'expected host names like console.example.com or console.example.com:8443, comma-separated',
      ),
    // Signs the console's session cookie (at least 32 characters); unset: a random one in DATA_DIR/keys/console-session-secret.
    CONSOLE_SESSION_SECRET: z.string().min(32, 'at least 32 characters').optional(),
    // Single sign-on to the console by OpenID Connect (src/console/oidc.ts): the three together, or none of
    // them (password only). OIDC_REDIRECT_URI unset: http://127.0.0.1:CONSOLE_PORT/sign-in/oidc/callback.
    OIDC_ISSUER: httpsUrl.optional(),
    OIDC_CLIENT_ID: z.string().trim().min(1, 'empty').optional(),
    OIDC_CLIENT_SECRET: z.string().min(1, 'empty').optional(),
    OIDC_REDIRECT_URI: httpsUrl
      .refine(
        (v) => new URL(v).pathname.endsWith('/sign-in/oidc/callback') && !new URL(v).search && !new URL(v).hash,
        "expected the console's callback, a URL ending in /sign-in/oidc/callback (no query)",
      )
      .optional(),
    // Origins allowed to call the console's /codec with credentials (comma-separated; a Web UI served elsewhere);
    // unset: none (the embedded Web UI is proxied on the console's own origin).
    CODEC_CORS_ORIGINS: z
      .string()
      .optional()
      .transform((v) =>
        v
          ? v
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
          : undefined,
      )
      .refine(
        (v) => !v || v.every((o) => /^https?:\/\/[^/\s]+$/.test(o)),
        'expected origins like https://ui.example.com, comma-separated (scheme and host, no path)',
      ),
    // Mail to the back office's people (a four-eyes request waiting for a supervisor) goes to <login>@STAFF_MAIL_DOMAIN;
    // unset: none is sent (the work queue still shows the request). CONSOLE_URL: the console's address in such mail.
    STAFF_MAIL_DOMAIN: z
      .string()
      .trim()
      .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i, 'expected a mail domain like neutrix.example (the part after @)')
      .optional(),
    CONSOLE_URL: httpsUrl.optional(),
    DATABASE_URL: z.string().url().optional(),
    SMTP_URL: z.string().url().optional(),
    MAIL_FROM: z.string().min(3).default('Neutrix Cloud <billing@neutrix.example>'),
    INVOICE_ISSUER_NAME: z.string().min(1).default('株式会社オプテージ (OPTAGE Inc.)'),
    INVOICE_REGISTRATION_NUMBER: z
      .string()
      .regex(/^T\d{13}$/, 'a qualified-invoice registration number is T followed by 13 digits')
      .default(EXAMPLE_SETTINGS.INVOICE_REGISTRATION_NUMBER),
    // On every invoice document (PDF and HTML), fixed in it at issue: the issuer's address and the transfer account.
    INVOICE_ISSUER_ADDRESS: z
      .string()
      .trim()
      .min(5, 'at least 5 characters (the issuer address printed on invoices)')
      .max(200, 'at most 200 characters (the issuer address printed on invoices)')
      .default('〒530-0005 大阪府大阪市北区中之島3丁目6番32号'),
    INVOICE_BANK_ACCOUNT: z
      .string()
      .trim()
      .min(5, 'at least 5 characters (bank, branch, type, number, holder)')
      .max(200, 'at most 200 characters (the transfer account printed on invoices)')
      .default(EXAMPLE_SETTINGS.INVOICE_BANK_ACCOUNT),
    // Issue 29: the virtual accounts (バーチャル口座) the provider's bank gave it, "first-last" (7 digits each):
    // a customer's virtual account is one of them.
    VIRTUAL_ACCOUNT_RANGE: z
      .string()
      .regex(/^\d{7}-\d{7}$/, 'expected the range of virtual account numbers as first-last, 7 digits each (3000000-3999999)')
      .refine((r) => !/^\d{7}-\d{7}$/.test(r) || r.slice(0, 7) <= r.slice(8), 'the first number of the range is after its last')
      .default('3000000-3999999'),
    // The ledger's local service for the CLI (a Unix socket; its folder's permissions are the access control).
    LEDGER_SOCKET: z.string().min(1).max(100, 'a Unix socket path is at most 100 characters').optional(),
    // How long Temporal keeps a closed contract's history (encrypted, no personal data) for ops, set at start.
    NAMESPACE_RETENTION_DAYS: positiveInt.max(3650).default(30),
    // The back office's HTTP API the CLI calls (unset: the console's on localhost:CONSOLE_PORT); the CLI's
    // person is that of its personal API token, NEUTRIX_API_TOKEN, never a setting.
    NEUTRIX_API_URL: httpsUrl.optional(),
    BILLING_CONCURRENCY: positiveInt.default(20),
    WORKER_MAX_CACHED_WORKFLOWS: positiveInt.default(2000),
    // The worker's Prometheus endpoint (SDK metrics and the project's neutrix_*), on 127.0.0.1; 0: none.
    METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
    // The worker's log level; logs are JSON lines on standard output.
    LOG_LEVEL: z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
    // D-31, the dunning ladder: days before the due day, after it, before D-14's suspension day; or off.
    DUNNING_REMINDER_DAYS: dunningStep('reminderDays'),
    DUNNING_SECOND_NOTICE_DAYS: dunningStep('secondNoticeDays'),
    DUNNING_WARNING_DAYS: dunningStep('warningDays'),
  })
  .superRefine((s, ctx) => {
    // Each step's own range is its field's message; here the order of two steps within their ranges.
    for (const p of dunningProblems(dunningLadderOf(s)).filter((p) => p.kind === 'order'))
      ctx.addIssue({ code: 'custom', path: [DUNNING_SETTINGS[p.step]], message: `${p.message}; lower DUNNING_SECOND_NOTICE_DAYS or DUNNING_WARNING_DAYS` });
    const given = OIDC_REQUIRED.filter((k) => s[k] !== undefined);
    if (given.length === 0) {
      if (s.OIDC_REDIRECT_URI !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['OIDC_ISSUER'],
          message: `required when OIDC_REDIRECT_URI is set (single sign-on needs ${OIDC_REQUIRED.join(', ')})`,
        });
      return;
    }
    for (const k of OIDC_REQUIRED)
      if (s[k] === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [k],
          message: `required when ${given.join(' and ')} ${given.length > 1 ? 'are' : 'is'} set (single sign-on needs ${OIDC_REQUIRED.join(', ')}; unset them all for the password only)`,
        });
  });

export type Settings = z.infer<typeof schema>;

/** D-31: the dunning ladder the settings give (what the worker hands the contract workflows). */
export function dunningLadderOf(s: Pick<Settings, (typeof DUNNING_SETTINGS)[keyof DunningLadder]>): DunningLadder {
  return { reminderDays: s.DUNNING_REMINDER_DAYS, secondNoticeDays: s.DUNNING_SECOND_NOTICE_DAYS, warningDays: s.DUNNING_WARNING_DAYS };
}

/** Where the ledger's local service listens: LEDGER_SOCKET, else DATA_DIR/run/ledger.sock. */
export function ledgerSocketPath(s: Settings): string {
  return s.LEDGER_SOCKET ?? join(s.DATA_DIR, 'run', 'ledger.sock');
}

/** The HTTP API the CLI calls: NEUTRIX_API_URL, else the console's on this machine. */
export function apiUrlOf(s: Settings): string {
  return s.NEUTRIX_API_URL ?? `http://localhost:${s.CONSOLE_PORT}/api/v1`;
}

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid settings:\n  ${lines.join('\n  ')}`);
  }
  return parsed.data;
}
