// Issue 29: the provider's virtual accounts, a setting checked at start with its name.
import { describe, expect, it } from 'vitest';
import { settingsFailure } from '../helpers/settings';
import { loadSettings } from '../../src/settings';

const failure = settingsFailure;

describe('VIRTUAL_ACCOUNT_RANGE', () => {
  it('defaults to 3000000-3999999 and takes another first-last range', () => {
    expect(loadSettings({}).VIRTUAL_ACCOUNT_RANGE).toBe('3000000-3999999');
    expect(loadSettings({ VIRTUAL_ACCOUNT_RANGE: '1200000-1200999' }).VIRTUAL_ACCOUNT_RANGE).toBe('1200000-1200999');
  });
  it.each([
    ['3000000', 'VIRTUAL_ACCOUNT_RANGE: expected the range of virtual account numbers as first-last, 7 digits each (3000000-3999999)'],
    ['300000-3999999', 'VIRTUAL_ACCOUNT_RANGE: expected the range of virtual account numbers as first-last, 7 digits each (3000000-3999999)'],
    ['3999999-3000000', 'VIRTUAL_ACCOUNT_RANGE: the first number of the range is after its last'],
  ])('refuses %s naming the setting', (value, message) => {
    expect(failure({ VIRTUAL_ACCOUNT_RANGE: value })).toBe(`invalid settings:\n  ${message}`);
  });
});
