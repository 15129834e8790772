/** D-17: a price-list version as announced — the plans it changes (Appendix 2), each base + the three band prices. */
import { z } from 'zod';
import { PLAN_IDS } from './types';

/** Built with the caller's yen and month schemas, so messages read the same as every other field's. */
export function priceListVersionSchema(yenAtLeastZero: (what: string) => z.ZodNumber, yearMonth: z.ZodType<string>) {
  const bandPrices = (what: string) =>
    z.tuple([yenAtLeastZero(`${what} for 1–5 components`), yenAtLeastZero(`${what} for 6–20 components`), yenAtLeastZero(`${what} for 21+ components`)], {
      error: `expected ${what} as three prices [1–5, 6–20, 21+ components] in whole yen`,
    });
  const planPrices = z.strictObject(
    { base: yenAtLeastZero('the base fee'), bands: bandPrices('the per-component prices') },
    { error: 'expected { base, bands: [1–5, 6–20, 21+] }' },
  );
  const premiumPrices = z.strictObject(
    {
      base: yenAtLeastZero('the base fee'),
      bands: bandPrices('the per-component prices (Linux)'),
      windowsBands: bandPrices('the per-component prices with any Windows component'),
    },
    { error: 'expected { base, bands: [1–5, 6–20, 21+], windowsBands: [1–5, 6–20, 21+] } (Premium has a Windows column, Appendix 2 ※2)' },
  );
  const priceListPlans = z.strictObject(
    { entry: planPrices.optional(), standard: planPrices.optional(), advanced: planPrices.optional(), premium: premiumPrices.optional() },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown plan ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}; expected ${PLAN_IDS.join(', ')}`
          : 'expected the plans as { entry?, standard?, advanced?, premium? }',
    },
  );
  return z
    .strictObject(
      {
        id: z
          .string({ error: 'expected the version id' })
          .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'a price-list version id is 1–64 letters, digits, . _ -' }),
        effectiveMonth: yearMonth,
        plans: priceListPlans,
        metricCapOptionPerComponent: yenAtLeastZero('the metric-cap option per component').optional(),
      },
      { error: 'expected the price-list version { id, effectiveMonth, plans, metricCapOptionPerComponent? } (D-17)' },
    )
    .refine((v) => Object.values(v.plans).some((p) => p !== undefined) || v.metricCapOptionPerComponent !== undefined, {
      message: 'a price-list version changes at least one plan or the metric-cap option',
      path: ['plans'],
    });
}
