/**
 * What the provider does to every contract at once (Art. 4, 5, 17), as each contract hears of it: a
 * price-list version (D-17), the discontinuation of the service (D-18) and a maintenance window. A bulk
 * workflow sends the same command to every open contract; each answers for itself. A repeat of the same
 * announcement is answered without a second effect, whatever its request id (D-21, D-22, D-23 in docs/decisions.md).
 */
import { done } from './said';
import { firstDayOf, jstDateOf, monthOf } from '../calendar';
import { earlyTerminationFee } from '../charges';
import { discontinuationVerdict } from '../lifecycle';
import type { PriceListChange } from '../price-lists';
import { RULE } from '../rules';
import type { Handler } from './handler';
import { canonical } from './fingerprint';
import { notice } from './notices';
import { feesOn } from './terms';
import { dropped, fixEnd } from './ending';
import { fromVerdict, refuse, requireStatus } from './refusals';
import type { ContractState } from './state';
import { moveTo } from './transitions';

const announced = (s: ContractState, v: PriceListChange) => s.priceLists.find((p) => p.id === v.id);
const sameDiscontinuation = (s: ContractState, c: { postedOn: string; endDate: string; emergency: boolean }) =>
  s.discontinuation !== null &&
  s.discontinuation.postedOn === c.postedOn &&
  s.discontinuation.endDate === c.endDate &&
  s.discontinuation.emergency === c.emergency;
const sameWindow = (s: ContractState, c: { from: string; to: string }) =>
  s.maintenance.some((m) => Date.parse(m.from) === Date.parse(c.from) && Date.parse(m.to) === Date.parse(c.to));

/**
 * D-17: the ETF is the fixed monthly fee in force on the end day, so a version effective by the end month
 * reprices an ETF already fixed (that month is not billed yet: a version is announced before its month).
 */
function repriceEarlyTermination(s: ContractState): void {
  const end = s.end;
  if (!end || end.earlyTerminationFee === 0 || !s.minimumTermEnd) return;
  const fees = feesOn(s, end.lastDay);
  const etf = earlyTerminationFee({ endDay: end.lastDay, minimumTermEnd: s.minimumTermEnd, fixedMonthlyFee: fees.fixedMonthlyFee, priceList: fees.priceList });
  s.scheduledLines = s.scheduledLines.filter((l) => !(l.tiedToEnd && l.line.kind === 'earlyTermination'));
  if (etf) s.scheduledLines.push({ period: monthOf(end.lastDay), line: etf, tiedToEnd: true });
  end.earlyTerminationFee = etf?.amount ?? 0;
}

