/** The console's status label: an approved contract waiting for its usage start is not 利用中 (Art. 9, D-34). */
import { describe, expect, it } from 'vitest';
import { translator } from '../../src/console/html';
import { statusLabel } from '../../src/console/pages/common';
import { CONTRACT_STATUSES } from '../../src/domain/types';

const ja = translator('ja');
const en = translator('en');

describe('statusLabel', () => {
  it('says 承諾済（利用開始前） / approved before S, never 利用中 / active', () => {
    expect(statusLabel(ja, 'approved')).toBe('承諾済（利用開始前）');
    expect(statusLabel(en, 'approved')).toBe('approved (before usage start)');
    expect(statusLabel(ja, 'active')).toBe('利用中');
  });
  it('has a Japanese label for every status', () => {
    for (const s of CONTRACT_STATUSES) expect(statusLabel(ja, s), s).not.toBe(s);
  });
});
