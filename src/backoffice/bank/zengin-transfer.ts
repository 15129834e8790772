/**
 * The bank's 振込入金通知 file (全銀協 format, 種別コード 01): 200-byte records — header (1), data (2),
 * trailer (8), one header-to-trailer group per account, then the end (9) — with or without CR LF between
 * records, text fields in JIS X 0201 half-width kana (Shift_JIS, decoded by iconv-lite), dates as 和暦
 * YYMMDD. A file that is not well-formed is refused whole, naming the record and the field: nothing of it
 * is applied. Layout: 全銀協制定 振込入金通知 (the banks publish it, e.g. 阿波銀行's "振込入金通知(全銀協制定フォーマット)").
 */
import iconv from 'iconv-lite';
import { isIsoDate } from '../../domain/calendar';
import type { IsoDate, Yen } from '../../domain/types';
import { EdgeRefusal } from '../command-path';

export const RECORD_BYTES = 200;

/** A field of the file is wrong: `record N (kind): field` and the reason; nothing of the file is applied. */
export class BankFileRefused extends EdgeRefusal {}

export interface BankAccount {
  bankCode: string;
  bankName: string;
  branchCode: string;
  branchName: string;
  /** 預金種目: 1 普通, 2 当座, 4 貯蓄. */
  accountType: string;
  accountNumber: string;
  accountName: string;
}

export interface TransferLine {
  /** The record's place in the file, from 1 (for messages and the audit). */
  record: number;
  account: BankAccount;
  /** 照会番号: the bank's number for the line. */
  inquiryNumber: string;
  /** 勘定日: the day the money was booked to the account (the payment's day received). */
  bookedOn: IsoDate;
  /** 起算日. */
  valueOn: IsoDate;
  amount: Yen;
  /** うち他店券金額: the part paid by another bank's cheque. */
  byOtherBankCheque: Yen;
  /** 振込依頼人コード (10 digits), when the payer gave one. */
  payerCode: string | null;
  /** 振込依頼人名 as the bank printed it (half-width kana). */
  payerName: string;
  remitterBank: string;
  remitterBranch: string;
  /** 取消区分: the line cancels an earlier one. */
  cancels: boolean;
  /** EDI情報 (20 characters), e.g. an invoice number the payer typed. */
  edi: string;
}

export interface TransferNotice {
  createdOn: IsoDate;
  lines: TransferLine[];
}

/** A field of a record: its name in the layout, N (digits, zero-padded) or C (text, space-padded), its bytes. */
export type Field = readonly [name: string, kind: 'N' | 'C', length: number];

// The records' fields in order (each record is 200 bytes; the names are the layout's).
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
  ['預金種目', 'N', 1],
  ['口座番号', 'N', 7],
  ['口座名', 'C', 40],
  ['ダミー', 'C', 93],
];
const DATA: readonly Field[] = [
  ['データ区分', 'N', 1],
  ['照会番号', 'N', 6],
  ['勘定日', 'N', 6],
  ['起算日', 'N', 6],
  ['金額', 'N', 10],
  ['うち他店券金額', 'N', 10],
  ['振込依頼人コード', 'N', 10],
  ['振込依頼人名', 'C', 48],
  ['仕向銀行名', 'C', 15],
  ['仕向支店名', 'C', 15],
  ['取消区分', 'C', 1],
  ['EDI情報', 'C', 20],
  ['ダミー', 'C', 52],
];
const TRAILER: readonly Field[] = [
  ['データ区分', 'N', 1],
  ['入金件数', 'N', 6],
  ['入金額合計', 'N', 12],
  ['取消件数', 'N', 6],
  ['取消金額合計', 'N', 12],
  ['ダミー', 'C', 163],
];
/** データ区分: the record kinds of the 全銀協 200-byte files (01 and 03 alike). */
export const KINDS: Record<string, string> = { '1': 'header', '2': 'data', '8': 'trailer', '9': 'end' };

/** The file's 200-byte records, CR LF between them allowed (and an EOF mark, 0x1A, at the very end). */
export function recordsOf(bytes: Uint8Array): Uint8Array[] {
  const records: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (bytes[at] === 0x0d && bytes[at + 1] === 0x0a) {
      at += 2;
      continue;
    }
    if (bytes[at] === 0x1a && at === bytes.length - 1) break;
    if (bytes.length - at < RECORD_BYTES)
      throw new BankFileRefused(`record ${records.length + 1}`, `${bytes.length - at} bytes where a record has ${RECORD_BYTES}`);
    const record = bytes.subarray(at, at + RECORD_BYTES);
    const lineBreak = record.findIndex((b) => b === 0x0d || b === 0x0a);
    if (lineBreak >= 0)
      throw new BankFileRefused(`record ${records.length + 1}`, `a line break at byte ${lineBreak + 1}: a record has ${RECORD_BYTES} bytes before its CR LF`);
    records.push(record);
    at += RECORD_BYTES;
  }
  return records;
}

/** The fields of one record by name: numbers as their digits, text decoded and without its trailing spaces. */
export function fieldsOf(record: Uint8Array, layout: readonly Field[], where: string): Record<string, string> {
  const out: Record<string, string> = {};
  let at = 0;
  for (const [name, kind, length] of layout) {
    const raw = record.subarray(at, at + length);
    at += length;
    if (name === 'ダミー') continue;
    if (kind === 'N') {
      const text = Buffer.from(raw).toString('latin1');
      if (!/^\d+$/.test(text)) throw new BankFileRefused(`${where}: ${name}`, `expected ${length} digits (got "${text.replace(/[^\x20-\x7e]/g, '?')}")`);
      out[name] = text;
    } else {
      const text = iconv.decode(Buffer.from(raw), 'Shift_JIS');
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
      if (text.includes('\uFFFD') || /[\u0000-\u001f\u007f]/.test(text))
        throw new BankFileRefused(`${where}: ${name}`, 'not half-width text (JIS X 0201 in Shift_JIS)');
      out[name] = text.replace(/ +$/, '');
    }
  }
  return out;
}

