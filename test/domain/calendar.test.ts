import { describe, it, expect } from 'vitest';
import {
  addDays,
  addMonths,
  bankBusinessDayOnOrBefore,
  businessDayOnOrBefore,
  dayOfWeek,
  daysBetween,
  daysInMonth,
  isBusinessDay,
  isIsoDate,
  isYearMonth,
  jstDateOf,
  lastDayOfPeriod,
  monthsBetween,
  nationalHoliday,
  nonBankDayReason,
  nonBusinessReason,
  nthBusinessDay,
  oneMonthBefore,
  startOfDayJst,
} from '../../src/domain/calendar';

describe('business days (D-1)', () => {
  it.each([
    ['2026-02-02', true], // Monday
    ['2026-02-01', false], // Sunday
    ['2026-02-07', false], // Saturday
    ['2026-02-11', false], // National Foundation Day (Wednesday)
    ['2026-02-23', false], // Emperor's Birthday (Monday)
    ['2026-03-20', false], // Vernal Equinox Day
    ['2027-03-22', false], // substitute holiday (03-21 is a Sunday)
  ])('%s → %s', (date, expected) => {
    expect(isBusinessDay(date)).toBe(expected);
  });

  it('Golden Week 2026 with the substitute holiday of 05-06 and the 1 May closure', () => {
    expect(isBusinessDay('2026-04-29')).toBe(false); // Showa Day
    expect(isBusinessDay('2026-04-30')).toBe(true);
    expect(nonBusinessReason('2026-05-01')).toMatch(/mayDay/); // Friday, company closure
    for (const d of ['2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05', '2026-05-06']) expect(isBusinessDay(d)).toBe(false);
    expect(nationalHoliday('2026-05-06')).toBeDefined(); // 振替休日: 05-03 falls on a Sunday
    expect(nonBusinessReason('2026-05-06')).toMatch(/national holiday/);
    expect(isBusinessDay('2026-05-07')).toBe(true);
  });

  it('1 May on a Monday (2028) is closed', () => {
    expect(dayOfWeek('2028-05-01')).toBe(1);
    expect(isBusinessDay('2028-05-01')).toBe(false);
  });

  it('the 2026 Silver Week: Respect for the Aged Day, citizens’ holiday, equinox', () => {
    expect(isBusinessDay('2026-09-18')).toBe(true); // Friday before
    for (const d of ['2026-09-19', '2026-09-20', '2026-09-21', '2026-09-22', '2026-09-23']) expect(isBusinessDay(d)).toBe(false);
    expect(nationalHoliday('2026-09-22')).toBeDefined(); // 国民の休日 between two holidays
    expect(isBusinessDay('2026-09-24')).toBe(true);
  });

  it('the year-end break 12-29 … 01-03', () => {
    expect(isBusinessDay('2025-12-26')).toBe(true); // Friday
    expect(nonBusinessReason('2025-12-29')).toMatch(/yearEndBreak/); // Monday
    expect(isBusinessDay('2025-12-30')).toBe(false);
    expect(isBusinessDay('2025-12-31')).toBe(false);
    expect(isBusinessDay('2028-12-28')).toBe(true); // Thursday
    expect(nonBusinessReason('2029-01-02')).toMatch(/yearEndBreak/); // Tuesday
    expect(isBusinessDay('2029-01-03')).toBe(false); // Wednesday
    expect(isBusinessDay('2029-01-04')).toBe(true); // Thursday
  });

  it('the business day on or before', () => {
    expect(businessDayOnOrBefore('2026-05-06')).toBe('2026-04-30');
    expect(businessDayOnOrBefore('2026-09-23')).toBe('2026-09-18');
    expect(businessDayOnOrBefore('2027-01-03')).toBe('2026-12-28');
    expect(businessDayOnOrBefore('2026-02-02')).toBe('2026-02-02');
  });
});

