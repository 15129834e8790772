/**
 * The bank's 入出金取引明細 file (全銀協 format, 種別コード 03): every credit and debit of an account, in
 * 200-byte records — header (1), data (2), trailer (8), one header-to-trailer group per account, then the
 * end (9) — with or without CR LF between records, text in JIS X 0201 half-width kana (Shift_JIS, decoded
 * by iconv-lite), dates as 和暦 YYMMDD. Read into the same lines as the 振込入金通知 (01): the transfers
 * received; everything else is read, checked and left out. A file that is not well-formed is refused whole,
 * naming the record and the field: nothing of it is applied.
 *
 * Layout: 全銀協「適用業務およびレコード・フォーマット」(全銀協パーソナル・コンピュータ用標準通信プロトコル
 * 別冊), 入出金取引明細 — the 普通・当座・貯蓄預金 form of the data record — as the banks publish it, e.g.
 * きらぼし銀行's "入出金明細(全銀)明細ファイル・フォーマット(全銀協規定形式)". Which records become lines:
 * - a credit (入払区分 1) of 取引区分 11 振込: a transfer received, as in the 01 file;
 * - a debit (入払区分 2) of 取引区分 19 訂正: the bank taking back a credit booked in error — a line that
 *   cancels (as 取消区分 1 in the 01 file), so that a transfer reversed is not applied as if it stayed;
 * - nothing else: cash (10), cheques (12, 13), 振替 (14), 継続 (15), その他 such as interest (18) and a
 *   correction in our favour (19 credit) are not payments a customer sent, and debits are ours.
 */
import type { IsoDate } from '../../domain/types';
import type { BankAccount, Field, TransferLine, TransferNotice } from './zengin-transfer';
import { BankFileRefused, fieldsOf, KINDS, recordsOf, warekiDate } from './zengin-transfer';

const HEADER: readonly Field[] = [
  ['データ区分', 'N', 1],
  ['種別コード', 'N', 2],
  ['コード区分', 'N', 1],
  ['作成日', 'N', 6],
  ['勘定日(自)', 'N', 6],
  ['勘定日(至)', 'N', 6],
  ['銀行コード', 'N', 4],
  ['銀行名', 'C', 15],
  ['支店コード', 'N', 3],
  ['支店名', 'C', 15],
  ['ダミー', 'N', 3],
  ['預金種目', 'N', 1],
  ['口座番号', 'N', 10],
  ['口座名', 'C', 40],
  ['貸越区分', 'N', 1],
  ['通帳・証書区分', 'N', 1],
  ['取引前残高', 'N', 14],
  ['ダミー', 'C', 71],
];
const DATA: readonly Field[] = [
  ['データ区分', 'N', 1],
  ['照会番号', 'N', 8],
  ['勘定日', 'N', 6],
  ['預入・払出日', 'N', 6],
  ['入払区分', 'N', 1],
  ['取引区分', 'N', 2],
  ['取引金額', 'N', 12],
  ['うち他店券金額', 'N', 12],
  ['交換呈示日', 'N', 6],
  ['不渡返還日', 'N', 6],
  ['手形・小切手区分', 'N', 1],
  ['手形・小切手番号', 'N', 7],
  ['僚店番号', 'N', 3],
  ['振込依頼人コード', 'N', 10],
  ['振込依頼人名', 'C', 48],
  ['仕向銀行名', 'C', 15],
  ['仕向店名', 'C', 15],
  ['摘要内容', 'C', 20],
  ['EDI情報', 'C', 20],
  ['ダミー', 'C', 1],
];
const TRAILER: readonly Field[] = [
  ['データ区分', 'N', 1],
  ['入金件数', 'N', 6],
  ['入金額合計', 'N', 13],
  ['出金件数', 'N', 6],
  ['出金額合計', 'N', 13],
  ['貸越区分', 'N', 1],
  ['取引後残高', 'N', 14],
  ['データ・レコード件数', 'N', 7],
  ['ダミー', 'C', 139],
];
const END: readonly Field[] = [
  ['データ区分', 'N', 1],
  ['レコード総件数', 'N', 10],
  ['口座数', 'N', 5],
  ['ダミー', 'C', 184],
];

