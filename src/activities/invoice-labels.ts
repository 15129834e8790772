/**
 * What the customer reads on an invoice, one source for the PDF and the HTML document: each line kind's
 * label (Japanese, English), the line's detail, and its basis — the article the line applies (別表, 第N条,
 * with its decision, docs/decisions.md), or for a back-office charge the reason recorded with it (別表2 notes:
 * a quoted price; 別表3 §4, §7: an adjustment with a reason), never an internal name. Also the notes on a
 * fee left out (別表3 §1: the first month's cloud fee).
 */
import { extraChargeReason } from '../domain/charges';
import { articleOf, ruleInEnglish } from '../domain/rules';
import type { InvoiceLine, InvoiceNote, LineKind } from '../domain/types';
import { jaDate, yenText } from './mail/format';

export interface Bilingual {
  ja: string;
  en: string;
}

/** The customer's name of each line kind; the domain's descriptions begin with the Japanese one. */
export const LINE_LABELS: Record<LineKind, Bilingual> = {
  initialFee: { ja: '初期費用', en: 'Initial fee' },
  componentAddition: { ja: 'コンポーネント追加費用', en: 'Component addition fee' },
  managedMonthly: { ja: 'マネージドサービス月額料金', en: 'Managed service monthly fee' },
  metricCapOption: { ja: 'メトリック上限緩和オプション', en: 'Metric-cap relaxation option' },
  cloudMonthly: { ja: 'Neutrix Cloud 利用料', en: 'Neutrix Cloud resource fee' },
  earlyTermination: { ja: '中途解約金', en: 'Early termination fee' },
  downgradeSettlement: { ja: '契約変更精算金', en: 'Downgrade settlement' },
  lateDamages: { ja: '遅延損害金', en: 'Late-payment damages' },
  outageCredit: { ja: '障害による料金減額', en: 'Outage credit' },
  damagesReduction: { ja: '損害賠償による減額', en: 'Damages, as a fee reduction' },
  evadedCharge: { ja: '不法に免れた料金', en: 'Evaded charges' },
  penaltySurcharge: { ja: '割増金', en: 'Penalty surcharge' },
  convenienceCompensation: { ja: '当社都合解約の補償', en: 'Compensation for termination for convenience' },
  extraCharge: { ja: '追加料金', en: 'Extra charge' },
};
const REDUCTION: Bilingual = { ja: '減額調整', en: 'Reduction' };

export interface CustomerLine {
  label: Bilingual;
  /** The description after its label (the computation, English in brackets); null when nothing is left. */
  detail: string | null;
  /** The article applied (ja as the terms cite it, en as the English text does), or the recorded reason. */
  basis: Bilingual;
}

/** A stored line as the customer reads it. */
export function customerLine(l: Pick<InvoiceLine, 'kind' | 'amount' | 'description' | 'rule' | 'priceList'>): CustomerLine {
  if (l.kind === 'extraCharge') {
    // Not a price of 別表2: a charge the back office added with its reason, which is its basis.
    const reason = extraChargeReason(l.description);
    return {
      label: l.amount < 0 ? REDUCTION : LINE_LABELS.extraCharge,
      detail: null,
      basis: { ja: `理由 / Reason: ${reason}`, en: `理由 / Reason: ${reason}` },
    };
  }
  const label = LINE_LABELS[l.kind] ?? { ja: l.description, en: '' };
  const rest = l.description.startsWith(label.ja) ? l.description.slice(label.ja.length).trim() : l.description;
  // The article only: a decision number (D-n) is internal, the customer cannot look it up.
  const article = articleOf(l.rule);
  // D-17: a line priced from the price list names the version it used.
  const ja = l.priceList ? `${article}\n料金表 ${l.priceList}` : article;
  const en = l.priceList ? `${ruleInEnglish(article)}\nprice list ${l.priceList}` : ruleInEnglish(article);
  return { label, detail: rest === '' ? null : rest, basis: { ja, en } };
}

/** Why a fee is not on the invoice, in the customer's words. */
export function noteText(n: InvoiceNote): Bilingual {
  switch (n.kind) {
    case 'cloudFeeWaived':
      return {
        ja: `Neutrix Cloud 利用料（月額 ${yenText(n.amount)}）は、ご利用開始日 ${jaDate(n.startDate)} が当月の第2営業日以降のため、初月分をご請求しません（${articleOf(n.rule)}）。`,
        en: `The Neutrix Cloud resource fee (${yenText(n.amount)} a month) is not charged for the first month: usage began on ${n.startDate}, on or after the month's 2nd business day (${ruleInEnglish(articleOf(n.rule))}).`,
      };
  }
}

/**
 * A Japanese address as it is written: the postal code (〒) on its own line, then the address, broken only
 * where it has a space (before a building's name) and only when the next part does not fit.
 */
export function addressLines(address: string, fits: (line: string) => boolean): string[] {
  const m = /^(〒?\s*\d{3}-?\d{4})\s+(.+)$/.exec(address.trim());
  const lines: string[] = m ? [m[1]!] : [];
  let line = '';
  for (const word of (m ? m[2]! : address).trim().split(/\s+/)) {
    if (line && !fits(`${line} ${word}`)) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}