describe('bank business days (D-20)', () => {
  it("banks close on weekends, holidays and 31 Dec – 3 Jan, but not on the company's own 29–30 Dec and 1 May", () => {
    expect(nonBankDayReason('2026-12-31')).toMatch(/year-end/);
    expect(nonBankDayReason('2027-01-03')).toBe('Sunday');
    expect(nonBankDayReason('2027-01-04')).toBeUndefined(); // Monday: banks open, the company too
    expect(nonBankDayReason('2026-12-29')).toBeUndefined(); // company closed (D-1), banks open
    expect(nonBankDayReason('2026-05-01')).toBeUndefined(); // company closed (D-1), banks open
    expect(nonBankDayReason('2026-05-04')).toMatch(/national holiday/);
    expect(bankBusinessDayOnOrBefore('2028-01-03')).toBe('2027-12-30'); // 3, 2, 1 Jan and 31 Dec closed
    expect(bankBusinessDayOnOrBefore('2026-11-30')).toBe('2026-11-30');
  });
});

describe('nth business day (Appendix 3 §1)', () => {
  it.each([
    ['2026-02', 1, '2026-02-02'],
    ['2026-02', 2, '2026-02-03'],
    ['2026-01', 1, '2026-01-05'], // 01-01 holiday, 01-02/03 break, 01-04 Sunday
    ['2026-01', 2, '2026-01-06'],
    ['2026-05', 1, '2026-05-07'], // Golden Week
    ['2026-05', 2, '2026-05-08'],
    ['2027-01', 1, '2027-01-04'],
    ['2026-03', 2, '2026-03-03'], // 03-01 Sunday, 03-02 Monday
  ])('%s, n = %i → %s', (month, n, expected) => {
    expect(nthBusinessDay(month, n)).toBe(expected);
  });
  it('n must be ≥ 1', () => {
    expect(() => nthBusinessDay('2026-02', 0)).toThrow(RangeError);
  });
});

describe('periods and month arithmetic (Art. 11, Civil Code Art. 143)', () => {
  it.each([
    ['2026-02-10', 12, '2027-02-09'],
    ['2026-02-02', 12, '2027-02-01'],
    ['2026-01-01', 12, '2026-12-31'],
    ['2028-02-29', 12, '2029-02-28'], // no 29 Feb in 2029
    ['2027-01-31', 1, '2027-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2027-02-28', 1, '2027-03-27'],
    ['2027-02-01', 1, '2027-02-28'], // a renewal month from the 1st
  ])('lastDayOfPeriod(%s, %i) = %s', (start, months, expected) => {
    expect(lastDayOfPeriod(start, months)).toBe(expected);
  });

  it.each([
    ['2027-03-31', '2027-02-28'],
    ['2028-03-31', '2028-02-29'],
    ['2027-02-01', '2027-01-01'],
    ['2027-01-15', '2026-12-15'],
  ])('oneMonthBefore(%s) = %s', (date, expected) => {
    expect(oneMonthBefore(date)).toBe(expected);
  });

  it('day arithmetic across month ends and leap days', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -60)).toBe('2025-12-31'); // 28 (Feb) + 31 (Jan) + 1
    expect(daysBetween('2028-01-01', '2029-01-01')).toBe(366);
    expect(daysBetween('2027-01-01', '2028-01-01')).toBe(365);
    expect(daysBetween('2026-03-31', '2026-03-30')).toBe(-1);
  });

  it('months', () => {
    expect(daysInMonth('2028-02')).toBe(29);
    expect(daysInMonth('2027-02')).toBe(28);
    expect(daysInMonth('2100-02')).toBe(28); // century, not leap
    expect(daysInMonth('2000-02')).toBe(29);
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-02', 12)).toBe('2027-02');
    expect(monthsBetween('2026-02', '2027-02')).toBe(12);
  });

  it('validation', () => {
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-2-01')).toBe(false);
    expect(isYearMonth('2026-00')).toBe(false);
    expect(isYearMonth('2026-12')).toBe(true);
  });
});

describe('Japan time', () => {
  it('an instant at 15:00 UTC is the next day in Japan', () => {
    expect(jstDateOf(Date.UTC(2026, 1, 28, 15, 0))).toBe('2026-03-01');
    expect(jstDateOf(Date.UTC(2026, 1, 28, 14, 59, 59, 999))).toBe('2026-02-28');
  });
  it('00:00 JST is 15:00 UTC the day before', () => {
    expect(startOfDayJst('2026-03-01')).toBe(Date.UTC(2026, 1, 28, 15, 0));
  });
});