export const provider: {
  announcePriceList: Handler<'announcePriceList'>;
  discontinueService: Handler<'discontinueService'>;
  announceMaintenance: Handler<'announceMaintenance'>;
} = {
  announcePriceList: {
    check: (s, c, today) => {
      const v = c.version;
      const known = announced(s, v);
      if (known) return canonical(known) === canonical(v) ? null : refuse(RULE.priceListChange, 'versionReused', { id: v.id });
      if (s.status === 'rejected' || s.status === 'ended') return refuse(RULE.priceListChange, 'priceListNotTo', { status: s.status });
      if (today >= firstDayOf(v.effectiveMonth)) return refuse(RULE.priceListChange, 'effectiveMonthBegun', { month: v.effectiveMonth, today });
      const sameMonth = s.priceLists.find((p) => p.effectiveMonth === v.effectiveMonth);
      if (sameMonth) return refuse(RULE.priceListChange, 'versionForMonth', { id: sameMonth.id, month: v.effectiveMonth });
      return null;
    },
    apply: (s, c, today) => {
      const v = c.version;
      if (announced(s, v)) return { result: { ...done('priceListRepeated', { id: v.id }), priceList: v.id, repeated: true }, effects: [] };
      s.priceLists.push(v);
      // D-17: a provider's price change is not a customer change — no Art. 11-3 settlement, only the fees and the ETF move.
      repriceEarlyTermination(s);
      const facts = { effectiveMonth: v.effectiveMonth, priceListId: v.id, article: RULE.priceListChange };
      return {
        result: { ...done('priceListApplies', { id: v.id, from: firstDayOf(v.effectiveMonth) }), priceList: v.id, effectiveMonth: v.effectiveMonth },
        effects: [notice(s, 'priceListChanged', today, v.id, facts)],
      };
    },
  },
  discontinueService: {
    check: (s, c, today) => {
      if (sameDiscontinuation(s, c)) return null;
      if (s.status === 'rejected' || s.status === 'ended') return refuse(RULE.serviceDiscontinuation, 'nothingToDiscontinue', { status: s.status });
      const verdict = fromVerdict(discontinuationVerdict({ today, ...c }));
      if (verdict) return verdict;
      // D-22: a contract whose usage has not started by the end day is for the back office to settle.
      if (s.startDate && s.startDate > c.endDate)
        return refuse(RULE.serviceDiscontinuation, 'discontinuedBeforeStart', { endDate: c.endDate, startDate: s.startDate });
      return null;
    },
    /**
     * Art. 5, D-18 with D-22: a pending application is rejected today (two notices: the discontinuation, and the
     * rejection without a reason of its own, Art. 10); an open contract ends on endDate unless it already
     * ends earlier; no ETF and no compensation of its own (Art. 5-4); the last month is billed as usual and
     * the data deleted the day after (D-8).
     */
    apply: (s, c, today) => {
      if (sameDiscontinuation(s, c)) return { result: { ...done('discontinuationRepeated', { postedOn: c.postedOn }), repeated: true }, effects: [] };
      s.discontinuation = { postedOn: c.postedOn, endDate: c.endDate, emergency: c.emergency, noticedOn: today };
      const article = c.emergency ? RULE.emergencyDiscontinuation : RULE.serviceDiscontinuation;
      if (s.status === 'pending') {
        moveTo(s, 'discontinueService', today);
        const facts = { endDate: c.endDate, postedOn: c.postedOn, emergency: c.emergency, appliedOn: s.appliedOn, article };
        return {
          result: { ...done('discontinuedApplication', { endDate: c.endDate }), ...facts },
          effects: [notice(s, 'serviceDiscontinued', today, `${c.postedOn}-${c.endDate}`, facts), notice(s, 'rejected', today, 'application')],
        };
      }
      const kept = s.end !== null && s.end.lastDay <= c.endDate;
      const end = kept ? { ...s.end!, droppedChanges: [] } : fixEnd(s, today, c.endDate, 'serviceDiscontinuation', 'provider');
      const facts = {
        endDate: end.lastDay,
        postedOn: c.postedOn,
        emergency: c.emergency,
        earlyTerminationFee: end.earlyTerminationFee,
        compensation: end.compensation,
        article,
        ...dropped(end.droppedChanges),
      };
      return {
        result: {
          ...(kept ? done('discontinuedAfterEnd', { endDate: c.endDate, lastDay: end.lastDay }) : done('discontinued', { lastDay: end.lastDay })),
          ...facts,
        },
        effects: [notice(s, 'serviceDiscontinued', today, `${c.postedOn}-${c.endDate}`, facts)],
      };
    },
  },
  announceMaintenance: {
    check: (s, c, today) => {
      if (sameWindow(s, c)) return null;
      const refusal = requireStatus(s, ['approved', 'active', 'suspended'], 'maintenance', RULE.maintenance);
      if (refusal) return refusal;
      const toDay = jstDateOf(Date.parse(c.to));
      if (toDay < today) return refuse(RULE.maintenance, 'windowEnded', { toDay, today });
      // Art. 17-1-1: announced to the contracts it affects — not to one that has ended by then.
      if (s.end && jstDateOf(Date.parse(c.from)) > s.end.lastDay) return refuse(RULE.maintenance, 'windowAfterEnd', { lastDay: s.end.lastDay });
      // D-23: the contract counts days, not hours, so "before it starts" is by the day before.
      const fromDay = jstDateOf(Date.parse(c.from));
      if (fromDay <= today && !c.emergency) return refuse(RULE.maintenance, 'windowTooSoon', { from: c.from, today });
      return null;
    },
    apply: (s, c, today) => {
      if (sameWindow(s, c)) return { result: { ...done('maintenanceRepeated', { from: c.from, to: c.to }), repeated: true }, effects: [] };
      s.maintenance.push({ from: c.from, to: c.to, emergency: c.emergency, announcedOn: today });
      const facts = { from: c.from, to: c.to, emergency: c.emergency, article: RULE.maintenance };
      // Art. 24-2-1: the fees continue during maintenance; no credit is owed for it.
      return {
        result: { ...done('maintenanceAnnounced', { from: c.from, to: c.to }), ...facts },
        effects: [notice(s, 'maintenanceScheduled', today, c.requestId, facts)],
      };
    },
  },
};
