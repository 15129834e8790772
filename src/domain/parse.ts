/** Parsing with zod, answered as one line per problem that names the field: `field: reason`. */
import { z } from 'zod';
import { perLang, type Lang, type Words } from './messages/lang';
import { fieldWords } from './messages/validation';

/** C0 controls but tab, LF and CR, and DEL: never in text a person typed. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point of the pattern is to find them
export const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
export const LINE_BREAK_OR_TAB = /[\t\n\r]/;

/** zod's own messages (a check the schema gives no message of its own) in Japanese, made once. */
const zodErrorsIn = perLang((lang) => (lang === 'ja' ? z.locales.ja().localeError : undefined));

/**
 * One line per problem. English: `field: reason` (the CLI's, the API's and the workflows' text). Japanese:
 * `ラベル (field): reason`, the field as the console's forms label it and as its key names it.
 */
export function describeIssues(error: z.ZodError, prefix = '', lang: Lang = 'en'): string[] {
  return error.issues.map((i) => {
    const path = [prefix, ...i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))].join('').replace(/^\./, '');
    const last = [prefix, ...i.path].filter((p): p is string => typeof p === 'string' && p !== '').at(-1);
    return line(path, last, i.message, lang);
  });
}
function line(path: string, last: string | undefined, message: string, lang: Lang): string {
  if (lang === 'en') return `${path || '(input)'}: ${message}`;
  const label = last === undefined ? undefined : fieldWords(last)?.ja;
  return path ? `${label ? `${label} (${path})` : path}: ${message}` : message;
}
/** One problem the edge finds itself (no schema), as `describeIssues` writes one: `field: reason`. */
export const problemLine = (field: string, reason: Words, lang: Lang = 'en'): string => line(field, field, reason[lang], lang);

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: string[] };
/** `lang`: the language of zod's own messages and of the lines; the schema's own messages are built in theirs (`schemasIn`). */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, prefix = '', lang: Lang = 'en'): Parsed<z.output<S>> {
  const error = zodErrorsIn(lang);
  const r = error ? schema.safeParse(input, { error }) : schema.safeParse(input);
  return r.success ? { ok: true, value: r.data } : { ok: false, problems: describeIssues(r.error, prefix, lang) };
}

/** Hours as typed (`1.5`, `2`) → a number; anything else as given, for the `hours` schema to name (D-19). */
export function hoursText(text: string | boolean | undefined): unknown {
  return typeof text === 'string' && /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text.trim()) : text;
}
