/**
 * The contract's answers in the console's two languages (issue 30): a refusal and an accepted command's
 * banner from the message catalogue, with the article, amounts with separators, the person by name.
 */
import { describe, expect, it } from 'vitest';
import { answerLine, refusalLine, refusalWords } from '../../src/console/contract-words';
import { translator } from '../../src/console/html';
import { decide } from '../../src/domain/contract';
import { cmd, pending as pendingFrom } from '../domain/contract/fixtures';

const ja = translator('ja');
const en = translator('en');
const clerk = { id: 'p-1', role: 'clerk', via: 'console' } as const;

const pending = () => pendingFrom({ appliedOn: '2026-12-01' });
describe("the console's words for the contract's answers", () => {
  it('a refusal in Japanese and in English, with its article, the person by name', () => {
    const d = decide(pending(), 'cancel', cmd('cancel', { requestId: 'r1', actor: clerk, endDate: '2027-03-31' }), '2026-12-08');
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(refusalLine(ja, d.refusal)).toBe('契約が「審査中」のため、解約はできません (第28条)');
    expect(refusalLine(en, d.refusal)).toBe('cancellation is not possible while the contract is pending (awaiting approval) (Art. 28)');

    const big = decide(pending(), 'terminateForCause', cmd('terminateForCause', { requestId: 'r2', actor: clerk }), '2026-12-08');
    if (big.ok) throw new Error('a clerk may not terminate');
    expect(refusalWords(big.refusal, (id) => (id === 'p-1' ? '山田 花子' : undefined)).ja).toContain('山田 花子 さん');
    expect(refusalWords(big.refusal).en).toContain('clerk p-1 (console)');
  });

  it("an accepted command's banner: the command's name, what it did, amounts with separators", () => {
    const approved = decide(
      pending(),
      'approve',
      cmd('approve', { requestId: 'a', actor: { ...clerk, role: 'supervisor' }, startDate: '2026-12-08' }),
      '2026-12-08',
    );
    if (!approved.ok) throw new Error(approved.refusal.message);
    const paid = decide(approved.state, 'pay', cmd('pay', { requestId: 'p', actor: clerk, amount: 1234567 }), '2026-12-08');
    if (!paid.ok) throw new Error(paid.refusal.message);
    expect(answerLine(ja, 'pay', paid.answer)).toBe('入金の記録: 入金 1,234,567円 を充当しました。1,234,567円 を前受金として預かります');
    expect(answerLine(en, 'pay', paid.answer)).toBe('Payment: payment of 1,234,567 yen applied; 1,234,567 yen held as advance payment');
    // The audit keeps the contract's English as it was.
    expect(paid.answer.summary).toBe('payment of 1234567 yen applied; 1234567 yen held as advance payment');
  });
});
