/** What an accepted command did: the English summary for the audit and logs, and the catalogue's code and facts for screens. */
import { SUMMARIES, type Facts, type SummaryCode, type SummaryFactsOf } from '../messages';

export interface Said {
  code: SummaryCode;
  facts: Facts;
}

export const done = <C extends SummaryCode>(code: C, facts: SummaryFactsOf<C>): { summary: string; said: Said } => ({
  summary: (SUMMARIES[code].en as (f: SummaryFactsOf<C>) => string)(facts),
  said: { code, facts },
});
