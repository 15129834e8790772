/**
 * Credits, reductions and charges a clerk records on a contract (Art. 21, 24, 26, Appendix 2): each waits
 * for the invoice it belongs on. Allowed once approved, and still after the end until the last invoice.
 */
import { done } from './said';
import { jstDateOf } from '../calendar';
import { damagesReduction, extraChargeLine, outageCredit, penaltyLines } from '../charges';
import { damagesClaimVerdict, damagesReductionPeriod } from '../lifecycle';
import { RULE } from '../rules';
import type { Handler } from './handler';
import { feesOn } from './terms';
import { fromVerdict, refuse, requireStatus } from './refusals';

const approvedOrEnded = ['approved', 'active', 'suspended', 'ended'] as const;

export const adjustments: {
  reportOutage: Handler<'reportOutage'>;
  recogniseDamages: Handler<'recogniseDamages'>;
  penalty: Handler<'penalty'>;
  charge: Handler<'charge'>;
} = {
  reportOutage: {
    check: (s, c, today) =>
      requireStatus(s, approvedOrEnded, 'outageReport', RULE.outageCredit) ??
      (s.startDate && jstDateOf(Date.parse(c.knownAt)) < s.startDate ? refuse(RULE.outageCredit, 'outageBeforeStart', { startDate: s.startDate }) : null) ??
      // An outage is reported once it is over (Art. 24-2 counts the hours lost): not one still to come.
      (jstDateOf(Date.parse(c.restoredAt)) > today ? refuse(RULE.outageCredit, 'outageNotOver', { restoredAt: c.restoredAt, today }) : null),
    apply: (s, c) => {
      // Art. 24-2: the monthly fee of the days lost, i.e. in force when the outage began (not on the report day).
      const line = outageCredit({ ...c, fees: feesOn(s, jstDateOf(Date.parse(c.knownAt))), startDate: s.startDate! });
      if (line) s.pendingLines.push(line);
      return {
        result: {
          ...(line ? done('outageCredit', { amount: -line.amount }) : done('noOutageCredit', { rule: RULE.outageCredit })),
          credit: line ? -line.amount : 0,
        },
        effects: [],
      };
    },
  },
  recogniseDamages: {
    check: (s, c, today) =>
      requireStatus(s, approvedOrEnded, 'damages', RULE.damagesReduction) ?? fromVerdict(damagesClaimVerdict({ today, occurredOn: c.occurredOn })),
    apply: (s, c, today) => {
      const period = damagesReductionPeriod(today);
      const line = damagesReduction({ amount: c.amount, monthlyFeeCap: feesOn(s, c.occurredOn).fixedMonthlyFee });
      s.scheduledLines.push({ period, line, tiedToEnd: false });
      return { result: { ...done('damagesReduction', { amount: -line.amount, period }), period, reduction: -line.amount }, effects: [] };
    },
  },
  penalty: {
    check: (s) => requireStatus(s, approvedOrEnded, 'penalty', RULE.penalty),
    apply: (s, c) => {
      const lines = penaltyLines(c.evadedAmount);
      s.pendingLines.push(...lines);
      return { result: done('penalty', { amount: lines.reduce((a, l) => a + l.amount, 0) }), effects: [] };
    },
  },
  charge: {
    check: (s) => requireStatus(s, approvedOrEnded, 'charge', RULE.extraCharge),
    apply: (s, c) => {
      s.pendingLines.push(extraChargeLine(c.description, c.amount, c.taxable));
      return { result: done('charge', { amount: c.amount, taxable: c.taxable ? 'taxable' : 'non-taxable' }), effects: [] };
    },
  },
};
