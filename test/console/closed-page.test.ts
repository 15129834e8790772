/** The dashboard's section for contracts closed by the server: what is owed, and a reason that stays text. */
import { describe, expect, it } from 'vitest';
import type { ClosedContract } from '../../src/backoffice/closed-contracts';
import { translator } from '../../src/console/html';
import { closedSection } from '../../src/console/pages/closed';

const closed = (over: Partial<ClosedContract> = {}): ClosedContract => ({
  contractId: 'C-1',
  runId: 'r',
  status: 'TERMINATED',
  closedAt: new Date('2026-12-07T03:00:00Z'),
  reason: '<script>alert(1)</script>',
  by: 'tctl',
  lastStatus: 'active',
  overdueYen: 84_700,
  billedThrough: '2026-10',
  owedYen: 0,
  openInvoices: [],
  ...over,
});
const render = (c: ClosedContract[]) => String(closedSection(translator('en'), { contracts: c, more: false }));

describe('the dashboard: contracts closed by the server', () => {
  it('says nothing when there are none', () => expect(render([])).toBe(''));
  it('without an unpaid invoice in the ledger, shows what the contract last published', () => {
    const page = render([closed()]);
    expect(page).toContain('<td class="owed">0 yen (overdue 84,700 yen (last published); billed through 2026-10)</td>');
    expect(page).toContain('2026-12-07 12:00 JST');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>');
  });
  it('with unpaid invoices, their sum and numbers', () => {
    const page = render([
      closed({
        owedYen: 169_400,
        openInvoices: [
          { number: 'INV-1', period: '2026-10', outstanding: 84_700 },
          { number: 'INV-2', period: '2026-11', outstanding: 84_700 },
        ],
      }),
    ]);
    expect(page).toContain('<td class="owed">169,400 yen (INV-1 2026-10, INV-2 2026-11)</td>');
  });
});
