/**
 * How fast a bank statement is read, recorded and matched (issue 29): a 全銀協 振込入金通知 file of N lines
 * against N customers in an in-memory PGlite ledger — a third found by virtual account, a third by payer
 * code, a third by payer name — through the back office's own functions: readBankFile, the ledger's
 * recordFile (one transaction), the directory looked up at once, and the domain's matchCustomer per line.
 * Applying each line is one contract Update per contract it settles: the platform rows measure that cost.
 */
import { performance } from 'node:perf_hooks';
import { openInMemoryLedger } from '../src/activities';
import { readBankFile } from '../src/backoffice/bank/bank-file';
import { directoryFor, flatLine } from '../src/backoffice/bank/import';
import { matchCustomer, receiptIdentity } from '../src/domain/bank/receipts';
import { transferNotice, type FixtureLine } from '../test/fixtures/zengin';

/** Half-width katakana names, distinct per customer: ｶ)ﾍﾞﾝﾁ + the index in kana digits. */
const KANA = 'ｱｲｳｴｵｶｷｸｹｺ';
const kanaOf = (i: number) => [...String(i)].map((d) => KANA[Number(d)]).join('');

export interface BankFigures {
  lines: number;
  setupSeconds: number;
  readSeconds: number;
  recordSeconds: number;
  matchSeconds: number;
  matched: number;
}

export async function bankImportFigures(n: number): Promise<BankFigures> {
  const ledger = await openInMemoryLedger();
  try {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const contractId = `BANK-${i}`;
      const { customerId } = await ledger.customers.register({ contractId, contact: { name: `ベンチ${i}株式会社`, email: `b${i}@bench.example` } });
      if (i % 3 === 0) await ledger.payers.setKey(customerId, 'virtualAccount', String(3_000_000 + i));
      else if (i % 3 === 1) await ledger.payers.setKey(customerId, 'payerCode', String(1_000_000_000 + i));
      else await ledger.payers.addPayerName(customerId, `ｶ)ﾍﾞﾝﾁ${kanaOf(i)}`, 'bench');
    }
    const setupSeconds = (performance.now() - t0) / 1000;
    // One group per virtual account would be the bank's way; the matching is the same, so one account here.
    const lines: FixtureLine[] = Array.from({ length: n }, (_, i) => ({
      inquiryNumber: i + 1,
      bookedOn: '080401',
      amount: 74_800,
      payerName: `ｶ)ﾍﾞﾝﾁ${kanaOf(i)}`,
      ...(i % 3 === 1 ? { payerCode: String(1_000_000_000 + i) } : {}),
    }));
    const byAccount = lines.filter((_, i) => i % 3 === 0);
    const others = lines.filter((_, i) => i % 3 !== 0);
    const groups = [...byAccount.map((l, k) => ({ accountNumber: String(3_000_000 + k * 3), lines: [l] })), { accountNumber: '7654321', lines: others }];
    const bytes = transferNotice(groups);

    const t1 = performance.now();
    const notice = readBankFile(bytes, 'zengin01');
    const flat = notice.lines.map((l) => ({ ...flatLine(l), record: l.record }));
    const t2 = performance.now();
    await ledger.bankLines.recordFile(
      { fileId: 'BF-bench', fileName: 'bench.txt', format: 'zengin01', sha256: '0'.repeat(64), importedBy: 'bench' },
      flat.map((l) => ({ ...l, identity: receiptIdentity(l) })),
    );
    const t3 = performance.now();
    const directory = await directoryFor(ledger, flat);
    let matched = 0;
    for (const l of flat) if (matchCustomer(l, directory).customerId !== null) matched++;
    const t4 = performance.now();
    return { lines: flat.length, setupSeconds, readSeconds: (t2 - t1) / 1000, recordSeconds: (t3 - t2) / 1000, matchSeconds: (t4 - t3) / 1000, matched };
  } finally {
    await ledger.close();
  }
}

if (process.argv[1]?.endsWith('bank.ts')) {
  const n = Number(process.argv[2] ?? 10_000);
  bankImportFigures(n).then((f) => console.log(JSON.stringify(f)));
}