/** 取引区分 as the layout lists them. */
export const TRANSACTION_KINDS: Record<string, string> = {
  '10': '現金',
  '11': '振込',
  '12': '他店券入金',
  '13': '交換',
  '14': '振替',
  '15': '継続',
  '18': 'その他',
  '19': '訂正',
};

/** One data record as read: every record is checked; `line` is set for those that become lines. */
interface Entry {
  credit: boolean;
  amount: number;
  line: TransferLine | null;
}

/** A balance with its 貸越区分 (1 plus, 2 minus; 0 where the bank gives none). */
function signed(kubun: string, amount: string, where: string): number | null {
  if (kubun === '0') return null;
  if (kubun !== '1' && kubun !== '2') throw new BankFileRefused(`${where}: 貸越区分`, `expected 1 (plus), 2 (minus) or 0 (not given) (got ${kubun})`);
  return kubun === '2' ? -Number(amount) : Number(amount);
}

function entryOf(record: Uint8Array, n: number, where: string, account: BankAccount): Entry {
  const d = fieldsOf(record, DATA, where);
  if (d.入払区分 !== '1' && d.入払区分 !== '2') throw new BankFileRefused(`${where}: 入払区分`, `expected 1 (入金) or 2 (出金) (got ${d.入払区分})`);
  const kind = d.取引区分!;
  if (!TRANSACTION_KINDS[kind]) throw new BankFileRefused(`${where}: 取引区分`, `expected one of ${Object.keys(TRANSACTION_KINDS).join(', ')} (got ${kind})`);
  const credit = d.入払区分 === '1';
  const amount = Number(d.取引金額);
  const bookedOn = warekiDate(d.勘定日!, `${where}: 勘定日`);
  const valueOn = warekiDate(d['預入・払出日']!, `${where}: 預入・払出日`);
  const transfer = credit && kind === '11';
  const reversal = !credit && kind === '19';
  if (!transfer && !reversal) return { credit, amount, line: null };
  return {
    credit,
    amount,
    line: {
      record: n,
      account,
      inquiryNumber: d.照会番号!,
      bookedOn,
      valueOn,
      amount,
      byOtherBankCheque: Number(d.うち他店券金額),
      payerCode: /^0+$/.test(d.振込依頼人コード!) ? null : d.振込依頼人コード!,
      payerName: d.振込依頼人名!,
      remitterBank: d.仕向銀行名!,
      remitterBranch: d.仕向店名!,
      cancels: reversal,
      edi: d.EDI情報!,
    },
  };
}

/** The trailer's counts and sums must be its group's, and the balances must agree with them. */
function checkTrailer(record: Uint8Array, where: string, entries: Entry[], opening: number | null): void {
  const t = fieldsOf(record, TRAILER, where);
  const sum = (es: Entry[]) => es.reduce((s, e) => s + e.amount, 0);
  for (const [side, es] of [
    ['入金', entries.filter((e) => e.credit)],
    ['出金', entries.filter((e) => !e.credit)],
  ] as const) {
    const count = Number(t[`${side}件数`]);
    const total = Number(t[`${side}額合計`]);
    if (count !== es.length) throw new BankFileRefused(`${where}: ${side}件数`, `${count}, but the group has ${es.length} ${side} record(s)`);
    if (total !== sum(es)) throw new BankFileRefused(`${where}: ${side}額合計`, `${total}, but its ${side} records sum to ${sum(es)}`);
  }
  const records = Number(t['データ・レコード件数']);
  if (records !== entries.length) throw new BankFileRefused(`${where}: データ・レコード件数`, `${records}, but the group has ${entries.length} data record(s)`);
  const closing = signed(t.貸越区分!, t.取引後残高!, where);
  if (opening !== null && closing !== null) {
    const expected = opening + sum(entries.filter((e) => e.credit)) - sum(entries.filter((e) => !e.credit));
    if (closing !== expected) throw new BankFileRefused(`${where}: 取引後残高`, `${closing}, but 取引前残高 ${opening} + 入金 − 出金 is ${expected}`);
  }
}

