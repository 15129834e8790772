/**
 * The contract's answers as the console shows them: in the page's language from the message catalogue —
 * a refusal with its rule, an accepted command by what it did — amounts with separators, and the person by
 * name where the contract names them by id. An answer without a code (none is expected; an older worker's
 * would be one) shows the contract's English words as they are.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { EdgeRefusal } from '../backoffice/command-path';
import type { CommandResult } from '../domain/contract';
import { commandWords, refusalIn, summaryIn, type Facts } from '../domain/messages';
import { ruleInEnglish } from '../domain/rules';
import type { T } from './html';

interface RefusalLike {
  rule?: string;
  code?: string;
  facts?: Facts;
  message?: string;
}

/** A rule among the facts as an English reader cites it (Art. N, Appendix N). */
const englishRule = (f: Facts): Facts => (typeof f.rule === 'string' ? { ...f, rule: ruleInEnglish(f.rule) } : f);

/** `129800 yen` as an English reader reads it: `129,800 yen`. */
const separated = (text: string) => text.replace(/(-?\d{4,}) yen\b/g, (_m, n: string) => `${Number(n).toLocaleString('en-US')} yen`);

/** Names people by id (the signed-in person at least); unknown ids stay as the contract wrote them. */
export type NameOf = (id: string) => string | undefined;

/**
 * A catalogue entry in both languages: the person named (`byId`) by name, the rule and amounts as each
 * reader writes them; `fallback` (the contract's English) when the code is unknown.
 */
function inBoth(say: (lang: 'ja' | 'en', facts: Facts) => string | null, facts: Facts, names: NameOf, fallback: string): { ja: string; en: string } {
  const name = typeof facts.byId === 'string' ? names(facts.byId) : undefined;
  const ja = say('ja', name ? { ...facts, by: `${name} さん` } : facts) ?? fallback;
  const en = say('en', { ...englishRule(facts), ...(name ? { by: name } : {}) }) ?? fallback;
  return { ja, en: separated(en) };
}

/** The refusal's text in both languages; `names` turns the facts' `byId` into the person's name. */
export function refusalWords(r: RefusalLike, names: NameOf = () => undefined): { ja: string; en: string } {
  const fallback = r.message ?? '';
  return r.code && r.facts ? inBoth((lang, f) => refusalIn(lang, r.code!, f), r.facts, names, fallback) : { ja: fallback, en: fallback };
}

/** `refusal (rule)` in the page's language. */
export function refusalLine(t: T, r: RefusalLike, names?: NameOf): string {
  const w = refusalWords(r, names);
  return r.rule ? t(`${w.ja} (${r.rule})`, `${w.en} (${ruleInEnglish(r.rule)})`) : t(w.ja, w.en);
}

/** The contract's or the back office's refusal inside `err`, or null when `err` is no refusal of theirs. */
export function refusalOf(err: unknown): RefusalLike | null {
  const cause = err instanceof WorkflowUpdateFailedError ? (err.cause ?? err) : err;
  if (cause instanceof ApplicationFailure && (cause.type === 'Refused' || cause.type === 'ProviderActionRefused')) {
    const r = cause.details?.[0] as RefusalLike | undefined;
    if (r?.message) return r;
  }
  if (cause instanceof EdgeRefusal && cause.refusal) return cause.refusal;
  return null;
}

/** A back-office refusal's text: the catalogue's words when the domain refused, else its own (field: reason). */
export function edgeRefusalText(t: T, err: Error): string {
  const r = refusalOf(err);
  return r ? refusalLine(t, r) : err.message;
}

/** An accepted command's banner: the command's name and what it did, in the page's language. */
export function answerLine(t: T, name: string, result: CommandResult, names: NameOf = () => undefined): string {
  const w = commandWords(name);
  const said = result.said;
  const what = said
    ? inBoth((lang, f) => summaryIn(lang, said.code, f), said.facts, names, result.summary)
    : { ja: result.summary, en: separated(result.summary) };
  return `${t(w.ja, w.en)}: ${t(what.ja, what.en)}`;
}
