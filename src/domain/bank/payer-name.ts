/**
 * A payer's name (振込依頼人名) as banks print it, made comparable (issue 29, D-30): the same company
 * reads alike whether it was typed in full or half width, with small kana or long-vowel marks, with spaces,
 * or with its legal form spelled out, abbreviated before the name (カ)サンプル) or after it (サンプル(カ).
 * Width is Unicode's own compatibility normalisation (NFKC), never a table of ours.
 */

/**
 * The legal forms as banks abbreviate them in a transfer's name (全銀協's 略語: 株式会社 カ, 有限会社 ユ,
 * 合同会社 ド, 合名会社 メ, 合資会社 シ, 医療法人 イ, 財団法人 ザイ, 社団法人 シヤ, 学校法人 ガク, 一般社団法人
 * シヤ, 特定非営利活動法人 トクヒ) and as they are spelled out in kana.
 */
const ABBREVIATIONS = ['カ', 'ユ', 'ド', 'メ', 'シ', 'イ', 'ザイ', 'シヤ', 'ガク', 'トクヒ'];
const SPELLED = [
  'カブシキガイシヤ',
  'カブシキカイシヤ',
  'ユウゲンガイシヤ',
  'ユウゲンカイシヤ',
  'ゴウドウガイシヤ',
  'ゴウドウカイシヤ',
  'ゴウメイガイシヤ',
  'ゴウシガイシヤ',
  'イツパンシヤダンホウジン',
  'イリヨウホウジン',
  'ガツコウホウジン',
];
const abbreviation = ABBREVIATIONS.join('|');
const LEADING = new RegExp(`^\\(?(?:${abbreviation})\\)`);
const TRAILING = new RegExp(`\\((?:${abbreviation})\\)?$`);

/** Small kana as the large ones banks print (ァ → ア, ッ → ツ, ャ → ヤ, ヵ → カ, ヶ → ケ). */
function largeKana(text: string): string {
  return text.replace(/[ァィゥェォッャュョヮヵヶ]/g, (c) => (c === 'ヵ' ? 'カ' : c === 'ヶ' ? 'ケ' : String.fromCharCode(c.charCodeAt(0) + 1)));
}

/** The name as compared: full-width katakana, large kana, no long-vowel marks, spaces or legal form. */
export function payerNameKey(name: string): string {
  let s = largeKana(name.normalize('NFKC').toUpperCase())
    .replace(/[\u30FC\u2010-\u2015\u2212\uFF70-]/g, '') // long-vowel marks and dashes (a bank may print either)
    .replace(/[\s.,・]/g, '');
  s = s.replace(LEADING, '').replace(TRAILING, '');
  for (const form of SPELLED) if (s.startsWith(form)) s = s.slice(form.length);
  for (const form of SPELLED) if (s.endsWith(form)) s = s.slice(0, -form.length);
  return s;
}
