/**
 * The pure parts of issue 30's tables: the visibility query built only from validated filters, the sort
 * (empty values last either way, ties by contract id), the CSV's formula guard, and the supervisors' mail
 * naming no customer.
 */
import { describe, expect, it } from 'vitest';
import { approvalMailText } from '../../src/backoffice/approval-mail';
import { compareRows, contractListArgsOf, contractListQuery, type ContractRow } from '../../src/backoffice/contract-list';
import { contractsCsv } from '../../src/backoffice/contracts-csv';

const row = (contractId: string, over: Partial<ContractRow> = {}): ContractRow => ({
  contractId,
  status: 'active',
  plan: 'standard',
  minimumTermEnd: null,
  nextDeadline: null,
  renewalDeclineDeadline: null,
  cancellationDeadline: null,
  overdue: 0,
  billedThrough: null,
  needsAttention: false,
  workflow: 'running',
  ...over,
});

describe('the contracts list', () => {
  it('builds the query from validated filters only; the deadline month in Japan time', () => {
    const p = contractListArgsOf({ status: 'active', plan: 'entry', overdue: '1', attention: 'true', deadlineMonth: '2026-12', page: '2' });
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.value.page).toBe(2);
    expect(contractListQuery(p.value)).toBe(
      'WorkflowType = "contract" AND ExecutionStatus != "ContinuedAsNew" AND ContractStatus = "active" AND Plan = "entry" AND OverdueYen > 0' +
        ' AND (NeedsAttention = true OR ExecutionStatus IN ("Terminated", "Failed", "TimedOut"))' +
        ' AND ((NextDeadline >= "2026-11-30T15:00:00.000Z" AND NextDeadline < "2026-12-31T15:00:00.000Z")' +
        ' OR (RenewalDeclineDeadline >= "2026-12-01" AND RenewalDeclineDeadline < "2027-01-01")' +
        ' OR (CancellationDeadline >= "2026-12-01" AND CancellationDeadline < "2027-01-01"))',
    );
  });

  it('refuses anything else, naming the field: nothing of it reaches a query', () => {
    for (const [q, field] of [
      [{ status: 'active" OR WorkflowType = "billingRun' }, 'status'],
      [{ deadlineMonth: '2026-12" OR "1"="1' }, 'deadlineMonth'],
      [{ sort: 'contractId; drop' }, 'sort'],
      [{ order: 'sideways' }, 'order'],
      [{ overdue: 'yes please' }, 'overdue'],
      [{ page: '-1' }, 'page'],
      [{ pageSize: '5000' }, 'pageSize'],
    ] as const) {
      const p = contractListArgsOf(q);
      expect(p.ok, JSON.stringify(q)).toBe(false);
      if (!p.ok) expect(p.problems.join('; ')).toMatch(new RegExp(`^${field}: `));
    }
  });

  it('sorts by any column, empty values last both ways, ties by contract id', () => {
    const rows = [row('C-3', { overdue: 500 }), row('C-1', { overdue: null }), row('C-2', { overdue: 500 }), row('C-4', { overdue: 100 })];
    expect([...rows].sort(compareRows('overdue', 'asc')).map((r) => r.contractId)).toEqual(['C-4', 'C-2', 'C-3', 'C-1']);
    expect([...rows].sort(compareRows('overdue', 'desc')).map((r) => r.contractId)).toEqual(['C-2', 'C-3', 'C-4', 'C-1']);
  });

  it('writes the CSV with a BOM and CRLF, amounts as numbers, text cells guarded against formulas', () => {
    const csv = contractsCsv([row('C-1', { plan: '=HYPERLINK("x")', overdue: 1200 })]);
    expect(csv.startsWith('\uFEFF契約 contract,')).toBe(true);
    const line = csv.split('\r\n')[1]!;
    expect(line).toContain(`"'=HYPERLINK(""x"")"`);
    expect(line).toContain(',1200,');
  });
});

describe("the supervisors' mail", () => {
  it('names the contract, the action, the amount, the requester, the last day and the links; never the reason', () => {
    const { subject, text } = approvalMailText(
      {
        contractId: 'C-9',
        requestId: 'req-1',
        action: 'charge',
        input: { amount: 1_250_000, description: '追加作業 (山田様)' },
        actor: { id: 'u-1', role: 'supervisor', via: 'console' },
        expiresOn: '2026-12-15',
      },
      '監督 青木',
      'https://console.example',
    );
    expect(subject).toContain('C-9');
    expect(text).toContain('金額: 1,250,000円');
    expect(text).toContain('依頼者: 監督 青木');
    expect(text).toContain('承認期限: 2026-12-15');
    expect(text).toContain('https://console.example/contracts/C-9');
    expect(text).not.toContain('山田');
  });
});