/**
 * 和暦 YYMMDD as a date. Read as 令和 (year 2018 + YY): the files imported are from 2019-05 on, and a
 * bank's 和暦 for today is 令和; a day that does not exist is refused.
 */
export function warekiDate(yymmdd: string, field: string): IsoDate {
  const date = `${2018 + Number(yymmdd.slice(0, 2))}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`;
  if (!isIsoDate(date)) throw new BankFileRefused(field, `${yymmdd} is not a day (和暦 YYMMDD, 令和)`);
  return date;
}

export function parseTransferNotice(bytes: Uint8Array): TransferNotice {
  const records = recordsOf(bytes);
  if (records.length === 0) throw new BankFileRefused('file', 'empty: no header record');
  const lines: TransferLine[] = [];
  let createdOn: IsoDate | null = null;
  let account: BankAccount | null = null;
  let group: TransferLine[] = [];
  let ended = false;
  records.forEach((record, i) => {
    const n = i + 1;
    const kind = KINDS[String.fromCharCode(record[0]!)];
    const where = `record ${n}${kind ? ` (${kind})` : ''}`;
    if (!kind) throw new BankFileRefused(`${where}: データ区分`, `expected 1, 2, 8 or 9 (got "${String.fromCharCode(record[0]!)}")`);
    if (ended) throw new BankFileRefused(where, 'after the end record (9)');
    if (kind === 'header') {
      if (account) throw new BankFileRefused(where, 'a header before the trailer (8) of the one before');
      const h = fieldsOf(record, HEADER, where);
      if (h.種別コード !== '01')
        throw new BankFileRefused(
          `${where}: 種別コード`,
          `expected 01 (振込入金通知) (got ${h.種別コード}${h.種別コード === '03' ? ': an 入出金取引明細 file, read as zengin03' : ''})`,
        );
      if (h.コード区分 !== '0') throw new BankFileRefused(`${where}: コード区分`, `expected 0 (JIS) (got ${h.コード区分}; EBCDIC is not read)`);
      createdOn ??= warekiDate(h.作成日!, `${where}: 作成日`);
      account = {
        bankCode: h.銀行コード!,
        bankName: h.銀行名!,
        branchCode: h.支店コード!,
        branchName: h.支店名!,
        accountType: h.預金種目!,
        accountNumber: h.口座番号!,
        accountName: h.口座名!,
      };
      group = [];
      return;
    }
    if (kind === 'end') {
      if (account) throw new BankFileRefused(where, 'the end before the trailer (8) of its group');
      ended = true;
      return;
    }
    if (!account) throw new BankFileRefused(where, `a ${kind} record outside a header (1) … trailer (8) group`);
    if (kind === 'data') {
      const d = fieldsOf(record, DATA, where);
      if (d.取消区分 !== '' && d.取消区分 !== '1') throw new BankFileRefused(`${where}: 取消区分`, `expected blank or 1 (got "${d.取消区分}")`);
      group.push({
        record: n,
        account,
        inquiryNumber: d.照会番号!,
        bookedOn: warekiDate(d.勘定日!, `${where}: 勘定日`),
        valueOn: warekiDate(d.起算日!, `${where}: 起算日`),
        amount: Number(d.金額),
        byOtherBankCheque: Number(d.うち他店券金額),
        payerCode: /^0+$/.test(d.振込依頼人コード!) ? null : d.振込依頼人コード!,
        payerName: d.振込依頼人名!,
        remitterBank: d.仕向銀行名!,
        remitterBranch: d.仕向支店名!,
        cancels: d.取消区分 === '1',
        edi: d.EDI情報!,
      });
      return;
    }
    // The trailer: its counts and sums must be the group's. 入金 is read either way banks fill it — every
    // data record, or those that are not cancellations; 取消 is the cancellations.
    const t = fieldsOf(record, TRAILER, where);
    const cancels = group.filter((l) => l.cancels);
    const sum = (ls: TransferLine[]) => ls.reduce((s, l) => s + l.amount, 0);
    const receipts = group.filter((l) => !l.cancels);
    const count = Number(t.入金件数);
    const total = Number(t.入金額合計);
    const countOk = count === group.length || count === receipts.length;
    if (!countOk)
      throw new BankFileRefused(`${where}: 入金件数`, `${count}, but the group has ${group.length} data record(s) (${receipts.length} not cancellations)`);
    if (total !== (count === receipts.length ? sum(receipts) : sum(group)))
      throw new BankFileRefused(`${where}: 入金額合計`, `${total}, but its data records sum to ${count === receipts.length ? sum(receipts) : sum(group)}`);
    if (Number(t.取消件数) !== cancels.length) throw new BankFileRefused(`${where}: 取消件数`, `${Number(t.取消件数)}, but ${cancels.length} line(s) cancel`);
    if (Number(t.取消金額合計) !== sum(cancels))
      throw new BankFileRefused(`${where}: 取消金額合計`, `${Number(t.取消金額合計)}, but the cancellations sum to ${sum(cancels)}`);
    lines.push(...group);
    account = null;
  });
  if (account) throw new BankFileRefused('file', 'ends inside a group: no trailer (8)');
  if (!ended) throw new BankFileRefused('file', 'no end record (9)');
  return { createdOn: createdOn!, lines };
}
