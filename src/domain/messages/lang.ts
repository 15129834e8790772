/**
 * The back office's two languages and how a message is written in each. The message catalogue
 * (this folder) is the one place the console, the CLI and the mails take their shared words from:
 * statuses, notices, four-eyes steps, refusals, field names. A message is a function of its facts in
 * each language, so a missing translation is a type error, and the catalogue test reads every entry.
 */
import { formatYen } from '../money';

export type Lang = 'ja' | 'en';
export const LANGS: readonly Lang[] = ['ja', 'en'];

/** One message in both languages. */
export interface Words {
  ja: string;
  en: string;
}

/** Whole yen with separators: 1,234円 in Japanese, 1,234 yen in English. */
export function yenIn(lang: Lang, value: number): string {
  return lang === 'ja' ? formatYen(value) : `${formatYen(value).slice(0, -1)} yen`;
}

/** Something made in each language, English at once and Japanese on first use (schemas with their messages). */
export function perLang<T>(make: (lang: Lang) => T): (lang: Lang) => T {
  const en = make('en');
  let ja: T | undefined;
  return (lang) => {
    if (lang === 'en') return en;
    if (ja === undefined) ja = make('ja');
    return ja;
  };
}
