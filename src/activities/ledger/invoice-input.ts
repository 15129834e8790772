/** An invoice to issue as the ledger accepts it: its lines, totals and tax (D-10) checked, the issuer's registration number. */
import { z } from 'zod';
import { consumptionTax } from '../../domain/billing';
import { CATALOG } from '../../domain/catalog';
import { LINE_KINDS } from '../../domain/types';
import { isoDate, key, wholeYen, yearMonth } from './values';

const lineSchema = z.object({
  kind: z.enum(LINE_KINDS),
  amount: wholeYen,
  taxable: z.boolean(),
  rule: z.string().min(1, 'every line names its rule (article or decision)'),
  description: z.string().min(1, 'every line has a description'),
  /** D-17: the price-list version a line priced from the list used. */
  priceList: z.string().min(1).max(64).optional(),
});

const invoiceSchema = z
  .object({
    period: yearMonth,
    issuedOn: isoDate,
    dueOn: isoDate,
    lines: z.array(lineSchema).min(1, 'an invoice has at least one line'),
    taxableSubtotal: wholeYen,
    tax: wholeYen,
    nonTaxableSubtotal: wholeYen,
    total: wholeYen,
  })
  .superRefine((inv, ctx) => {
    const taxable = inv.lines.filter((l) => l.taxable).reduce((s, l) => s + l.amount, 0);
    const nonTaxable = inv.lines.filter((l) => !l.taxable).reduce((s, l) => s + l.amount, 0);
    if (taxable !== inv.taxableSubtotal) {
      ctx.addIssue({ code: 'custom', path: ['taxableSubtotal'], message: `is ${inv.taxableSubtotal} but the taxable lines add up to ${taxable}` });
    }
    if (nonTaxable !== inv.nonTaxableSubtotal) {
      ctx.addIssue({ code: 'custom', path: ['nonTaxableSubtotal'], message: `is ${inv.nonTaxableSubtotal} but the non-taxable lines add up to ${nonTaxable}` });
    }
    // D-10: once per invoice on the taxable subtotal, the fraction discarded — as the domain computes it.
    const tax = Number.isSafeInteger(inv.taxableSubtotal) ? consumptionTax(inv.taxableSubtotal) : undefined; // else already refused
    if (tax !== undefined && inv.tax !== tax) {
      ctx.addIssue({ code: 'custom', path: ['tax'], message: `is ${inv.tax} but ${CATALOG.taxRatePercent}% of ${inv.taxableSubtotal} rounded down is ${tax}` });
    }
    if (inv.total !== inv.taxableSubtotal + inv.tax + inv.nonTaxableSubtotal) {
      ctx.addIssue({
        code: 'custom',
        path: ['total'],
        message: `is ${inv.total} but taxable subtotal + tax + non-taxable subtotal is ${inv.taxableSubtotal + inv.tax + inv.nonTaxableSubtotal}`,
      });
    }
    if (inv.dueOn < inv.issuedOn) ctx.addIssue({ code: 'custom', path: ['dueOn'], message: `is before the issue day ${inv.issuedOn}` });
  });

const issuerSchema = z.object({
  name: z.string().trim().min(1, 'the issuer name must not be empty'),
  registrationNumber: z.string().regex(/^T\d{13}$/, 'a qualified-invoice registration number is T followed by 13 digits'),
});

export const issueSchema = z.object({ contractId: key, customerId: key, invoice: invoiceSchema, issuer: issuerSchema });
