/**
 * D-19 (Appendix 2 notes): every incident response and every hour of ops-on-behalf is recorded against its
 * contract and Japan-time month, and shown beside what the plan includes that month, the excess flagged.
 * Never billed by itself: the back office quotes the excess and adds it with `charge`.
 */
import { done } from './said';
import { jstDateOf, monthOf } from '../calendar';
import { PLAN_ALLOWANCES } from '../catalog';
import { RULE } from '../rules';
import type { IsoDate, YearMonth } from '../types';
import type { Handler } from './handler';
import { refuse, requireStatus, type Refusal } from './refusals';
import type { ContractState } from './state';
import { termsIn } from './terms';

/** D-24: recorded only inside the contract's service — from S through the last contract day — and not ahead of today. */
function inService(s: ContractState, field: string, day: IsoDate, today: IsoDate): Refusal | null {
  const refusal = requireStatus(s, ['approved', 'active', 'suspended', 'ended'], 'allowance', RULE.allowances);
  if (refusal) return refusal;
  if (day > today) return refuse(RULE.allowances, 'dayAfterToday', { field, day, today });
  if (day < s.startDate!) return refuse(RULE.allowances, 'dayBeforeStart', { field, day, startDate: s.startDate! });
  if (s.end && day > s.end.lastDay) return refuse(RULE.allowances, 'dayAfterLastDay', { field, day, lastDay: s.end.lastDay });
  return null;
}

function recordFor(s: ContractState, month: YearMonth) {
  let row = s.allowances.find((a) => a.month === month);
  if (!row) {
    row = { month, incidents: 0, opsQuarterHours: 0 };
    s.allowances.push(row);
    s.allowances.sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0));
  }
  return row;
}

export interface AllowanceRow {
  month: YearMonth;
  incidents: number;
  incidentsIncluded: number;
  incidentsExcess: number;
  opsHours: number;
  opsHoursIncluded: number;
  opsHoursExcess: number;
  /** Something beyond what the plan includes: for the back office to quote and charge (never automatic). */
  exceeded: boolean;
  rule: string;
}

/** What each month recorded, beside what the plan and the components in force that month include. */
export function allowanceRows(s: ContractState): AllowanceRow[] {
  return s.allowances.map(({ month, incidents, opsQuarterHours }) => {
    const terms = termsIn(s, month);
    const included = PLAN_ALLOWANCES[terms.plan];
    const opsQuartersIncluded = included.opsHoursPerComponent * terms.components.length * 4;
    const incidentsExcess = Math.max(0, incidents - included.incidentsPerMonth);
    const opsExcessQuarters = Math.max(0, opsQuarterHours - opsQuartersIncluded);
    return {
      month,
      incidents,
      incidentsIncluded: included.incidentsPerMonth,
      incidentsExcess,
      opsHours: opsQuarterHours / 4,
      opsHoursIncluded: opsQuartersIncluded / 4,
      opsHoursExcess: opsExcessQuarters / 4,
      exceeded: incidentsExcess > 0 || opsExcessQuarters > 0,
      rule: RULE.allowances,
    };
  });
}

function summary(s: ContractState, month: YearMonth) {
  const row = allowanceRows(s).find((r) => r.month === month)!;
  const { incidents, incidentsIncluded, opsHours, opsHoursIncluded } = row;
  return done('allowances', { month, incidents, incidentsIncluded, opsHours, opsHoursIncluded, exceeded: row.exceeded ? 1 : 0 });
}

export const allowances: { recordIncident: Handler<'recordIncident'>; recordOpsWork: Handler<'recordOpsWork'> } = {
  recordIncident: {
    check: (s, c, today) => inService(s, 'at', jstDateOf(Date.parse(c.at)), today),
    apply: (s, c) => {
      const month = monthOf(jstDateOf(Date.parse(c.at)));
      recordFor(s, month).incidents += 1;
      return { result: { ...summary(s, month), month }, effects: [] };
    },
  },
  recordOpsWork: {
    check: (s, c, today) => inService(s, 'on', c.on, today),
    apply: (s, c) => {
      const month = monthOf(c.on);
      recordFor(s, month).opsQuarterHours += Math.round(c.hours * 4);
      return { result: { ...summary(s, month), month }, effects: [] };
    },
  },
};
