/** The contract page says what holds the service suspended (D-26), each ground with what lifts it (D-25). */
import { describe, expect, it } from 'vitest';
import { contractView } from '../../src/domain/contract';
import { contract } from '../../src/console/pages/contract';
import { translator } from '../../src/console/html';
import { accept, active, at, bill, step } from '../domain/contract/fixtures';

// June's invoice (129,800, due 07-31) unpaid: notice 08-01, suspended for non-payment on 08-30 (D-14, D-15);
// the back office adds its own ground on 08-31. Termination day 08-30 + 30 = 09-29.
const suspended = () => {
  const s = step(step(bill(active(), '2026-06'), at('2026-08-01', '00:10')).state, at('2026-08-30', '00:10')).state;
  return accept(s, 'suspend', { requestId: 'bo' }, '2026-08-31').state;
};
const person = { id: 'p1', login: 'clerk', name: '経理 花子', role: 'clerk', mustChangePassword: false, disabled: false } as never;
const render = (lang: 'ja' | 'en') =>
  contract(
    { t: translator(lang), csrf: 'x', person, today: '2026-09-01' },
    { view: contractView(suspended(), '2026-09-01', 0), customer: undefined, trail: [], payments: [], requestId: (p) => p },
  ).body.value;

describe('the contract page: grounds of a suspension', () => {
  it('lists the non-payment notice with its invoices and termination day, and the back office ground (ja)', () => {
    const page = render('ja');
    expect(page).toContain('停止事由: 料金未払い');
    expect(page).toContain('2026-06 分（2026-08-30 通知、未払いなら 2026-09-29 に解除、第18条1項1号）');
    expect(page).toContain('停止事由: 当社による利用停止');
    expect(page).toContain('2026-08-31 から（再開で解除、第18条）');
  });
  it('in English too', () => {
    const page = render('en');
    expect(page).toContain('2026-06 (notice 2026-08-30; terminated on 2026-09-29 unless paid, Art. 18-1-1)');
    expect(page).toContain('since 2026-08-31 (lifted by resume, Art. 18)');
  });
});
