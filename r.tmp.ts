import { writeFileSync } from 'node:fs';
import { renderInvoicePdf } from './src/activities';
import { initialFeeLine, monthlyChargeLines } from './src/domain/billing';
import { loadSettings } from './src/settings';
const TERMS = { plan: 'standard', components: [{ os: 'linux' }, { os: 'linux' }], metricCapRelaxations: 0, cloudMonthlyFee: 30_000 } as const;
const lines = [initialFeeLine(2), ...monthlyChargeLines(TERMS as never, '2026-02', '2026-02-02')];
const s = loadSettings({});
const inv = { number: 'INV-000042', contractId: 'C-1001', period: '2026-02', issuedOn: '2026-03-01', dueOn: '2026-03-31', taxableSubtotal: 1, tax: 1, nonTaxableSubtotal: 0, total: 1, paid: 0, outstanding: 1, contactRemovedOn: null,
  issuer: { name: s.INVOICE_ISSUER_NAME ?? '株式会社オプテージ (OPTAGE Inc.)', registrationNumber: 'T1120001059675' }, customerName: '株式会社サンプル', taxRatePercent: 10,
  lines: lines.map((l, i) => ({ ...l, lineNo: i + 1, taxRatePercent: 10, priceList: 'PL-2026-01' })), allocations: [], credits: [], recordedAt: '', document: null };
renderInvoicePdf(inv as never, { issuerAddress: s.INVOICE_ISSUER_ADDRESS, bankAccount: s.INVOICE_BANK_ACCOUNT, notes: [] }).then((b) => writeFileSync('/tmp/inv.pdf', b));
