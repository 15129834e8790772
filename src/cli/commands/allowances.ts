/**
 * Appendix 2 notes, D-19 (D-24 for how): an incident response (障害対応) or ops work (運用代行) recorded
 * against its contract and month, and each month's count beside what the plan includes. The excess is
 * flagged, never billed: a clerk quotes it and a supervisor adds it with `charge`, with a reason.
 */
import type { AllowanceRow } from '../../domain/contract/allowances';
import { RULE } from '../../domain/rules';
import { hoursText } from '../../domain/validation';
import type { CommandSpec } from '../command';
import { table } from '../format';
import { updateCommand } from './send';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The flagged month in words, or null: what is over, and that nothing is billed by itself (D-19). */
export function excessText(r: AllowanceRow): string | null {
  if (!r.exceeded) return null;
  const over = [
    r.incidentsExcess > 0 ? `${plural(r.incidentsExcess, 'incident', 'incidents')} over the ${r.incidentsIncluded} included` : '',
    r.opsHoursExcess > 0 ? `${plural(r.opsHoursExcess, 'ops hour', 'ops hours')} over the ${r.opsHoursIncluded} included` : '',
  ].filter(Boolean);
  return `excess: ${over.join(', ')} — not billed; add a charge with a reason if the customer is to pay it`;
}

/** `neutrix show`'s allowance rows: month, incidents x/included, ops hours x/included, and each month's excess. */
export function allowancesText(rows: AllowanceRow[]): string[] {
  if (rows.length === 0) return [];
  const flagged = rows.flatMap((r) => {
    const text = excessText(r);
    return text ? [`  ${r.month}  ${text}`] : [];
  });
  return [
    `Allowances (${RULE.allowances}: incident responses and ops hours beside what the plan includes)`,
    ...table(rows, [
      { header: 'MONTH', value: (r) => r.month },
      { header: 'INCIDENTS', value: (r) => `${r.incidents}/${r.incidentsIncluded}`, align: 'right' },
      { header: 'OPS HOURS', value: (r) => `${r.opsHours}/${r.opsHoursIncluded}`, align: 'right' },
      { header: 'EXCESS', value: (r) => (r.exceeded ? 'yes' : '—') },
    ])
      .split('\n')
      .map((l) => `  ${l}`),
    ...flagged,
  ];
}

export const allowanceCommands: CommandSpec[] = [
  updateCommand({
    name: 'incident',
    command: 'recordIncident',
    summary: `Record an incident response (障害対応, ${RULE.allowances}) in the Japan-time month it began; at most 3 a month are included (Standard and above).`,
    options: { at: { type: 'string', value: 'INSTANT', help: 'when the incident began, ISO 8601 with an offset, e.g. 2026-05-01T09:00:00+09:00' } },
    required: [['at', 'INSTANT']],
    fields: { at: '--at' },
    input: (v) => ({ at: v.at }),
    notes: [
      'Only inside the service (from the usage start through the last contract day) and not ahead of today (D-24).',
      "The excess is shown by 'neutrix show', never billed by itself: add it with 'neutrix charge' and a reason.",
      'example: neutrix incident C-1001 --at 2026-05-01T09:00:00+09:00',
    ],
  }),
  updateCommand({
    name: 'ops-work',
    command: 'recordOpsWork',
    summary: `Record ops work (運用代行, ${RULE.allowances}) done on a day; Premium includes 1 hour per component a month.`,
    options: {
      on: { type: 'string', value: 'YYYY-MM-DD', help: 'the day the work was done (Japan time)' },
      hours: { type: 'string', value: 'N', help: 'the hours, in quarter hours (0.25 steps), more than 0 and at most 24' },
    },
    required: [
      ['on', 'YYYY-MM-DD'],
      ['hours', 'N'],
    ],
    fields: { on: '--on', hours: '--hours' },
    input: (v) => ({ on: v.on, hours: hoursText(v.hours) }),
    notes: ['Only inside the service and not ahead of today (D-24).', 'example: neutrix ops-work C-1001 --on 2026-05-01 --hours 1.5'],
  }),
];