export function parseStatement(bytes: Uint8Array): TransferNotice {
  const records = recordsOf(bytes);
  if (records.length === 0) throw new BankFileRefused('file', 'empty: no header record');
  const lines: TransferLine[] = [];
  let createdOn: IsoDate | null = null;
  let account: BankAccount | null = null;
  let opening: number | null = null;
  let entries: Entry[] = [];
  let groups = 0;
  let ended = false;
  records.forEach((record, i) => {
    const n = i + 1;
    const kind = KINDS[String.fromCharCode(record[0]!)];
    const where = `record ${n}${kind ? ` (${kind})` : ''}`;
    if (!kind) throw new BankFileRefused(`${where}: データ区分`, `expected 1, 2, 8 or 9 (got "${String.fromCharCode(record[0]!)}")`);
    if (ended) throw new BankFileRefused(where, 'after the end record (9)');
    if (kind === 'header') {
      if (account) throw new BankFileRefused(where, 'a header before the trailer (8) of the one before');
      // The 種別コード first: another file's header has other fields at these places.
      const { 種別コード: code } = fieldsOf(record, HEADER.slice(0, 2), where);
      if (code !== '03')
        throw new BankFileRefused(
          `${where}: 種別コード`,
          `expected 03 (入出金取引明細) (got ${code}${code === '01' ? ': a 振込入金通知 file, read as zengin01' : ''})`,
        );
      const h = fieldsOf(record, HEADER, where);
      if (h.コード区分 !== '0') throw new BankFileRefused(`${where}: コード区分`, `expected 0 (JIS) (got ${h.コード区分}; EBCDIC is not read)`);
      if (!['1', '2', '4'].includes(h.預金種目!))
        throw new BankFileRefused(`${where}: 預金種目`, `expected 1 (普通), 2 (当座) or 4 (貯蓄) (got ${h.預金種目}; 定期性預金 records are not read)`);
      createdOn ??= warekiDate(h.作成日!, `${where}: 作成日`);
      account = {
        bankCode: h.銀行コード!,
        bankName: h.銀行名!,
        branchCode: h.支店コード!,
        branchName: h.支店名!,
        accountType: h.預金種目!,
        // N(10), right-aligned: the 7-digit number of the 01 file and the CSV when the first three are zeros.
        accountNumber: h.口座番号!.startsWith('000') ? h.口座番号!.slice(3) : h.口座番号!,
        accountName: h.口座名!,
      };
      opening = signed(h.貸越区分!, h.取引前残高!, where);
      entries = [];
      return;
    }
    if (kind === 'end') {
      if (account) throw new BankFileRefused(where, 'the end before the trailer (8) of its group');
      const e = fieldsOf(record, END, where);
      // レコード総件数 read either way a bank counts it: with the end record or without it.
      const total = Number(e.レコード総件数);
      if (total !== n && total !== n - 1) throw new BankFileRefused(`${where}: レコード総件数`, `${total}, but the file has ${n} record(s) with the end`);
      if (Number(e.口座数) !== groups) throw new BankFileRefused(`${where}: 口座数`, `${Number(e.口座数)}, but the file has ${groups} account group(s)`);
      ended = true;
      return;
    }
    if (!account) throw new BankFileRefused(where, `a ${kind} record outside a header (1) … trailer (8) group`);
    if (kind === 'data') {
      entries.push(entryOf(record, n, where, account));
      return;
    }
    checkTrailer(record, where, entries, opening);
    for (const e of entries) if (e.line) lines.push(e.line);
    groups += 1;
    account = null;
  });
  if (account) throw new BankFileRefused('file', 'ends inside a group: no trailer (8)');
  if (!ended) throw new BankFileRefused('file', 'no end record (9)');
  return { createdOn: createdOn!, lines };
}
