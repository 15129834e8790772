/** Parsing with zod, answered as one line per problem that names the field: `field: reason`. */
import type { z } from 'zod';

/** C0 controls but tab, LF and CR, and DEL: never in text a person typed. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point of the pattern is to find them
export const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
export const LINE_BREAK_OR_TAB = /[\t\n\r]/;

/** One line per problem: `field: reason (got value)`. */
export function describeIssues(error: z.ZodError, prefix = ''): string[] {
  return error.issues.map((i) => {
    const path = [prefix, ...i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))].join('').replace(/^\./, '');
    return `${path || '(input)'}: ${i.message}`;
  });
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: string[] };
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): Parsed<z.output<S>> {
  const r = schema.safeParse(input);
  return r.success ? { ok: true, value: r.data } : { ok: false, problems: describeIssues(r.error, prefix) };
}

/** Hours as typed (`1.5`, `2`) → a number; anything else as given, for the `hours` schema to name (D-19). */
export function hoursText(text: string | boolean | undefined): unknown {
  return typeof text === 'string' && /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text.trim()) : text;
}
