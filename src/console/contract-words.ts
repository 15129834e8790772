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

/** Names people by id (the signed-in person at least); unknown ids stay as the contract wrote them. */
export type NameOf = (id: string) => string | undefined;

/** The refusal's text in both languages; `names` turns the facts' `byId` into the person's name. */
export function refusalWords(r: RefusalLike, names: NameOf = () => undefined): { ja: string; en: string } {
  if (!r.code || !r.facts) return { ja: r.message ?? '', en: r.message ?? '' };
  const facts = { ...r.facts };
  const name = typeof facts.byId === 'string' ? names(facts.byId) : undefined;
  const say = (lang: 'ja' | 'en') => {
    const inLang = lang === 'en' ? englishRule(facts) : facts;
    const f = name ? { ...inLang, by: lang === 'ja' ? `${name} さん` : name } : inLang;
    return refusalIn(lang, r.code!, f) ?? r.message ?? '';
  };
  return { ja: say('ja'), en: say('en') };
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

/** `129800 yen` as an English reader reads it: `129,800 yen`. */
const separated = (text: string) => text.replace(/(-?\d{4,}) yen\b/g, (_m, n: string) => `${Number(n).toLocaleString('en-US')} yen`);

/** An accepted command's banner: the command's name and what it did, in the page's language. */
export function answerLine(t: T, name: string, result: CommandResult, names: NameOf = () => undefined): string {
  const w = commandWords(name);
  const said = result.said;
  if (!said) return `${t(w.ja, w.en)}: ${separated(result.summary)}`;
  const facts = { ...said.facts };
  const who = typeof facts.byId === 'string' ? names(facts.byId) : undefined;
  const ja = summaryIn('ja', said.code, who ? { ...facts, by: `${who} さん` } : facts) ?? result.summary;
  const en = summaryIn('en', said.code, { ...englishRule(facts), ...(who ? { by: who } : {}) }) ?? result.summary;
  return `${t(w.ja, w.en)}: ${t(ja, separated(en))}`;
}
